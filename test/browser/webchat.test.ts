/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The web chat at `/` in a real browser (Debian's Chromium), on a phone-sized screen, as a user
 * goes through it: the page loads with nothing from another host, the coach greets, answers a
 * typed message and a tapped suggestion, runs a role-play whose debrief is an Adaptive Card, a
 * reload goes on in the same conversation, and nothing scrolls sideways.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startCoach, TEST_SECRET, type Coach } from '../directline/client';
import { launchChromium, watchedPage, type Watched } from './browser';

jest.setTimeout(90_000);

const PHONE = { width: 390, height: 844 };
const BOT = '.webchat__stacked-layout:not(.webchat__stacked-layout--from-user) .webchat__bubble';
const USER = '.webchat__stacked-layout--from-user .webchat__bubble';

let coach: Coach;
let browser: Browser;

beforeAll(async () => {
  // The browser first: without it the tests fail at once with how to install it.
  browser = await launchChromium();
  coach = await startCoach({ hooks: { directLine: { secret: TEST_SECRET } } });
});

afterAll(async () => {
  await browser?.close();
  await coach?.close();
});

async function texts(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).allInnerTexts();
}

/** Waits until a bot bubble beyond the first `count` contains `text`; returns all bot texts. */
async function botSays(page: Page, text: string | RegExp, count = 0): Promise<string[]> {
  await page
    .waitForFunction(
      ({ selector, pattern, flags, count }) => {
        const re = new RegExp(pattern, flags);
        return [...document.querySelectorAll(selector)]
          .slice(count)
          .some((b) => re.test((b as HTMLElement).innerText));
      },
      {
        selector: BOT,
        pattern: typeof text === 'string' ? text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : text.source,
        flags: typeof text === 'string' ? '' : text.flags,
        count,
      },
      { timeout: 20_000 },
    )
    .catch(async (error: Error) => {
      const said = (await texts(page, BOT)).slice(count).map((t) => t.slice(0, 200));
      throw new Error(
        `the coach did not say ${String(text)}; it said ${JSON.stringify(said)}\n${error.message}`,
      );
    });
  return texts(page, BOT);
}

async function send(page: Page, text: string): Promise<void> {
  const input = page.locator('[data-id="webchat-sendbox-input"]');
  await input.fill(text);
  await input.press('Enter');
}

function origin(): string {
  return `127.0.0.1:${coach.server.port}`;
}

function offHost(urls: string[]): string[] {
  const own = [`http://${origin()}/`, `ws://${origin()}/`, `blob:http://${origin()}/`];
  return urls.filter((u) => !own.some((o) => u.startsWith(o)));
}

async function horizontalOverflow(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const scroller = document.querySelector('.webchat__basic-transcript__scrollable');
    return [
      document.documentElement.scrollWidth - width,
      document.body.scrollWidth - width,
      scroller ? scroller.scrollWidth - scroller.clientWidth : 0,
    ];
  });
}

