// The Templates page in a real browser against a real platform: an admin opens the MTF margin call
// SMS, edits the body and watches the phone preview follow (the DLT check failing, then matching
// once the registered text is updated), saves a new version and finds it in the history with the
// change marked; a viewer reads the same template without being able to edit it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestPlatform } from '../helpers/platform.ts';
import { launchChromium, waitForText, openPage } from '../helpers/browser.ts';

const SECOND = 1000;

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

async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(`${url}/templates`);
  await page.waitForURL((target) => target.pathname === '/login');
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((target) => target.pathname === '/templates');
  await page.getByRole('heading', { level: 1, name: 'Templates' }).waitFor();
}

test('templates page: edit an SMS, see the preview follow, save, and find it in the history', { timeout: 90 * SECOND }, async (t) => {
  assert.ok(platform !== undefined && browser !== undefined);
  const { url, admin } = platform;
  const { context, page, pageErrors } = await openPage(browser, { viewport: { width: 1440, height: 1000 } });
  const preview = page.getByTestId('preview-text');

  try {
    await t.test('the list groups the seeded templates by event type', async () => {
      await signIn(page, url, admin.email, admin.password);
      assert.equal(await waitForText(page.getByTestId('template-count'), /templates/), '118 templates for 30 event types');
      await page.getByRole('heading', { name: 'Choose a template' }).waitFor();
    });

    await t.test('opening the MTF margin call SMS shows it on a phone, matching its DLT registration', async () => {
      await page.getByRole('button', { name: 'MTF margin call: SMS, English, version 1' }).click();
      await page.waitForURL((target) => target.searchParams.get('id') === 'mtf.margin_call:sms:en');
      await waitForText(preview, /^MTF margin call: shortfall of Rs\.18,500\.75 across 3 position\(s\)\. Pay by 11 Feb 2026, 3:00 PM IST/);
      await waitForText(page.getByTestId('dlt-check'), /DLT match/);
      assert.match(await waitForText(page.getByTestId('sms-segments'), /GSM-7/), /1 SMS segment/);
    });

    await t.test('editing the body updates the preview; the DLT check fails until the registered text follows', async () => {
      const body = page.getByLabel('Message body');
      const original = await body.inputValue();
      await body.fill(original.replace('Pay by {{dueBy}}', 'Please pay by {{dueBy}}'));
      await waitForText(preview, /Please pay by 11 Feb 2026/);
      await waitForText(page.getByTestId('dlt-check'), /DLT mismatch.*character \d+/);
      assert.equal(await page.locator('mark.dlt-mark').count(), 1, 'the character where the texts part is marked');
      const save = page.getByRole('button', { name: 'Save as new version' });
      assert.equal(await save.isDisabled(), true, 'a template that does not match its registration cannot be saved');

      await page.getByRole('button', { name: 'Use the text this body calls for' }).click();
      assert.match(await page.getByLabel('Registered DLT text').inputValue(), /Please pay by \{#var#\}/);
      await waitForText(page.getByTestId('dlt-check'), /DLT match/);
      await page.getByLabel('DLT template id').fill('1107170999000000020');
      await page.getByLabel('Note for the history').fill('Politer wording, re-registered');
      await waitForText(page.getByTestId('save-check').first(), /Renders from the catalog sample/);
      await page.waitForFunction(() => !(document.querySelector('.template-save-actions .button-primary') as HTMLButtonElement | null)?.disabled);
    });

    await t.test('saving makes version 2, active, with the change marked in the history', async () => {
      await page.getByRole('button', { name: 'Save as new version' }).click();
      await waitForText(page.getByTestId('save-status'), /Saved as version 2/);
      const items = page.getByTestId('history-item');
      await waitForText(items.first(), /Version 2\s*Active/);
      assert.match((await items.first().textContent()) ?? '', /Politer wording, re-registered/);
      assert.match((await items.first().locator('ins').first().textContent()) ?? '', /Please/);
      assert.equal(await items.count(), 2);
      await waitForText(page.getByRole('button', { name: /MTF margin call: SMS, English, version 2/ }), /v2/);
      const active = await platform!.platform.templates.active('mtf.margin_call', 'sms', 'en');
      assert.ok(active?.channel === 'sms' && active.version === 2 && active.sms.body.includes('Please pay by'));
    });

    await t.test('a WhatsApp template shows as a card and a push one as a banner', async () => {
      await page.getByRole('button', { name: 'MTF margin call: WhatsApp, Hindi, version 1' }).click();
      await waitForText(preview, /₹18,500\.75 के मार्जिन की कमी/);
      await page.getByRole('button', { name: 'MTF margin call: Push, English, version 1' }).click();
      await waitForText(preview, /MTF margin call: ₹18,500\.75/);
    });
  } finally {
    await context.close();
  }
  assert.deepEqual(pageErrors, []);
});

test('templates page: a viewer reads a template and its history but cannot edit', { timeout: 60 * SECOND }, async () => {
  assert.ok(platform !== undefined && browser !== undefined);
  const viewer = { email: 'viewer.templates@test.pravah.in', password: 'viewer-password-123' };
  await platform.platform.users.create({ ...viewer, role: 'viewer' }, 'test');
  const { context, page } = await openPage(browser, { viewport: { width: 1440, height: 1000 } });
  try {
    await signIn(page, platform.url, viewer.email, viewer.password);
    await page.goto(`${platform.url}/templates?id=kyc.on_hold:sms:hi`);
    await waitForText(page.getByTestId('preview-text'), /KRA ने आपका KYC होल्ड पर रखा है/);
    await page.getByText('Only admins can change templates').waitFor();
    assert.equal(await page.getByLabel('Message body').getAttribute('readonly'), '');
    assert.equal(await page.getByRole('button', { name: 'Save as new version' }).count(), 0);
    await waitForText(page.getByTestId('history-item').first(), /Version 1\s*Active/);
  } finally {
    await context.close();
  }
});
