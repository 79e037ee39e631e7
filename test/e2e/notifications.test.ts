// The Notifications page in a real browser against a real platform (API role only, over a ledger
// made by the real planner, dispatcher and sandbox): an ops user sees the ledger, filters it with a
// chip, opens a failed message's timeline, retries it after confirming, and reads the sandbox inbox
// with its SMS bubble, WhatsApp card and push banner; the Overview shows delivery accuracy. No
// mobile number in clear may reach the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startTestPlatform } from '../helpers/platform.ts';
import { launchChromium, waitForText, openPage } from '../helpers/browser.ts';
import { clientCode, clientInput, mobileFor, writeJsonl } from '../helpers/clients.ts';
import { seedLedger, type LedgerFixture } from '../notify/ledger-fixture.ts';

const SECOND = 1000;
const ops = { email: 'ops.e2e@test.pravah.in', password: 'ops-e2e-password-123' };

let platform: Awaited<ReturnType<typeof startTestPlatform>> | undefined;
let browser: Browser | undefined;
let workDir: string | undefined;
let fx: LedgerFixture | undefined;

before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'pravah-notifications-e2e-'));
  platform = await startTestPlatform({ env: { ROLES: 'api' } });
  const file = path.join(workDir, 'clients.jsonl');
  await writeJsonl(file, [clientInput(1), clientInput(2)]);
  await platform.platform.ingest.run(await platform.platform.ingest.create({ source: 'clients.jsonl', filePath: file, createdBy: 'test' }));
  fx = await seedLedger(platform.platform);
  await platform.platform.users.create({ ...ops, name: 'Ops User', role: 'ops' }, 'test');
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await platform?.stop();
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

async function assertNoClearMobile(page: Page): Promise<void> {
  const html = await page.content();
  for (const i of [1, 2]) assert.equal(html.includes(mobileFor(i)), false, `the page holds the mobile of ${clientCode(i)} in clear`);
}

test('notifications: ledger, timeline, retry, sandbox inbox, accuracy', { timeout: 90 * SECOND }, async (t) => {
  assert.ok(platform !== undefined && browser !== undefined && fx !== undefined);
  const { url } = platform;
  const ids = fx.ids;
  const { context, page, pageErrors } = await openPage(browser, { viewport: { width: 1440, height: 900 } });
  const table = page.getByRole('table', { name: 'Notification ledger' });
  const row = (id: string) => table.locator(`[data-testid="notification-row"][data-message-id="${id}"]`);

  try {
    await t.test('ops signs in on Notifications and sees the ledger, masked', async () => {
      await page.goto(`${url}/notifications`);
      await page.waitForURL((target) => target.pathname === '/login');
      await page.locator('input[name="email"]').fill(ops.email);
      await page.locator('input[name="password"]').fill(ops.password);
      await page.locator('button[type="submit"]').click();
      await page.waitForURL((target) => target.pathname === '/notifications');
      await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
      await row(ids.failedSms).waitFor();
      assert.equal(await table.getByTestId('notification-row').count(), 6);
      const failed = row(ids.failedSms);
      assert.match(await failed.innerText(), new RegExp(clientCode(2)));
      assert.equal(await waitForText(failed.getByTestId('notification-status'), /\S/), 'Failed');
      assert.match(await failed.innerText(), /X{4,}/, 'the destination is shown masked');
      await assertNoClearMobile(page);
    });

    await t.test('a status chip filters the ledger on the server', async () => {
      await page.getByRole('group', { name: 'Status' }).getByRole('button', { name: 'Failed' }).click();
      await page.waitForURL((target) => target.searchParams.get('status') === 'failed');
      await waitForText(table.getByTestId('notification-row').first().getByTestId('notification-status'), /^Failed$/);
      const deadline = Date.now() + 10 * SECOND;
      while ((await table.getByTestId('notification-row').count()) !== 1 && Date.now() < deadline) await page.waitForTimeout(100);
      assert.equal(await table.getByTestId('notification-row').count(), 1);
      await page.getByRole('button', { name: 'Clear all filters' }).click();
      await row(ids.deliveredSms).waitFor();
    });

    await t.test('the failed message opens in the drawer with its timeline', async () => {
      await row(ids.failedSms).click();
      const drawer = page.getByTestId('message-drawer');
      await drawer.waitFor();
      const steps = drawer.getByTestId('timeline-step');
      await steps.first().waitFor();
      assert.deepEqual(await steps.evaluateAll((els) => els.map((el) => el.getAttribute('data-state'))), ['planned', 'failed']);
      assert.match(await steps.nth(1).innerText(), /Failed[\s\S]*Sandbox[\s\S]*code 30003/);
      assert.match(await drawer.getByTestId('drawer-event-link').innerText(), /^pay-/);
      await assertNoClearMobile(page);
    });

    await t.test('Retry, after confirming, puts it back in the queue with a manual-retry step', async () => {
      const drawer = page.getByTestId('message-drawer');
      await drawer.getByRole('button', { name: 'Retry' }).click();
      const dialog = page.getByRole('dialog', { name: 'Retry this message?' });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Retry now' }).click();
      await waitForText(drawer.getByTestId('drawer-status'), /^Queued$/);
      const states = await drawer.getByTestId('timeline-step').evaluateAll((els) => els.map((el) => el.getAttribute('data-state')));
      assert.deepEqual(states, ['planned', 'failed', 'manual_retry', 'queued']);
      await drawer.getByTestId('timeline-next').waitFor();
      await waitForText(row(ids.failedSms).getByTestId('notification-status'), /^Queued$/);
      assert.equal(await drawer.getByRole('button', { name: 'Retry' }).count(), 0, 'a queued message offers Cancel, not Retry');
      await drawer.getByRole('button', { name: 'Cancel message' }).waitFor();
      const { rows } = await platform!.platform.store.db.query<{ status: string }>('SELECT status FROM notification_messages WHERE id = $1', [ids.failedSms]);
      assert.equal(rows[0]!.status, 'queued');
      await drawer.getByRole('button', { name: 'Close the message detail' }).click();
      await drawer.waitFor({ state: 'detached' });
    });

    await t.test('the sandbox inbox shows the SMS as a bubble, WhatsApp as a template card and push as a banner', async () => {
      await page.getByRole('tab', { name: 'Sandbox inbox' }).click();
      const bubble = page.getByTestId('sandbox-sms-bubble');
      assert.equal(await waitForText(bubble, /received/), 'Dear client, Rs 500 received via UPI. -PRAVAH');
      const phone = page.getByTestId('sandbox-phone').filter({ has: bubble });
      assert.match(await phone.innerText(), new RegExp(clientCode(1)));
      assert.match(await phone.getByTestId('sandbox-sms').innerText(), /PRVAHB/);
      assert.match(await page.getByTestId('sandbox-whatsapp-card').innerText(), /funds_payin_received[\s\S]*Rs 1200/);
      assert.match(await page.getByTestId('sandbox-push-banner').innerText(), /Funds received[\s\S]*Rs 900 added/);
      await assertNoClearMobile(page);
    });

    await t.test('the Overview shows delivery accuracy', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      const card = page.getByTestId('delivery-accuracy');
      // The SMS, the push and the WhatsApp message delivered; the retried SMS and the queued WhatsApp are in flight.
      assert.equal(await waitForText(card.getByTestId('accuracy-value'), /%|—/), '100%');
      assert.match(await card.innerText(), /3 of 3 deliverable/);
    });

    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});
