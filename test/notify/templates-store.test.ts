// The template store on a real database: every save is a new version that becomes the active one,
// versions are immutable, a stale edit is refused, the active version is cached and dropped on a
// save (also in another process, through the broadcast), and seeding runs once.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createTemplateStore, type TemplateStore } from '../../src/notify/templates/template-store.ts';
import { seedDrafts, seedTemplates } from '../../src/notify/templates/seed-templates.ts';
import { createMemoryCache } from '../../src/cache/memory-cache.ts';
import { createManualClock, SECOND } from '../../src/platform/time.ts';
import { isAppError } from '../../src/platform/errors.ts';
import { verifyAuditChain } from '../../src/auth/audit.ts';
import { renderMessage } from '../../src/notify/templates/render.ts';
import type { TemplateDraft } from '../../src/notify/templates/template.ts';

const push = (body: string): TemplateDraft => ({ type: 'funds.payin_received', language: 'en', channel: 'push', push: { title: 'Funds received', body } });
const id = 'funds.payin_received:push:en';

describe('template store', () => {
  let database: TestDatabase;
  let store: TemplateStore;
  const clock = createManualClock('2026-02-10T10:00:00Z');
  const cache = createMemoryCache({ clock });

  before(async () => {
    database = await createTestDatabase();
    store = createTemplateStore({ db: database.db, cache, clock, cacheTtlMs: 60 * SECOND });
    await store.start();
  });
  after(async () => {
    await store.stop();
    await database.drop();
  });

  test('each save inserts the next version and makes it active; history keeps them all', async () => {
    const v1 = await store.save(push('{{amount}} received via {{mode}}.'), { actor: 'user:00000000-0000-0000-0000-000000000001', note: 'first' });
    const v2 = await store.save(push('{{amount}} received via {{mode}}. Balance {{balance}}.'), { actor: 'user:00000000-0000-0000-0000-000000000001' });
    assert.deepEqual([v1.version, v2.version], [1, 2]);
    const history = await store.history(id);
    assert.ok(history);
    assert.equal(history.active.version, 2);
    assert.deepEqual(history.versions.map((v) => v.version), [2, 1]);
    assert.equal(history.versions[1]?.note, 'first');
    assert.ok(history.versions[1]?.channel === 'push' && history.versions[1].push.body === '{{amount}} received via {{mode}}.');
    const [summary] = await store.list({ type: 'funds.payin_received', channel: 'push' });
    assert.equal(summary?.version, 2);
    assert.equal(summary?.versions, 2);
    assert.equal(await verifyAuditChain(database.db), undefined);
    const { rows } = await database.db.query<{ action: string; target: string; details: { version: number } }>("SELECT action, target, details FROM audit_log WHERE action = 'template.saved' ORDER BY id");
    assert.deepEqual(rows.map((r) => [r.target, r.details.version]), [[id, 1], [id, 2]]);
  });

  test('a version is never changed: the database refuses an update', async () => {
    await assert.rejects(database.db.query(`UPDATE notification_template_versions SET note = 'x' WHERE template_id = $1`, [id]), /immutable/);
    await assert.rejects(database.db.query('DELETE FROM notification_template_versions WHERE template_id = $1', [id]), /immutable/);
  });

  test('an edit that started from an older version is refused (CONFLICT)', async () => {
    await assert.rejects(store.save(push('{{amount}} in via {{mode}}.'), { actor: 'user:x', baseVersion: 1 }), (e) => isAppError(e) && e.code === 'CONFLICT');
    const saved = await store.save(push('{{amount}} in via {{mode}}.'), { actor: 'user:x', baseVersion: 2 });
    assert.equal(saved.version, 3);
  });

  test('an invalid template is refused with every issue, and nothing is written', async () => {
    const before = (await store.history(id))?.versions.length;
    await assert.rejects(store.save(push('{{amount}} via {{bank}} at {{time:clock}}'), { actor: 'user:x' }), (e) => {
      assert.ok(isAppError(e) && e.code === 'TEMPLATE_INVALID');
      assert.deepEqual((e.details as Array<{ rule: string }>).map((i) => i.rule).sort(), ['unknown_format', 'unknown_variable', 'unknown_variable']);
      return true;
    });
    assert.equal((await store.history(id))?.versions.length, before);
  });

  test('the active version is cached, dropped on save, and a message keeps the version it used', async () => {
    const first = await store.active('funds.payin_received', 'push', 'en');
    assert.equal(first?.version, 3);
    // Changed behind the store's back: the cache still answers until a save drops it.
    await database.db.query('UPDATE notification_templates SET active_version = 1 WHERE id = $1', [id]);
    assert.equal((await store.active('funds.payin_received', 'push', 'en'))?.version, 3);
    store.invalidate(id);
    assert.equal((await store.active('funds.payin_received', 'push', 'en'))?.version, 1);
    await database.db.query('UPDATE notification_templates SET active_version = 3 WHERE id = $1', [id]);
    store.invalidate();

    // A message rendered before an edit recorded version 3; the edit changes the next message only.
    const during = await store.active('funds.payin_received', 'push', 'en');
    const message = renderMessage(during!, { amount: 10, mode: 'UPI', balance: 10 });
    assert.ok(message.ok && message.version === 3);
    await store.save(push('Received {{amount}} ({{mode}}).'), { actor: 'user:x' });
    const next = renderMessage((await store.active('funds.payin_received', 'push', 'en'))!, { amount: 10, mode: 'UPI', balance: 10 });
    assert.ok(next.ok && next.version === 4 && next.channel === 'push' && next.content.body === 'Received ₹10.00 (UPI).');
    const again = renderMessage((await store.version(id, 3))!, { amount: 10, mode: 'UPI', balance: 10 });
    assert.ok(again.ok && message.ok && again.text === message.text, 'the recorded version renders the same message again');
  });

  test("another process's save reaches this cache through the broadcast; the TTL backs it up", async () => {
    const other = createTemplateStore({ db: database.db, cache, clock, cacheTtlMs: 60 * SECOND });
    await other.start();
    try {
      assert.equal((await other.active('funds.payin_received', 'push', 'en'))?.version, 4);
      await store.save(push('Got {{amount}} by {{mode}}.'), { actor: 'user:x' });
      assert.equal((await other.active('funds.payin_received', 'push', 'en'))?.version, 5);

      // Without a broadcast (a lost message), the entry lives until its TTL.
      await database.db.query('UPDATE notification_templates SET active_version = 4 WHERE id = $1', [id]);
      assert.equal((await other.active('funds.payin_received', 'push', 'en'))?.version, 5);
      clock.advance(61 * SECOND);
      assert.equal((await other.active('funds.payin_received', 'push', 'en'))?.version, 4);
    } finally {
      await other.stop();
    }
  });

  test('an unknown template is undefined', async () => {
    assert.equal(await store.active('funds.payin_received', 'sms', 'hi'), undefined);
    assert.equal(await store.history('funds.payin_received:sms:hi'), undefined);
    assert.equal(await store.version(id, 99), undefined);
  });
});

