// The Instruments page in a real browser against a real platform: an admin uploads an NSE EQUITY_L
// file and watches the import finish, then searches with a typo, opens the detail with the keyboard
// (identifiers and a live quote), finds an instrument by ISIN, and uses the page's shortcuts. Only the
// roles that may import (admin, ops) are offered the upload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { startTestPlatform } from '../helpers/platform.ts';
import { launchChromium, signInAt, waitForText, openPage } from '../helpers/browser.ts';

const SECOND = 1000;

// NSE's EQUITY_L layout, leading spaces in the header included, with one row that has no symbol.
const EQUITY_L = [
  'SYMBOL,NAME OF COMPANY, SERIES, DATE OF LISTING, PAID UP VALUE, MARKET LOT, ISIN NUMBER, FACE VALUE',
  'RELIANCE,Reliance Industries Limited,EQ,29-NOV-1995,10,1,INE002A01018,10',
  'TCS,Tata Consultancy Services Limited,EQ,25-AUG-2004,1,1,INE467B01029,1',
  'INFY,Infosys Limited,EQ,08-FEB-1995,5,1,INE009A01021,5',
  ',Nameless Holdings Limited,EQ,01-JAN-2001,10,1,INE000Z01010,10',
  '',
].join('\n');

let platform: Awaited<ReturnType<typeof startTestPlatform>> | undefined;
let browser: Browser | undefined;
let workDir: string | undefined;

before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'pravah-instruments-e2e-'));
  platform = await startTestPlatform();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await platform?.stop();
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

function resultRows(page: Page): Locator {
  return page.getByRole('grid', { name: 'Instruments' }).locator('tbody tr');
}

function firstSymbol(page: Page): Locator {
  return resultRows(page).first().locator('td').first();
}

