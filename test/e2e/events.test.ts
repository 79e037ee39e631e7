// The Events page in a real browser against a real platform: an admin opens Events, sees the
// consumer lag, watches a newly submitted event arrive live and get handled, opens its detail
// (requests, skipped channels, deliveries), sees a stopped processor's lag on the partition's bar,
// and retries and discards dead letters after confirming. A viewer
// sees the dead letters without the buttons. No contact in clear may reach the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startTestPlatform } from '../helpers/platform.ts';
import { launchChromium, waitForText, openPage } from '../helpers/browser.ts';
import { clientCode, clientInput, mobileFor, writeJsonl } from '../helpers/clients.ts';
import { clientIdForCode } from '../../src/kyc/client-id.ts';
import { createBlindIndex } from '../../src/crypto/blind-index.ts';
import { deadLetterTopic, partitionOf } from '../../src/log/event-log.ts';
import { processorGroup } from '../../src/events/processor.ts';
import { triggeredEventsTopic } from '../../src/events/intake.ts';

const SECOND = 1000;
const CLIENTS = 3;

let platform: Awaited<ReturnType<typeof startTestPlatform>> | undefined;
let browser: Browser | undefined;
let workDir: string | undefined;

before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'pravah-events-e2e-'));
  platform = await startTestPlatform({ env: { EVENT_LEASE_MS: '1000' } });
  const file = path.join(workDir, 'clients.jsonl');
  await writeJsonl(file, Array.from({ length: CLIENTS }, (_, i) => clientInput(i + 1)));
  await platform.platform.ingest.run(await platform.platform.ingest.create({ source: 'clients.jsonl', filePath: file, createdBy: 'test' }));
  await platform.platform.events.processor.drained();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await platform?.stop();
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

async function assertNoClearContacts(page: Page): Promise<void> {
  const html = await page.content();
  for (let i = 1; i <= CLIENTS; i++) {
    assert.equal(html.includes(mobileFor(i)), false, `the page holds the mobile of ${clientCode(i)} in clear`);
    assert.equal(html.includes(`client${i}@example.in`), false, `the page holds the email of ${clientCode(i)} in clear`);
  }
}

async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(`${url}/events`);
  await page.waitForURL((target) => target.pathname === '/login');
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((target) => target.pathname === '/events');
  await page.getByRole('heading', { level: 1, name: 'Events' }).waitFor();
}

