// The web shell in a real browser against a real platform: the login redirect, wrong and right
// credentials, the navigation, a reload that restores the session, and signing out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestPlatform } from '../helpers/platform.ts';
import { launchChromium, waitForText, openPage } from '../helpers/browser.ts';

const SECOND = 1000;
const NAV_LINKS = ['Overview', 'Clients', 'Ingestion', 'Events', 'Notifications', 'Instruments', 'Templates', 'Admin'];

let platform: Awaited<ReturnType<typeof startTestPlatform>> | undefined;
let browser: Browser | undefined;

before(async () => {
  platform = await startTestPlatform();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await platform?.stop();
});

function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

async function waitForPath(page: Page, pathname: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === pathname);
}

async function headingText(page: Page): Promise<string> {
  return (await page.getByRole('heading', { level: 1 }).textContent())?.trim() ?? '';
}

test('web shell: sign-in redirect, navigation, session restore and sign-out', { timeout: 60 * SECOND }, async (t) => {
  assert.ok(platform !== undefined && browser !== undefined);
  const { url, admin } = platform;
  const { context, page, pageErrors } = await openPage(browser);

  try {
    await t.test('an unauthenticated visit lands on /login', async () => {
      await page.goto(`${url}/instruments`);
      await waitForPath(page, '/login');
      assert.equal(await page.locator('input[name="email"]').isVisible(), true);
      assert.equal(await page.locator('input[name="password"]').isVisible(), true);
    });

    await t.test('a wrong password shows an error and stays on /login', async () => {
      await page.locator('input[name="email"]').fill(admin.email);
      await page.locator('input[name="password"]').fill(`${admin.password}-wrong`);
      await page.locator('button[type="submit"]').click();
      const alert = page.getByRole('alert');
      await alert.waitFor({ state: 'visible' });
      assert.match((await alert.textContent()) ?? '', /Email or password is incorrect/);
      assert.equal(pathOf(page), '/login');
    });

    await t.test('the right password returns to the page first asked for', async () => {
      await page.locator('input[name="password"]').fill(admin.password);
      await page.locator('button[type="submit"]').click();
      await waitForPath(page, '/instruments');
      await waitForText(page.getByRole('heading', { level: 1 }), /^Instruments$/);
      assert.equal(await headingText(page), 'Instruments');

      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.waitFor({ state: 'visible' });
      const links = (await nav.getByRole('link').allTextContents()).map((text) => text.trim());
      assert.deepEqual(links, NAV_LINKS);

      const email = page.getByText(admin.email, { exact: true });
      await email.waitFor({ state: 'visible' });
    });

    await t.test('the navigation opens Clients', async () => {
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Clients' }).click();
      await waitForPath(page, '/clients');
      // The URL changes before the page renders: wait for the new heading, then check it.
      await waitForText(page.getByRole('heading', { level: 1 }), /^Clients$/);
      assert.equal(await headingText(page), 'Clients');
      assert.equal(await nav.getByRole('link', { name: 'Clients' }).getAttribute('aria-current'), 'page');
    });

    await t.test('a reload restores the session from the refresh cookie', async () => {
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Clients' }).waitFor({ state: 'visible' });
      assert.equal(pathOf(page), '/clients');
      await page.getByText(admin.email, { exact: true }).waitFor({ state: 'visible' });
    });

    await t.test('signing out returns to /login and ends the session', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await waitForPath(page, '/login');
      await page.locator('input[name="email"]').waitFor({ state: 'visible' });

      await page.goto(`${url}/clients`);
      await waitForPath(page, '/login');
    });

    assert.deepEqual(pageErrors, [], 'the page threw no uncaught errors');
  } finally {
    await context.close();
  }
});
