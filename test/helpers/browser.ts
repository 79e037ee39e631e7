// Debian's Chromium for browser tests, started headless with the flags this machine's closed
// network needs (no background networking, no component updates).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(chromiumPath), `browser tests need Chromium at ${chromiumPath} (apt-get install chromium)`);
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A new context and page with the browser tests' 10 s default timeout; the page's uncaught errors collect in `pageErrors`. */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { context, page, pageErrors };
}

/** Polls a locator's text until it matches: the page updates as answers arrive, not on a schedule. */
export async function waitForText(locator: Locator, pattern: RegExp, timeout = 10_000): Promise<string> {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    last = ((await locator.first().textContent({ timeout: 1000 }).catch(() => null)) ?? '').trim();
    if (pattern.test(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`expected text matching ${pattern}, last saw ${JSON.stringify(last)}`);
}

/** Signs in through the login page, starting from `pathname`, and waits to be sent back there. */
export async function signInAt(page: Page, url: string, pathname: string, user: { email: string; password: string }): Promise<void> {
  await page.goto(`${url}${pathname}`);
  await page.waitForURL((target) => target.pathname === '/login');
  await page.locator('input[name="email"]').fill(user.email);
  await page.locator('input[name="password"]').fill(user.password);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((target) => target.pathname === pathname);
}
