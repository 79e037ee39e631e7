// Ingestion and clients in a real browser against a real platform: an admin uploads a JSONL file
// of 30 good records and 2 bad lines, watches the job complete, reads the rejects by rule and
// downloads them, then looks a client up by code and opens the masked record with its KYC history.
// No unmasked PAN may reach the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startTestPlatform } from '../helpers/platform.ts';
import { launchChromium, waitForText, openPage } from '../helpers/browser.ts';
import { clientCode, clientInput, panFor, writeJsonl } from '../helpers/clients.ts';

const SECOND = 1000;
const GOOD_RECORDS = 30;

let platform: Awaited<ReturnType<typeof startTestPlatform>> | undefined;
let browser: Browser | undefined;
let workDir: string | undefined;

before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'pravah-ingestion-e2e-'));
  platform = await startTestPlatform();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await platform?.stop();
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

/** Every unmasked PAN of the file, looked for in the page's text and in its markup. */
async function assertNoClearPan(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  const html = await page.content();
  for (let i = 1; i <= GOOD_RECORDS; i++) {
    const pan = panFor(i);
    assert.equal(text.includes(pan), false, `the page text shows the unmasked PAN of ${clientCode(i)}`);
    assert.equal(html.includes(pan), false, `the page markup holds the unmasked PAN of ${clientCode(i)}`);
  }
}

test('ingestion and clients: upload, live job, rejects by rule, lookup, masked detail', { timeout: 90 * SECOND }, async (t) => {
  assert.ok(platform !== undefined && browser !== undefined && workDir !== undefined);
  const { url, admin } = platform;
  const file = path.join(workDir, 'clients.jsonl');
  const records: unknown[] = Array.from({ length: GOOD_RECORDS }, (_, index) => clientInput(index + 1));
  await writeJsonl(file, [...records, '{"clientCode":"BAD1"}', 'not json']);

  const { context, page, pageErrors } = await openPage(browser, { viewport: { width: 1440, height: 900 }, acceptDownloads: true });

  try {
    await t.test('the admin signs in and lands on the Ingestion page with no jobs yet', async () => {
      await page.goto(`${url}/ingestion`);
      await page.waitForURL((target) => target.pathname === '/login');
      await page.locator('input[name="email"]').fill(admin.email);
      await page.locator('input[name="password"]').fill(admin.password);
      await page.locator('button[type="submit"]').click();
      await page.waitForURL((target) => target.pathname === '/ingestion');
      await page.getByRole('heading', { level: 1, name: 'Ingestion' }).waitFor();
      await page.getByText('No ingestion jobs yet').waitFor();
    });

    await t.test('the upload runs a job that completes with 30 new clients and 2 rejected rows', async () => {
      await page.getByLabel('KYC file (CSV, XLSX or JSONL)').setInputFiles(file);
      await page.getByRole('button', { name: 'Upload and ingest' }).click();

      const row = page.getByRole('table', { name: 'Ingestion jobs' }).getByTestId('job-row');
      await waitForText(row.first().locator('td').first(), /clients\.jsonl/);
      const detail = page.getByTestId('job-detail');
      await waitForText(detail.getByTestId('job-status'), /^Completed$/, 30 * SECOND);
      assert.equal(await waitForText(detail.getByTestId('job-read'), /^\d+$/), '32');
      assert.equal(await waitForText(detail.getByTestId('job-accepted'), /^\d+$/), String(GOOD_RECORDS));
      assert.equal(await waitForText(detail.getByTestId('job-rejected'), /^\d+$/), '2');
      await waitForText(row.first().getByTestId('job-status'), /^Completed$/);
      // Nothing is running any more, so the table stops polling and offers a manual refresh.
      await page.getByRole('button', { name: 'Refresh' }).waitFor();
    });

    await t.test('the rejects by rule name the broken rules, and the CSV downloads without values', async () => {
      const rejects = page.getByRole('region', { name: 'Rejects by rule' });
      await rejects.waitFor();
      const rules = (await rejects.getByTestId('reject-rule').allInnerTexts()).join('\n');
      assert.match(rules, /row\.unreadable/, 'the line that is not JSON is named');
      assert.match(rules, /field\.required/, 'the record with only a client code is missing fields');

      const [download] = await Promise.all([page.waitForEvent('download'), rejects.getByRole('button', { name: /Download rejects CSV/ }).click()]);
      const saved = path.join(workDir!, 'rejects.csv');
      await download.saveAs(saved);
      const lines = (await readFile(saved, 'utf8')).trim().split(/\r?\n/);
      assert.equal(lines[0], 'sheet,row,field,rule,message');
      assert.ok(lines.length >= 3, `a header and a line per broken rule, got ${JSON.stringify(lines)}`);
      assert.ok(lines.slice(1).some((line) => /^,32,row,row\.unreadable,/.test(line)), 'line 32 is the unreadable one');
      await assertNoClearPan(page);
    });

    await t.test('a lookup by client code finds one client, masked', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
      await page.getByRole('heading', { level: 1, name: 'Clients' }).waitFor();
      const form = page.getByRole('search', { name: 'Find a client' });
      await form.locator('select[name="key"]').selectOption('clientCode');
      await form.locator('input[name="value"]').fill(clientCode(3));
      await form.getByRole('button', { name: 'Search' }).click();

      const rows = page.getByRole('table', { name: 'Matching clients' }).getByTestId('client-row');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 1);
      assert.match(await waitForText(rows.first().getByTestId('client-pan'), /\S/), /^X{6}[A-Z0-9]{4}$/);
      await assertNoClearPan(page);
    });

    await t.test('a malformed PAN gets the server’s reason inline', async () => {
      const form = page.getByRole('search', { name: 'Find a client' });
      await form.locator('select[name="key"]').selectOption('pan');
      await form.locator('input[name="value"]').fill('NOT-A-PAN');
      await form.getByRole('button', { name: 'Search' }).click();
      assert.match(await waitForText(form.getByRole('alert'), /\S/), /^PAN is not valid/);
    });

    await t.test('the client opens at a linkable address with the KRA status and its history', async () => {
      const form = page.getByRole('search', { name: 'Find a client' });
      await form.locator('select[name="key"]').selectOption('clientCode');
      await form.locator('input[name="value"]').fill(clientCode(3));
      await form.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('table', { name: 'Matching clients' }).getByRole('link', { name: clientCode(3) }).click();
      await page.waitForURL((target) => target.pathname === `/clients/${clientCode(3)}`);

      // The URL changes before the record arrives: wait for the record, not for the address.
      const history = page.getByRole('region', { name: 'KRA status history' });
      await history.getByTestId('status-change').first().waitFor();
      assert.match(await waitForText(page.getByRole('heading', { level: 1 }), /\S/), /^A\*+ V\*+$/);
      assert.match(await waitForText(page.getByTestId('kra-status'), /\S/), /^CVL · Validated$/);
      assert.equal(await history.getByTestId('status-change').count(), 1);
      assert.match(await history.innerText(), /CVL · Validated/);
      assert.match(await waitForText(page.getByTestId('detail-pan'), /\S/), /^X{6}/);
      await page.getByText('Personal values are masked').waitFor();
      await assertNoClearPan(page);

      await page.getByRole('link', { name: 'Back to results' }).click();
      await page.getByRole('table', { name: 'Matching clients' }).getByTestId('client-row').first().waitFor();
    });

    assert.deepEqual(pageErrors, [], 'the page threw no uncaught errors');
  } finally {
    await context.close();
  }
});
