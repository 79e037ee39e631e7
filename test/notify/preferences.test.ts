// Client notification preferences through the API, and the planner honouring them: an opted-out
// category and a muted channel are skipped for ordinary events, never for regulatory ones.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { tokensByRole } from '../helpers/session.ts';
import { clientCode, clientInput, writeJsonl } from '../helpers/clients.ts';

describe('notification preferences', () => {
  let t: TestPlatform;
  let dir: string;
  let auth: Record<string, { authorization: string }>;

  before(async () => {
    t = await startTestPlatform({ env: { NOTIFY_SANDBOX: 'true', ROLES: 'api,ingest,events' } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-prefs-'));
    const file = path.join(dir, 'clients.jsonl');
    await writeJsonl(file, [clientInput(1), clientInput(2)]);
    await t.platform.ingest.run(await t.platform.ingest.create({ source: 'clients.jsonl', filePath: file, createdBy: 'test' }));
    const tokens = await tokensByRole(t.platform);
    auth = Object.fromEntries(Object.entries(tokens).map(([role, token]) => [role, { authorization: `Bearer ${token}` }]));
  });
  after(async () => {
    await t.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('defaults until set; a full set is stored and read back; bad values are refused with the field', async () => {
    const url = `/api/clients/${clientCode(1)}/preferences`;
    const first = await t.platform.http.inject({ method: 'GET', url, headers: auth['viewer']! });
    assert.equal(first.statusCode, 200);
    assert.deepEqual(first.json(), { language: 'en', optedOut: [], muted: [], quietHours: null, timeZone: 'Asia/Kolkata' });
    const prefs = { language: 'hi', optedOut: ['funds'], muted: ['push'], quietHours: { start: '22:00', end: '07:00' }, timeZone: 'Asia/Dubai' };
    const put = await t.platform.http.inject({ method: 'PUT', url, headers: auth['ops']!, payload: prefs });
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual((await t.platform.http.inject({ method: 'GET', url, headers: auth['viewer']! })).json(), prefs);
    const badZone = await t.platform.http.inject({ method: 'PUT', url, headers: auth['ops']!, payload: { ...prefs, timeZone: 'Mars/Olympus' } });
    assert.equal(badZone.statusCode, 400);
    assert.match(badZone.body, /timeZone/);
    const badCategory = await t.platform.http.inject({ method: 'PUT', url, headers: auth['ops']!, payload: { ...prefs, optedOut: ['gossip'] } });
    assert.equal(badCategory.statusCode, 400);
    const viewer = await t.platform.http.inject({ method: 'PUT', url, headers: auth['viewer']!, payload: prefs });
    assert.equal(viewer.statusCode, 403);
  });

  test('the planner skips an opted-out category and a muted channel, except for regulatory events', async () => {
    const url = `/api/clients/${clientCode(2)}/preferences`;
    const put = await t.platform.http.inject({ method: 'PUT', url, headers: auth['ops']!, payload: { language: 'en', optedOut: ['funds'], muted: ['push'], quietHours: null, timeZone: 'Asia/Kolkata' } });
    assert.equal(put.statusCode, 200);
    const outcome = await t.platform.eventIntake.submit([
      { id: 'pref-funds', type: 'funds.payout_processed', clientCode: clientCode(2), variables: { amount: 100, bankMasked: 'XXXXXX1234', utr: 'UTR123' } },
      { id: 'pref-trade', type: 'order.rejected', clientCode: clientCode(2), variables: { symbol: 'TCS', qty: 1, reason: 'Insufficient margin' } },
      { id: 'pref-mtf', type: 'mtf.margin_call', clientCode: clientCode(2), variables: { shortfall: 500, dueBy: '2026-11-26T15:30:00+05:30', positions: 1 } },
    ], { source: 'cli' });
    assert.equal(outcome.accepted, 3, JSON.stringify(outcome.results));
    await t.platform.events.processor.drained();
    const channels = async (eventId: string) => (await t.database.db.query<{ channel: string }>('SELECT channel FROM notification_messages WHERE event_id = $1 ORDER BY channel', [eventId])).rows.map((r) => r.channel);
    assert.deepEqual(await channels('pref-funds'), [], 'funds is opted out');
    assert.deepEqual(await channels('pref-trade'), [], 'order.rejected goes by push only, and push is muted');
    assert.deepEqual(await channels('pref-mtf'), ['push', 'sms'], 'a regulatory margin call ignores both');
  });
});
