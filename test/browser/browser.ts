/// <reference lib="dom" />
/**
 * A real headless browser for the web chat tests: Debian's Chromium driven by playwright-core.
 * Nothing here downloads a browser; without Chromium the tests fail, saying how to install it.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the web chat tests need a real browser ` +
        '(apt-get install -y chromium, as .ci/run does; or set CHROMIUM_PATH)',
    );
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** What a page did that the tests check: every URL it asked for, CSP violations, script errors. */
export interface Watched {
  page: Page;
  urls: string[];
  violations: string[];
  errors: string[];
}

export async function watchedPage(context: BrowserContext): Promise<Watched> {
  const page = await context.newPage();
  const watched: Watched = { page, urls: [], violations: [], errors: [] };
  page.on('request', (r) => watched.urls.push(r.url()));
  page.on('websocket', (ws) => watched.urls.push(ws.url()));
  page.on('pageerror', (e) => watched.errors.push(e.message));
  page.on('console', (m) => {
    if (m.text().startsWith('csp-violation ')) watched.violations.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.log(`csp-violation ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return watched;
}
