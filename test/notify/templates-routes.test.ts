// /api/templates on a started platform: the seeded templates listed and filtered, a template with
// its history, the preview (sample or given variables, DLT check, segments, issues) for any staff
// role, and saving a new version: admins only, audited, refused with every issue when invalid or
// when another version came first.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { tokensByRole } from '../helpers/session.ts';
import type { StaffRole } from '../../src/auth/roles.ts';
import { seedDrafts } from '../../src/notify/templates/seed-templates.ts';
import { verifyAuditChain } from '../../src/auth/audit.ts';

type Template = { id: string; type: string; channel: string; language: string; version: number; note: string | null; createdBy: string; author: string; createdAt: string; sms?: Record<string, string>; push?: { title: string; body: string } };

const marginSms = {
  type: 'mtf.margin_call', channel: 'sms', language: 'en',
  sms: {
    body: 'MTF margin call: pay {{shortfall}} by {{dueBy}} to keep {{positions}} position(s). -Pravah',
    dltText: 'MTF margin call: pay {#var#} by {#var#} to keep {#var#} position(s). -Pravah',
    peId: '1101000000000000000', header: 'PRVAHB', dltTemplateId: '1107170999000000001', category: 'service_implicit',
  },
};

describe('template routes', () => {
  let t: TestPlatform;
  let tokens: Record<StaffRole, string>;

  function call(method: 'GET' | 'POST', url: string, role: StaffRole | null, payload?: unknown) {
    return t.platform.http.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }), headers: role ? { authorization: `Bearer ${tokens[role]}` } : {} });
  }

  before(async () => {
    t = await startTestPlatform();
    tokens = await tokensByRole(t.platform);
  });
  after(async () => {
    await t.stop();
  });

  test('the platform seeded every default template at start; the list filters by type, channel and language', async () => {
    const all = await call('GET', '/api/templates', 'viewer');
    assert.equal(all.statusCode, 200, all.body);
    assert.equal(all.json<{ items: Template[] }>().items.length, seedDrafts().length);
    const hindiSms = (await call('GET', '/api/templates?type=mtf.margin_call&channel=sms&language=hi', 'compliance')).json<{ items: Template[] }>().items;
    assert.deepEqual(hindiSms.map((i) => i.id), ['mtf.margin_call:sms:hi']);
    assert.equal(hindiSms[0]?.author, 'system');
    assert.equal((await call('GET', '/api/templates?channel=fax', 'viewer')).statusCode, 400);
  });

  test('every route needs a signed-in user; only admins save', async () => {
    assert.equal((await call('GET', '/api/templates', null)).statusCode, 401);
    assert.equal((await call('POST', '/api/templates/preview', null, marginSms)).statusCode, 401);
    for (const role of ['ops', 'compliance', 'viewer'] as const) {
      const res = await call('POST', '/api/templates', role, marginSms);
      assert.equal(res.statusCode, 403, role);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'FORBIDDEN');
      assert.equal((await call('POST', '/api/templates/preview', role, marginSms)).statusCode, 200, `${role} may preview`);
    }
  });

  test('preview: the rendered content, the DLT check, segments, and the sample it used', async () => {
    const res = await call('POST', '/api/templates/preview', 'viewer', marginSms);
    assert.equal(res.statusCode, 200, res.body);
    const p = res.json<{ rendered: { text: string; content: { dlt: { templateId: string }; unicode: boolean } }; dlt: { ok: boolean }; sms: { segments: number; encoding: string }; issues: unknown[]; canSave: boolean; variables: Record<string, unknown>; suggestedDltText: string }>();
    assert.equal(p.rendered.text, 'MTF margin call: pay Rs.18,500.75 by 11 Feb 2026, 3:00 PM IST to keep 3 position(s). -Pravah');
    assert.equal(p.rendered.content.dlt.templateId, '1107170999000000001');
    assert.deepEqual(p.dlt, { ok: true, variables: 3 });
    assert.deepEqual([p.sms.encoding, p.sms.segments], ['gsm7', 1]);
    assert.equal(p.canSave, true);
    assert.equal(p.variables['shortfall'], 18500.75);
    assert.equal(p.suggestedDltText, marginSms.sms.dltText);
  });

  test('preview with given variables, and a mismatch shown with its position instead of an error', async () => {
    const mismatched = { ...marginSms, sms: { ...marginSms.sms, body: marginSms.sms.body.replace(' by ', ' before ') }, variables: { shortfall: 1250000, dueBy: '2026-11-26T10:00:00Z', positions: 1 } };
    const p = (await call('POST', '/api/templates/preview', 'ops', mismatched)).json<{ rendered: { text: string }; dlt: { ok: boolean; position: number; message: string }; canSave: boolean; issues: Array<{ field: string; rule: string }> }>();
    assert.match(p.rendered.text, /Rs\.12,50,000\.00 before 26 Nov 2026, 3:30 PM IST/);
    assert.equal(p.dlt.ok, false);
    assert.equal(p.dlt.position, 'MTF margin call: pay Rs.12,50,000.00 b'.length);
    assert.equal(p.canSave, false);
    assert.deepEqual(p.issues.map((i) => `${i.field}:${i.rule}`), ['sms.dltText:dlt_mismatch']);

    const missing = (await call('POST', '/api/templates/preview', 'ops', { ...marginSms, variables: { shortfall: 1 } })).json<{ rendered: null; error: { code: string; field: string } }>();
    assert.equal(missing.rendered, null);
    assert.deepEqual([missing.error.code, missing.error.field], ['missing_variable', 'dueBy']);
  });

  test('saving a new version: 201, active, in the history with its author, audited', async () => {
    const before = (await call('GET', '/api/templates/mtf.margin_call:sms:en', 'viewer')).json<{ template: Template; versions: Template[] }>();
    assert.equal(before.template.version, 1);
    const res = await call('POST', '/api/templates', 'admin', { ...marginSms, note: 'Shorter wording', baseVersion: 1 });
    assert.equal(res.statusCode, 201, res.body);
    const saved = res.json<{ template: Template }>().template;
    assert.equal(saved.version, 2);
    assert.match(saved.createdBy, /^user:/);
    assert.match(saved.author, /\*\*\*\*@test\.pravah\.in$/, 'a masked email, never the address');

    const after = (await call('GET', '/api/templates/mtf.margin_call:sms:en', 'viewer')).json<{ template: Template; versions: Template[] }>();
    assert.equal(after.template.version, 2);
    assert.equal(after.template.sms?.['body'], marginSms.sms.body);
    assert.deepEqual(after.versions.map((v) => [v.version, v.note]), [[2, 'Shorter wording'], [1, 'Seeded default']]);
    assert.equal((await t.platform.templates.active('mtf.margin_call', 'sms', 'en'))?.version, 2, 'the dispatcher sees the new version at once');

    const { rows } = await t.database.db.query<{ actor: string; target: string; details: Record<string, unknown> }>("SELECT actor, target, details FROM audit_log WHERE action = 'template.saved'");
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.target, 'mtf.margin_call:sms:en');
    assert.deepEqual(rows[0]?.details, { type: 'mtf.margin_call', channel: 'sms', language: 'en', version: 2, previousVersion: 1 });
    assert.equal(await verifyAuditChain(t.database.db), undefined);
  });

  test('a save is refused: 422 with every issue, 409 after another version, 400 for the wrong channel fields, 404 for an unknown id', async () => {
    const bad = await call('POST', '/api/templates', 'admin', { ...marginSms, sms: { ...marginSms.sms, body: 'Pay {{amount}} now', header: 'PRAVAH-1' } });
    assert.equal(bad.statusCode, 422, bad.body);
    const error = bad.json<{ error: { code: string; details: Array<{ field: string; rule: string }> } }>().error;
    assert.equal(error.code, 'TEMPLATE_INVALID');
    assert.deepEqual(error.details.map((d) => `${d.field}:${d.rule}`).sort(), ['sms.body:unknown_variable', 'sms.header:format']);

    const stale = await call('POST', '/api/templates', 'admin', { ...marginSms, baseVersion: 1 });
    assert.equal(stale.statusCode, 409);

    const wrong = await call('POST', '/api/templates', 'admin', { type: 'mtf.margin_call', channel: 'push', language: 'en', sms: marginSms.sms });
    assert.equal(wrong.statusCode, 400);
    assert.equal((await call('GET', '/api/templates/mtf.margin_call:fax:en', 'viewer')).statusCode, 400);
    assert.equal((await call('GET', '/api/templates/order.rejected:sms:en', 'viewer')).statusCode, 404);
  });
});