test('events: live arrival, detail, lag per partition, dead-letter retry and discard', { timeout: 90 * SECOND }, async (t) => {
  assert.ok(platform !== undefined && browser !== undefined);
  const { url, admin, platform: app } = platform;
  const idOf = (code: string) => clientIdForCode(createBlindIndex(app.keys), code);
  const { context, page, pageErrors } = await openPage(browser, { viewport: { width: 1440, height: 900 } });

  try {
    await t.test('the admin signs in on Events: the ingestion events are listed and the processor is caught up', async () => {
      await signIn(page, url, admin.email, admin.password);
      const rows = page.getByRole('table', { name: 'Events' }).getByTestId('event-row');
      await rows.first().waitFor();
      assert.equal(await rows.count(), CLIENTS);
      assert.match(await rows.first().innerText(), /KYC approved|kyc\.approved/i);
      const group = page.getByTestId('lag-group').filter({ hasText: processorGroup });
      assert.equal(await waitForText(group.getByTestId('group-lag'), /^\d+$/), '0');
      await waitForText(page.getByTestId('stream-status'), /^Live$/);
    });

    await t.test('a newly submitted event appears live and turns planned', async () => {
      await app.eventIntake.submit(
        [{ id: 'e2e-live-1', type: 'funds.payin_received', clientCode: clientCode(2), variables: { amount: 25000, mode: 'UPI', balance: 41250.5 } }],
        { source: 'api', caller: 'api-key:e2e' },
      );
      const row = page.locator('[data-testid="event-row"][data-event-id="e2e-live-1"]');
      await row.waitFor();
      assert.match(await row.innerText(), /Funds received/);
      assert.match(await row.innerText(), new RegExp(clientCode(2)));
      await waitForText(row.getByTestId('event-status'), /^Planned$/, 15 * SECOND);
      // The newest event is on top.
      assert.equal(await page.getByTestId('event-row').first().getAttribute('data-event-id'), 'e2e-live-1');
    });

    await t.test('its detail shows the request with channels, the skipped channel and the delivery', async () => {
      await page.locator('[data-testid="event-row"][data-event-id="e2e-live-1"]').click();
      const detail = page.getByTestId('event-detail');
      assert.equal(await waitForText(detail.getByTestId('detail-event-id'), /\S/), 'e2e-live-1');
      const requests = detail.getByTestId('detail-requests');
      await waitForText(requests, /App push/);
      assert.match(await requests.innerText(), /WhatsApp skipped: no opt-in from the client/);
      assert.match(await requests.innerText(), /\+91X{6}\d{4}/);
      assert.match(await waitForText(detail.getByTestId('delivery'), /processor/), /Read past/);
      assert.match(await detail.innerText(), /amount\s+25,000/);
      assert.ok(new URL(page.url()).searchParams.get('event'), 'the open event is in the address');
      await assertNoClearContacts(page);
    });

    await t.test('the lag panel shows each partition: events waiting while the processor is stopped, then caught up', async () => {
      const partition = partitionOf(idOf(clientCode(1)), app.eventLog.partitions);
      const group = page.getByTestId('lag-group').filter({ hasText: processorGroup });
      const bars = group.getByRole('list', { name: `Lag per partition of ${triggeredEventsTopic}` });
      await app.events.processor.stop();
      try {
        await app.eventIntake.submit(
          [1, 2].map((n) => ({ id: `e2e-lag-${n}`, type: 'funds.payin_received', clientCode: clientCode(1), variables: { amount: n, mode: 'UPI', balance: n } })),
          { source: 'api' },
        );
        await bars.getByLabel(`Partition ${partition}: 2 behind`).waitFor();
        assert.equal(await waitForText(group.getByTestId('group-lag'), /^2$/), '2');
        assert.equal(await bars.locator('[data-behind="true"]').count(), 1, 'only that partition is behind');
      } finally {
        await app.events.processor.start();
      }
      await bars.getByLabel(`Partition ${partition}: 0 behind`).waitFor();
      assert.equal(await waitForText(group.getByTestId('group-lag'), /^0$/), '0');
    });

    await t.test('the client filter narrows the table, live arrivals included', async () => {
      const filters = page.getByRole('search', { name: 'Filter events' });
      await filters.getByLabel('Client code').fill(clientCode(3).toLowerCase());
      await filters.getByLabel('Client code').press('Enter');
      await page.waitForURL((target) => target.searchParams.get('client') === clientCode(3));
      const rows = page.getByTestId('event-row');
      await waitForText(rows.first(), new RegExp(clientCode(3)));
      assert.equal(await rows.count(), 1);
      await app.eventIntake.submit(
        [
          { id: 'e2e-other', type: 'funds.payin_received', clientCode: clientCode(1), variables: { amount: 1, mode: 'UPI', balance: 1 } },
          { id: 'e2e-mine', type: 'funds.payin_received', clientCode: clientCode(3), variables: { amount: 2, mode: 'UPI', balance: 2 } },
        ],
        { source: 'api' },
      );
      await page.locator('[data-testid="event-row"][data-event-id="e2e-mine"]').waitFor();
      assert.equal(await page.locator('[data-testid="event-row"][data-event-id="e2e-other"]').count(), 0);
      await filters.getByRole('button', { name: 'Clear filters' }).click();
      await page.locator('[data-testid="event-row"][data-event-id="e2e-other"]').waitFor();
    });

    await t.test('a dead letter is retried after confirmation, and its event is handled', async () => {
      const key = idOf(clientCode(1));
      await app.eventLog.append([{
        topic: deadLetterTopic(processorGroup), key, type: 'funds.payin_received',
        payload: { clientId: key, clientCode: clientCode(1), occurredAt: new Date().toISOString(), variables: { amount: 500, mode: 'NEFT', balance: 900 } },
        headers: { 'event-id': 'e2e-dead-1', source: 'stream', 'dead-letter.source-id': '999999', 'dead-letter.source-topic': triggeredEventsTopic, 'dead-letter.attempts': '5', 'dead-letter.error': 'Error: provider timed out' },
      }]);
      // The lag panel (polled) counts it and leads to the dead letters.
      const group = page.getByTestId('lag-group').filter({ hasText: processorGroup });
      await group.getByRole('button', { name: /1\s*open dead letter/ }).click({ timeout: 10 * SECOND });
      await page.waitForURL((target) => target.searchParams.get('tab') === 'dead-letters');
      const row = page.locator('[data-testid="dead-letter-row"][data-event-id="e2e-dead-1"]');
      await row.waitFor();
      assert.match(await row.innerText(), /provider timed out/);
      assert.match(await row.innerText(), /after 5 attempts/);

      await row.getByRole('button', { name: 'Retry', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Retry this dead letter?' });
      await dialog.waitFor();
      assert.match(await dialog.innerText(), /e2e-dead-1/);
      await dialog.getByRole('button', { name: 'Retry', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(await waitForText(row.getByTestId('dead-letter-status'), /\S/), 'Retried');
      await waitForText(page.getByRole('status').filter({ hasText: 'processor.retry' }), /sent to processor\.retry/);
      assert.equal(await row.getByRole('button', { name: 'Retry', exact: true }).count(), 0);

      // The retried event is handled: its detail, opened from the dead letter, says planned.
      await app.events.processor.drained();
      await row.getByRole('button', { name: 'e2e-dead-1' }).click();
      await page.waitForURL((target) => target.searchParams.get('event') === 'e2e-dead-1' && !target.searchParams.has('tab'));
      const detail = page.getByTestId('event-detail');
      assert.equal(await waitForText(detail.getByTestId('detail-event-id'), /\S/), 'e2e-dead-1');
      await waitForText(detail.getByTestId('event-status'), /^Planned$/);
      assert.match(await detail.innerText(), /Retried/);
      await assertNoClearContacts(page);
    });

    await t.test('a dead letter is discarded after confirmation: it stays listed as discarded, and none is open', async () => {
      const key = idOf(clientCode(2));
      await app.eventLog.append([{
        topic: deadLetterTopic(processorGroup), key, type: 'funds.payin_received',
        payload: { clientId: key, clientCode: clientCode(2), occurredAt: new Date().toISOString(), variables: { amount: 5, mode: 'UPI', balance: 5 } },
        headers: { 'event-id': 'e2e-dead-2', source: 'api', 'dead-letter.source-id': '999998', 'dead-letter.source-topic': triggeredEventsTopic, 'dead-letter.attempts': '5', 'dead-letter.error': 'Error: no such template' },
      }]);
      const group = page.getByTestId('lag-group').filter({ hasText: processorGroup });
      await group.getByRole('button', { name: /1\s*open dead letter/ }).click({ timeout: 10 * SECOND });
      await page.waitForURL((target) => target.searchParams.get('tab') === 'dead-letters');
      const row = page.locator('[data-testid="dead-letter-row"][data-event-id="e2e-dead-2"]');
      await row.getByRole('button', { name: 'Discard', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Discard this dead letter?' });
      await dialog.waitFor();
      assert.match(await dialog.innerText(), /e2e-dead-2/);
      await dialog.getByRole('button', { name: 'Discard', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(await waitForText(row.getByTestId('dead-letter-status'), /\S/), 'Discarded');
      assert.equal(await row.getByRole('button').filter({ hasText: /^(Retry|Discard)$/ }).count(), 0);
      await group.getByRole('button', { name: /open dead letter/ }).waitFor({ state: 'detached', timeout: 10 * SECOND });
    });

    assert.deepEqual(pageErrors, [], 'the page threw no uncaught errors');
  } finally {
    await context.close();
  }
});

test('a viewer sees the dead letters without retry or discard', { timeout: 60 * SECOND }, async () => {
  assert.ok(platform !== undefined && browser !== undefined);
  const email = 'viewer.events@test.pravah.in';
  const password = 'viewer-password-123';
  await platform.platform.users.create({ email, password, role: 'viewer', name: 'Viewer' }, 'test');
  const { context, page } = await openPage(browser, { viewport: { width: 1280, height: 800 } });
  try {
    await signIn(page, platform.url, email, password);
    await page.getByRole('tab', { name: /Dead letters/ }).click();
    await page.getByText('Retrying and discarding dead letters is for operations and admin users.').waitFor();
    await page.getByRole('button', { name: 'Retried' }).click();
    await page.locator('[data-testid="dead-letter-row"][data-event-id="e2e-dead-1"]').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Retry', exact: true }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Discard', exact: true }).count(), 0);
  } finally {
    await context.close();
  }
});
