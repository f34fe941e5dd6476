/// <reference lib="dom" />
/**
 * Takes the README's picture of the web chat on a phone (docs/webchat-phone.png): a role-play
 * that ends with its debrief card, on a 390×844 screen. Not a test (jest's default match skips
 * it); run it with
 *
 *   npx jest --testMatch '**\/test/browser/screenshot.ts'
 *
 * Chinese and emoji fonts make the picture (Debian: fonts-noto-cjk, fonts-noto-color-emoji).
 */
import { join } from 'node:path';
import { startCoach, TEST_SECRET } from '../directline/client';
import { launchChromium } from './browser';

jest.setTimeout(120_000);

it('takes docs/webchat-phone.png', async () => {
  const browser = await launchChromium();
  const coach = await startCoach({ hooks: { directLine: { secret: TEST_SECRET } } });
  try {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      locale: 'zh-CN',
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(`${coach.base}/`);
    const bot = '.webchat__stacked-layout:not(.webchat__stacked-layout--from-user) .webchat__bubble';
    await page.locator(bot, { hasText: '我是协商教练' }).waitFor();
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    const say = async (text: string, answer: string) => {
      await input.fill(text);
      await input.press('Enter');
      await page.locator(bot, { hasText: answer }).last().waitFor();
      // A person's pace: the coach's limit is 10 messages in 10 seconds.
      await page.waitForTimeout(700);
    };
    await say('模拟练习 费率 简单', '模拟开始');
    await say('我们月流水5万，微信给我的费率是0.38%', '客户经理');
    await say('流水涨了你们也受益，我们一起想个办法', '客户经理');
    await say('结束', '练习点评');
    await page.locator('.ac-adaptiveCard').last().waitFor();
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(__dirname, '..', '..', 'docs', 'webchat-phone.png') });
    await context.close();
  } finally {
    await browser.close();
    await coach.close();
  }
});