describe('seeding', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await database.drop();
  });

  test('fills an empty table once, from several processes at once; never touches a filled one', async () => {
    const stores = [1, 2, 3].map(() => createTemplateStore({ db: database.db }));
    const counts = await Promise.all(stores.map((s) => seedTemplates(s, { peId: '1201159100000000001', header: 'PRAVAH' })));
    assert.deepEqual(counts.toSorted(), [0, 0, seedDrafts().length]);
    assert.equal(await seedTemplates(stores[0]!), 0);
    const all = await stores[0]!.list();
    assert.equal(all.length, seedDrafts().length);
    const sms = all.find((t) => t.channel === 'sms');
    assert.ok(sms?.channel === 'sms' && sms.sms.peId === '1201159100000000001' && sms.sms.header === 'PRAVAH', 'the configured DLT entity and header');
    assert.ok(all.every((t) => t.version === 1 && t.createdBy === 'system:seed' && t.author === 'system'));
  });

  test('a configured PE id or header a template would refuse falls back to the placeholder', async () => {
    let seeded: readonly TemplateDraft[] = [];
    await seedTemplates({ seed: async (drafts) => ((seeded = drafts), drafts.length) }, { peId: 'PE-12', header: 'pravah-sms' });
    const sms = seeded.filter((d) => d.channel === 'sms');
    assert.ok(sms.length > 0 && sms.every((d) => d.sms.peId === '1101000000000000000' && d.sms.header === 'PRVAHB'));
  });
});
