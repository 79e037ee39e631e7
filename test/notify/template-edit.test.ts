// A template edited while messages flow: a message is rendered from the version that was active when
// it was planned, on every attempt (so a retry or a resend after an interrupted send reads the same);
// messages planned after the edit use the new version at once (the cache is dropped on save), and
// each records the version it used. A message with no template at all fails with its code.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { clientCode, clientInput, writeJsonl } from '../helpers/clients.ts';
import { deriveDltText } from '../../src/notify/templates/derive-dlt-text.ts';
import { createTemplatePicker, createTemplateRenderer } from '../../src/notify/template-renderer.ts';
import type { TemplateStore } from '../../src/notify/templates/template-store.ts';

describe('template edits during sending', () => {
  let t: TestPlatform;
  let dir: string;

  async function sendAndWait(id: string, type = 'funds.payout_processed', variables: Record<string, unknown> = { amount: 2500, bankMasked: 'XXXXXXXX4321', utr: 'UTR12345678' }) {
    const outcome = await t.platform.eventIntake.submit([{ id, type, clientCode: clientCode(7), variables }], { source: 'cli' });
    assert.equal(outcome.accepted, 1, JSON.stringify(outcome.results));
    await t.platform.events.processor.drained();
    for (let i = 0; i < 200; i++) {
      const { rows } = await t.database.db.query<{ status: string; template_version: number | null; last_code: string | null }>(
        `SELECT status, template_version, last_code FROM notification_messages WHERE event_id = $1 AND channel = 'sms'`, [id],
      );
      if (rows[0] && ['delivered', 'failed', 'undeliverable'].includes(rows[0].status)) return rows[0];
      await sleep(50);
    }
    throw new Error(`message for ${id} did not settle`);
  }

  before(async () => {
    t = await startTestPlatform({ env: { NOTIFY_SANDBOX: 'true' } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-template-edit-'));
    const file = path.join(dir, 'clients.jsonl');
    await writeJsonl(file, [clientInput(7)]);
    await t.platform.ingest.run(await t.platform.ingest.create({ source: 'clients.jsonl', filePath: file, createdBy: 'test' }));
  });
  after(async () => {
    await t.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('before the edit version 1, after it version 2; the sandbox phone shows the new wording', async () => {
    const before = await sendAndWait('edit-before');
    assert.deepEqual(before, { status: 'delivered', template_version: 1, last_code: null });
    const active = await t.platform.templates.active('funds.payout_processed', 'sms', 'en');
    assert.ok(active && active.channel === 'sms');
    const body = 'Pravah: {{amount}} paid out to your bank a/c {{bankMasked}}, UTR {{utr}}. Not you? Call us. -Pravah';
    await t.platform.templates.save({ type: active.type, language: active.language, channel: 'sms', sms: { ...active.sms, body, dltText: deriveDltText(body, active.type) } }, { actor: 'test' });
    const after = await sendAndWait('edit-after');
    assert.deepEqual(after, { status: 'delivered', template_version: 2, last_code: null });
  });

  test('a message keeps the version picked when it was planned: rendered again after an edit, it reads as before', async () => {
    const templates = t.platform.templates;
    const pick = createTemplatePicker(templates);
    const render = createTemplateRenderer(templates);
    const type = 'funds.payout_processed';
    const variables = { amount: 2500, bankMasked: 'XXXXXXXX4321', utr: 'UTR12345678', clientCode: clientCode(7) };
    const pinned = await pick({ type, channel: 'sms', language: 'en' });
    const active = await templates.active(type, 'sms', 'en');
    assert.ok(pinned && active && active.channel === 'sms');
    assert.deepEqual(pinned, { id: active.id, version: active.version });
    const before = await render({ type, channel: 'sms', language: 'en', variables, template: pinned });
    const body = 'Pravah: {{amount}} is on its way to a/c {{bankMasked}} (UTR {{utr}}). Not you? Call us. -Pravah';
    await templates.save({ type, language: 'en', channel: 'sms', sms: { ...active.sms, body, dltText: deriveDltText(body, type) } }, { actor: 'test' });
    const again = await render({ type, channel: 'sms', language: 'en', variables, template: pinned });
    const fresh = await render({ type, channel: 'sms', language: 'en', variables });
    assert.ok(before.ok && again.ok && fresh.ok);
    assert.deepEqual(again, before, 'the pinned version renders the same message after the edit');
    assert.equal(fresh.version, pinned.version + 1);
    assert.match(fresh.content.sms!.text, /is on its way/);
    assert.doesNotMatch(again.content.sms!.text, /is on its way/);
    // A pinned version that does not exist is a defined failure, not the active version in disguise.
    assert.deepEqual(await render({ type, channel: 'sms', language: 'en', variables, template: { id: pinned.id, version: 999 } }), {
      ok: false, code: 'unknown_template', detail: `${pinned.id} has no version 999`,
    });
  });
});

test('no active template for a message: the renderer answers unknown_template (the dispatcher fails the message with it and falls back)', async () => {
  const asked: string[] = [];
  const store = { active: async (type: string, channel: string, language: string) => void asked.push(`${type}:${channel}:${language}`) } as unknown as TemplateStore;
  const render = createTemplateRenderer(store);
  const result = await render({ type: 'funds.payout_processed', channel: 'sms', language: 'hi', variables: {} });
  assert.deepEqual(result, { ok: false, code: 'unknown_template', detail: 'no active sms template for funds.payout_processed' });
  assert.deepEqual(asked, ['funds.payout_processed:sms:hi', 'funds.payout_processed:sms:en'], 'Hindi falls back to English first');
});