test('instruments page: import, typo-tolerant search, keyboard, detail with a live quote', { timeout: 90 * SECOND }, async (t) => {
  assert.ok(platform !== undefined && browser !== undefined && workDir !== undefined);
  const { url, admin } = platform;
  const csvPath = path.join(workDir, 'EQUITY_L.csv');
  await writeFile(csvPath, EQUITY_L);

  const { context, page, pageErrors } = await openPage(browser, { viewport: { width: 1440, height: 900 } });

  try {
    await t.test('the admin signs in and lands on the Instruments page', async () => {
      await page.goto(`${url}/instruments`);
      await page.waitForURL((target) => target.pathname === '/login');
      await page.locator('input[name="email"]').fill(admin.email);
      await page.locator('input[name="password"]').fill(admin.password);
      await page.locator('button[type="submit"]').click();
      await page.waitForURL((target) => target.pathname === '/instruments');
      await page.getByRole('heading', { level: 1, name: 'Instruments' }).waitFor();
      const search = page.getByRole('combobox', { name: 'Search instruments' });
      await search.waitFor();
      assert.equal(await search.evaluate((element) => element === document.activeElement), true, 'the search box has focus');
    });

    await t.test('an NSE EQUITY_L upload imports 3 instruments and rejects the row without a symbol', async () => {
      await page.getByLabel('Instrument file (CSV or XLSX)').setInputFiles(csvPath);
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      const current = page.getByTestId('current-import');
      await waitForText(current.getByTestId('import-status'), /^Completed$/, 30 * SECOND);
      assert.equal(await waitForText(current.getByTestId('import-inserted'), /^\d+$/), '3');
      assert.equal(await waitForText(current.getByTestId('import-rejected'), /^\d+$/), '1');

      // The rejects download needs the session's token, so the page fetches it and hands over a file.
      const [download] = await Promise.all([page.waitForEvent('download'), current.getByRole('button', { name: /rejects CSV/i }).click()]);
      const rejectsPath = path.join(path.dirname(csvPath), 'rejects.csv');
      await download.saveAs(rejectsPath);
      const rejects = (await readFile(rejectsPath, 'utf8')).trim().split(/\r?\n/);
      assert.equal(rejects.length, 2, `a header and one rejected row, got ${JSON.stringify(rejects)}`);
      assert.match(rejects[1] ?? '', /symbol/i);

      const recent = page.getByRole('region', { name: 'Recent imports' });
      await waitForText(recent.locator('tbody tr').first(), /EQUITY_L\.csv/);
    });

    await t.test('a misspelt name finds RELIANCE first, with the match highlighted', async () => {
      const search = page.getByRole('combobox', { name: 'Search instruments' });
      await search.fill('relaince');
      await waitForText(page.getByTestId('results-count'), /^\d+ results? for “relaince” · [\d.]+ ms$/);
      assert.equal(await waitForText(firstSymbol(page), /^\S+$/), 'RELIANCE');
      assert.ok((await resultRows(page).first().locator('mark').count()) > 0, 'the matched text is marked');
    });

    await t.test('↓ and Enter open the detail: identifiers and a quote with a numeric last price', async () => {
      const search = page.getByRole('combobox', { name: 'Search instruments' });
      await search.press('ArrowDown');
      const activeRow = await search.getAttribute('aria-activedescendant');
      assert.ok(activeRow !== null && activeRow !== '', 'the first row is active');
      assert.equal(await page.locator(`[id="${activeRow}"]`).getAttribute('aria-selected'), 'true');
      await search.press('Enter');

      const detail = page.getByRole('complementary', { name: 'RELIANCE detail' });
      await detail.waitFor();
      await waitForText(detail.locator('dd', { hasText: 'INE002A01018' }), /^INE002A01018$/);
      const last = await waitForText(detail.getByTestId('quote-last'), /^[\d,]+(\.\d+)?$/, 15 * SECOND);
      const price = Number(last.replace(/,/g, ''));
      assert.ok(Number.isFinite(price) && price > 0, `the last price is a positive number, got ${last}`);
      await detail.getByRole('figure', { name: 'Intraday price chart' }).waitFor();
    });

    await t.test('an ISIN finds TCS', async () => {
      const search = page.getByRole('combobox', { name: 'Search instruments' });
      await search.fill('INE467B01029');
      await waitForText(page.getByTestId('results-count'), /for “INE467B01029”/);
      assert.equal(await waitForText(firstSymbol(page), /^\S+$/), 'TCS');
    });

    await t.test('Esc clears the search and / focuses it from elsewhere on the page', async () => {
      const search = page.getByRole('combobox', { name: 'Search instruments' });
      await search.press('Escape');
      assert.equal(await search.inputValue(), '');
      await page.getByRole('heading', { level: 1, name: 'Instruments' }).click();
      assert.equal(await search.evaluate((element) => element === document.activeElement), false);
      await page.keyboard.press('/');
      assert.equal(await search.evaluate((element) => element === document.activeElement), true, '/ focused the search box');
      assert.equal(await search.inputValue(), '', 'the slash was not typed into the box');
    });

    assert.deepEqual(pageErrors, [], 'the page threw no uncaught errors');
  } finally {
    await context.close();
  }
});

test('instruments page: the upload is offered to ops, not to viewer or compliance', { timeout: 60 * SECOND }, async () => {
  assert.ok(platform !== undefined && browser !== undefined);
  const { url, platform: app } = platform;
  for (const [role, mayImport] of [['viewer', false], ['compliance', false], ['ops', true]] as const) {
    const user = { email: `${role}.instruments@test.pravah.in`, password: `${role} password for the instruments page` };
    await app.users.create({ ...user, name: `Test ${role}`, role }, 'test');
    const { context, page } = await openPage(browser, { viewport: { width: 1440, height: 900 } });
    try {
      await signInAt(page, url, '/instruments', user);
      await page.getByRole('heading', { level: 1, name: 'Instruments' }).waitFor();
      // Once the search has answered the page is drawn: what is missing now is missing, not late.
      await waitForText(page.getByTestId('results-count'), /· [\d.]+ ms$/);
      const card = page.getByRole('heading', { level: 2, name: 'Import instruments' });
      const file = page.getByLabel('Instrument file (CSV or XLSX)');
      const submit = page.getByRole('button', { name: 'Import', exact: true });
      if (mayImport) {
        await card.waitFor();
        assert.equal(await file.isEnabled(), true, `${role} can choose a file`);
        await waitForText(page.getByRole('region', { name: 'Recent imports' }).locator('tbody tr').first(), /EQUITY_L\.csv/);
      } else {
        assert.deepEqual([await card.count(), await file.count(), await submit.count()], [0, 0, 0], `${role} is offered no upload`);
      }
    } finally {
      await context.close();
    }
  }
});