describe('the web chat on a phone (Chinese browser)', () => {
  let context: BrowserContext;
  let w: Watched;

  beforeAll(async () => {
    context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true });
    w = await watchedPage(context);
  });
  afterAll(() => context?.close());

  it('loads with nothing from another host, and the coach greets first', async () => {
    await w.page.goto(`http://${origin()}/`);
    const greeting = await botSays(w.page, '我是协商教练');
    expect(greeting).toHaveLength(1);
    expect(await w.page.locator('#title').innerText()).toBe('协商教练');
    expect(await w.page.locator('#lang').innerText()).toBe('EN');
    expect(w.urls.some((u) => u.includes('/v3/directline/conversations'))).toBe(true);
    expect(w.urls.some((u) => u.startsWith(`ws://${origin()}/v3/directline/conversations/`))).toBe(true);
    expect(offHost(w.urls)).toEqual([]);
    expect(w.violations).toEqual([]);
    expect(w.errors).toEqual([]);
  });

  it('answers a typed message', async () => {
    const before = (await texts(w.page, BOT)).length;
    await send(w.page, '支付宝手续费太高了');
    await w.page.locator(USER, { hasText: '支付宝手续费太高了' }).waitFor();
    const after = await botSays(w.page, /费率|手续费/, before);
    expect(after.length).toBeGreaterThan(before);
  });

  it('sends a suggested action’s choice when it is tapped, and answers it', async () => {
    // A suggestion of the last answer (a topic: it answers at once, no question back).
    const button = w.page.locator('.webchat__suggested-action', { hasText: '用数据谈费率' }).first();
    await button.waitFor();
    const before = (await texts(w.page, BOT)).length;
    await button.click();
    await w.page.locator(USER, { hasText: '用数据谈费率' }).waitFor();
    await botSays(w.page, /账单|费率/, before);
  });

  it('runs a role-play and shows its debrief as an Adaptive Card', async () => {
    const before = (await texts(w.page, BOT)).length;
    await send(w.page, '模拟练习 费率 简单');
    await botSays(w.page, '模拟开始', before);
    for (const line of [
      '我们月流水5万，微信给我的费率是0.38%',
      '我们合作很多年了，流水涨了你们也受益',
      '能不能先试行三个月0.45%',
    ]) {
      const n = (await texts(w.page, BOT)).length;
      await send(w.page, line);
      await botSays(w.page, '客户经理', n);
    }
    await send(w.page, '结束');
    const card = w.page.locator('.ac-adaptiveCard', { hasText: '练习点评' });
    await card.waitFor({ timeout: 20_000 });
    const cardText = await card.innerText();
    expect(cardText).toContain('得分');
    expect(cardText).toContain('数据支持');
    expect(w.violations).toEqual([]);
  });

  it('has no horizontal scroll on a 390×844 screen, debrief card included', async () => {
    expect(await w.page.evaluate(() => [window.innerWidth, window.innerHeight])).toEqual([390, 844]);
    expect(await horizontalOverflow(w.page)).toEqual([0, 0, 0]);
  });

  it('goes on in the same conversation after a reload', async () => {
    const session = () =>
      w.page.evaluate(() => JSON.parse(localStorage.getItem('coach.webchat.session') ?? '{}'));
    const before = await session();
    expect(before.conversationId).toBeTruthy();
    await w.page.reload();
    // The transcript comes back from the server: the debrief, the earlier messages, one greeting.
    await w.page.locator('.ac-adaptiveCard', { hasText: '练习点评' }).waitFor({ timeout: 20_000 });
    await w.page.locator(USER, { hasText: '支付宝手续费太高了' }).waitFor();
    expect((await texts(w.page, BOT)).filter((t) => t.includes('我是协商教练'))).toHaveLength(1);
    const after = await session();
    expect(after.conversationId).toBe(before.conversationId);
    // Still the same user to the coach: it answers in the same conversation, stage kept.
    const n = (await texts(w.page, BOT)).length;
    await send(w.page, '/status');
    await botSays(w.page, /阶段/, n);
    expect(offHost(w.urls)).toEqual([]);
    expect(w.errors).toEqual([]);
  });

  it('exports the plan, or says there is none yet', async () => {
    await w.page.locator('#plan').click();
    await w.page.locator('#notice', { hasText: '还没有做计划' }).waitFor();
    const n = (await texts(w.page, BOT)).length;
    await send(w.page, '我开餐馆，每月在支付宝收10万，费率0.6%，想降到0.38%，帮我做计划');
    await botSays(w.page, /220/, n);
    await w.page
      .locator('.webchat__suggested-action', { hasText: '导出计划' })
      .first()
      .waitFor({ timeout: 20_000 });
    const download = w.page.waitForEvent('download');
    await w.page.locator('#plan').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('coach-plan.md');
  });
});

describe('the web chat for an English browser', () => {
  it('greets in English and switches to Chinese from the header', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'en-US' });
    try {
      const w = await watchedPage(context);
      await w.page.goto(`http://${origin()}/`);
      await botSays(w.page, 'Negotiation Coach');
      expect(await w.page.locator('#title').innerText()).toBe('Negotiation Coach');
      expect(await w.page.locator('[data-id="webchat-sendbox-input"]').getAttribute('placeholder')).toMatch(
        /Type/,
      );
      const n = (await texts(w.page, BOT)).length;
      await w.page.locator('#lang').click();
      await botSays(w.page, '中文', n);
      expect(await w.page.locator('#title').innerText()).toBe('协商教练');
      expect(offHost(w.urls)).toEqual([]);
      expect(w.violations).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
