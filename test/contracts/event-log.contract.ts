// The one suite every EventLog adapter must pass (Postgres now, NATS with the distributed mode).
// It speaks only the port plus a small harness: a transaction to append in, and a way to make a
// member die without a goodbye. Topics and groups are fresh per test, so a shared server is fine.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { deadLetterTopic, partitionOf, retryTopic, type EventLog, type EventRecord, type SubscribeOptions } from '../../src/log/event-log.ts';
import type { Queryable } from '../../src/store/db.ts';

export type EventLogMember = {
  log: EventLog;
  /** Dies as kill -9 would: no commit, no lease release. */
  crash(): Promise<void>;
  close(): Promise<void>;
};

export type EventLogHarness = {
  /** A new, independent member (its own connections), as another process would be. */
  member(options?: { leaseMs?: number }): Promise<EventLogMember>;
  /** Runs `fn` in a transaction of the store the log's `tx` option joins; rolls back when `commit` is false. */
  transaction(fn: (tx: Queryable) => Promise<void>, commit: boolean): Promise<void>;
  close(): Promise<void>;
};

const fast = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

function names() {
  const id = randomUUID().slice(0, 8);
  return { topic: `t-${id}`, group: `g-${id}` };
}

function records(topic: string, keys: number, perKey: number) {
  const out = [];
  for (let n = 0; n < perKey; n++) for (let k = 0; k < keys; k++) out.push({ topic, key: `k${k}`, type: 'test.seq', payload: { n } });
  return out;
}

/** Collects what a subscription sees; asserts per-key order as it goes. */
function collector() {
  const seen: EventRecord[] = [];
  const lastByKey = new Map<string, number>();
  const violations: string[] = [];
  return {
    seen,
    violations,
    async handle(batch: EventRecord[]) {
      for (const r of batch) {
        const n = r.payload['n'] as number;
        const last = lastByKey.get(`${r.topic}/${r.key}`) ?? -1;
        // A redelivery may repeat the last one(s) but never go backwards past a gap.
        if (n > last + 1) violations.push(`${r.key}: ${n} after ${last}`);
        if (n > last) lastByKey.set(`${r.topic}/${r.key}`, n);
        seen.push(r);
      }
    },
  };
}

export function describeEventLogContract(name: string, makeHarness: () => Promise<EventLogHarness>): void {
  describe(`EventLog contract: ${name}`, () => {
    let harness: EventLogHarness;
    let main: EventLogMember;
    before(async () => {
      harness = await makeHarness();
      main = await harness.member();
    });
    after(async () => {
      await main.close();
      await harness.close();
    });

    async function consume(options: Omit<SubscribeOptions, 'handle'> & { handle?: SubscribeOptions['handle'] }, log: EventLog = main.log) {
      const c = collector();
      const subscription = await log.subscribe({ handle: (batch) => c.handle(batch), ...options });
      return { ...c, subscription };
    }

    test('append returns the records in order, with partition by key and event id by default', async () => {
      const { topic } = names();
      const appended = await main.log.append([
        { topic, key: 'a', type: 'x', payload: { n: 1 } },
        { topic, key: 'b', type: 'y', payload: { n: 2 }, headers: { 'event-id': 'ev-2', source: 'test' } },
      ]);
      assert.equal(appended.length, 2);
      assert.ok(BigInt(appended[0]!.id) < BigInt(appended[1]!.id));
      assert.equal(appended[0]!.eventId, appended[0]!.id);
      assert.equal(appended[1]!.eventId, 'ev-2');
      assert.equal(appended[1]!.headers['source'], 'test');
      assert.equal(appended[0]!.partition, partitionOf('a', main.log.partitions));
      assert.deepEqual((await main.log.get([appended[1]!.id]))[0]!.payload, { n: 2 });
    });

    test('a group receives every record once per key order; two groups each receive everything', async () => {
      const { topic, group } = names();
      await main.log.append(records(topic, 40, 10));
      const a = await consume({ group, topics: [topic], batchSize: 37, concurrency: 4 });
      const b = await consume({ group: `${group}-other`, topics: [topic] });
      // Appends while consuming, in several concurrent calls, keep per-key order too.
      const more = records(topic, 40, 20).slice(400);
      await Promise.all([0, 1, 2, 3].map((i) => main.log.append(more.filter((_, j) => j % 4 === i).sort((x, y) => x.payload.n - y.payload.n))));
      // (each call holds all n for its keys in order: key k goes to call k mod 4)
      await a.subscription.drained();
      await b.subscription.drained();
      await a.subscription.stop();
      await b.subscription.stop();
      assert.deepEqual(a.violations, []);
      assert.deepEqual(b.violations, []);
      assert.equal(new Set(a.seen.map((r) => r.id)).size, 800);
      assert.equal(new Set(b.seen.map((r) => r.id)).size, 800);
    });

    test('append joins a transaction: rolled back, nothing is delivered; committed, it is', async () => {
      const { topic, group } = names();
      await harness.transaction((tx) => main.log.append([{ topic, key: 'k', type: 'x', payload: { n: 0 } }], { tx }).then(() => undefined), false);
      await harness.transaction((tx) => main.log.append([{ topic, key: 'k', type: 'x', payload: { n: 1 } }], { tx }).then(() => undefined), true);
      const c = await consume({ group, topics: [topic] });
      await c.subscription.drained();
      await c.subscription.stop();
      assert.deepEqual(c.seen.map((r) => r.payload['n']), [1]);
    });

    test('a bulk append without returned records (returning: false) keeps order, headers and the transaction', async () => {
      const { topic, group } = names();
      const bulk = records(topic, 7, 30).map((r, i) => ({ ...r, headers: { 'event-id': `bulk-${i}`, job: 'j1' } }));
      await harness.transaction(async (tx) => {
        assert.deepEqual(await main.log.append(bulk.slice(0, 10), { tx, returning: false }), []);
      }, false);
      await harness.transaction(async (tx) => {
        assert.deepEqual(await main.log.append(bulk, { tx, returning: false }), []);
      }, true);
      const c = await consume({ group, topics: [topic] });
      await c.subscription.drained();
      await c.subscription.stop();
      assert.deepEqual(c.violations, []);
      assert.equal(c.seen.length, bulk.length, 'the rolled-back ten are not delivered');
      const byEventId = new Map(c.seen.map((r) => [r.eventId, r]));
      for (const [i, r] of bulk.entries()) {
        const got = byEventId.get(`bulk-${i}`);
        assert.deepEqual([got?.key, got?.type, got?.payload, got?.headers['job'], got?.partition], [r.key, r.type, r.payload, 'j1', partitionOf(r.key, main.log.partitions)]);
      }
    });

    test('committed positions survive a restart of the group: only new records come after it', async () => {
      const { topic, group } = names();
      await main.log.append(records(topic, 5, 4));
      const first = await consume({ group, topics: [topic] });
      await first.subscription.drained();
      await first.subscription.stop();
      await main.log.append([{ topic, key: 'k0', type: 'x', payload: { n: 4 } }]);
      const second = await consume({ group, topics: [topic] });
      await second.subscription.drained();
      await second.subscription.stop();
      assert.equal(first.seen.length, 20);
      assert.deepEqual(second.seen.map((r) => r.payload['n']), [4]);
    });

    test('a failing record is retried, then dead-lettered with its error; its partition and other keys go on', async () => {
      const { topic, group } = names();
      const attempts = new Map<string, number>();
      const poisonAlone: number[] = [];
      const handled: string[] = [];
      await main.log.append([
        { topic, key: 'same', type: 'ok', payload: { n: 0 } },
        { topic, key: 'same', type: 'flaky', payload: { n: 1 } },
        { topic, key: 'same', type: 'poison', payload: { n: 2 } },
        { topic, key: 'same', type: 'ok', payload: { n: 3 } },
        { topic, key: 'other', type: 'ok', payload: { n: 0 } },
      ]);
      const subscription = await main.log.subscribe({
        group, topics: [topic], retry: fast,
        async handle(batch, context) {
          for (const r of batch) {
            const n = (attempts.get(r.id) ?? 0) + 1;
            attempts.set(r.id, n);
            if (r.type === 'poison' && batch.length === 1) poisonAlone.push(context.attempt);
            if (r.type === 'poison') throw new Error('cannot handle this one');
            if (r.type === 'flaky' && n < 2) throw new Error('transient');
          }
          handled.push(...batch.map((r) => `${r.key}:${r.payload['n']}`));
        },
      });
      await subscription.drained();
      await subscription.stop();
      assert.ok(handled.includes('same:1') && handled.includes('same:3') && handled.includes('other:0'));
      assert.ok(!handled.includes('same:2'));
      assert.ok(handled.indexOf('same:1') < handled.lastIndexOf('same:3'));
      assert.deepEqual(poisonAlone, [1, 2, 3], 'tried on its own exactly maxAttempts times, then given up');
      const dead = await consume({ group: `${group}-inspect`, topics: [deadLetterTopic(group)] });
      await dead.subscription.drained();
      await dead.subscription.stop();
      assert.equal(dead.seen.length, 1);
      const letter = dead.seen[0]!;
      assert.equal(letter.type, 'poison');
      assert.equal(letter.key, 'same');
      assert.equal(letter.headers['dead-letter.source-topic'], topic);
      assert.equal(letter.headers['dead-letter.attempts'], '3');
      assert.match(letter.headers['dead-letter.error'] ?? '', /cannot handle this one/);
      assert.equal(letter.eventId, letter.headers['dead-letter.source-id']);
    });

    test('a dead letter appended to the retry topic is delivered to the group again', async () => {
      const { topic, group } = names();
      let healed = false;
      const handled: string[] = [];
      const subscription = await main.log.subscribe({
        group, topics: [topic], retry: { ...fast, maxAttempts: 1 },
        async handle(batch) {
          if (!healed && batch.length) throw new Error('down');
          handled.push(...batch.map((r) => r.eventId));
        },
      });
      const [original] = await main.log.append([{ topic, key: 'k', type: 'x', payload: { n: 0 }, headers: { 'event-id': 'ev-retry' } }]);
      await subscription.drained();
      const inspect = await consume({ group: `${group}-inspect`, topics: [deadLetterTopic(group)] });
      await inspect.subscription.drained();
      await inspect.subscription.stop();
      const letter = inspect.seen[0]!;
      assert.equal(letter.headers['dead-letter.source-id'], original!.id);
      assert.equal(letter.headers['dead-letter.attempts'], '1', 'maxAttempts 1: dead-lettered after its first failure');
      healed = true;
      await main.log.append([{ topic: retryTopic(group), key: letter.key, type: letter.type, payload: letter.payload, headers: { 'event-id': letter.eventId } }]);
      await subscription.drained();
      await subscription.stop();
      assert.deepEqual(handled, ['ev-retry']);
    });

    test('batches of one partition never overlap; different partitions run concurrently', async () => {
      const { topic, group } = names();
      await main.log.append(records(topic, 64, 6));
      const busy = new Set<number>();
      let overlap = 0;
      let peak = 0;
      let running = 0;
      const subscription = await main.log.subscribe({
        group, topics: [topic], concurrency: 4, batchSize: 3,
        async handle(batch) {
          const p = batch[0]!.partition;
          if (busy.has(p)) overlap++;
          busy.add(p);
          peak = Math.max(peak, ++running);
          await sleep(5);
          running--;
          busy.delete(p);
        },
      });
      await subscription.drained();
      await subscription.stop();
      assert.equal(overlap, 0);
      assert.ok(peak >= 2, `peak concurrency ${peak}`);
      assert.ok(peak <= 4);
    });

    test('seek replays from the earliest record and from a time', async () => {
      const { topic, group } = names();
      await main.log.append(records(topic, 3, 2));
      await sleep(20);
      const middle = new Date();
      await sleep(20);
      await main.log.append([{ topic, key: 'k0', type: 'x', payload: { n: 2 } }]);
      const run = async () => {
        const c = await consume({ group, topics: [topic] });
        await c.subscription.drained();
        await c.subscription.stop();
        return c.seen.map((r) => r.payload['n']);
      };
      assert.equal((await run()).length, 7);
      assert.equal((await run()).length, 0);
      await main.log.seek(group, topic, 'earliest');
      assert.equal((await run()).length, 7);
      await main.log.seek(group, topic, { time: middle });
      assert.deepEqual(await run(), [2]);
      await main.log.seek(group, topic, 'latest');
      assert.equal((await run()).length, 0);
    });

    test('seek to a position replays from the record there, in one partition or in every one', async () => {
      const { topic, group } = names();
      await main.log.append(records(topic, 6, 4));
      const run = async () => {
        const c = await consume({ group, topics: [topic] });
        await c.subscription.drained();
        await c.subscription.stop();
        return c.seen;
      };
      const first = await run();
      assert.equal(first.length, 24);
      // The second record of key k0, as delivered: replay its partition from it.
      const from = first.filter((r) => r.key === 'k0').find((r) => r.payload['n'] === 1)!;
      const expected = first
        .filter((r) => r.partition === from.partition && BigInt(r.position) >= BigInt(from.position))
        .map((r) => r.id)
        .sort();
      await main.log.seek(group, topic, { partition: from.partition, position: from.position });
      const replayed = await run();
      assert.deepEqual(replayed.map((r) => r.id).sort(), expected);
      assert.equal(replayed.filter((r) => r.key === 'k0')[0]!.payload['n'], 1, 'k0 replays from its second record, in order');
      // Position 1 without a partition: every partition from its first record.
      await main.log.seek(group, topic, { position: '1' });
      assert.equal((await run()).length, 24);
      await assert.rejects(main.log.seek(group, topic, { partition: main.log.partitions, position: '1' }), /partition/);
      await assert.rejects(main.log.seek(group, topic, { position: '0' }), /position/);
    });

    test('lag per group and partition falls to zero once drained', async () => {
      const { topic, group } = names();
      await main.log.append(records(topic, 10, 3));
      const c = await consume({ group, topics: [topic] });
      await c.subscription.drained();
      const rows = (await main.log.lag()).filter((r) => r.group === group && r.topic === topic);
      await c.subscription.stop();
      assert.ok(rows.length > 0);
      assert.equal(rows.reduce((sum, r) => sum + r.lag, 0), 0);
      assert.equal(rows.reduce((sum, r) => sum + Number(r.head), 0), 30);
    });

    test('a deleted group leaves no positions or owners behind, and would start again from the earliest record', async () => {
      const { topic, group } = names();
      await main.log.append(records(topic, 4, 1));
      const c = await consume({ group, topics: [topic] });
      await c.subscription.drained();
      await c.subscription.stop();
      assert.ok((await main.log.lag()).some((r) => r.group === group));
      await main.log.deleteGroup(group);
      assert.ok(!(await main.log.lag()).some((r) => r.group === group || r.group === retryTopic(group)));
      const again = await consume({ group, topics: [topic] });
      await again.subscription.drained();
      await again.subscription.stop();
      assert.equal(again.seen.length, 4);
      await main.log.deleteGroup(group);
    });

    test('idle groups of a prefix are deleted: a crashed member\'s, not a live one\'s nor one just sought', async () => {
      const { topic } = names();
      const prefix = `node-${randomUUID().slice(0, 8)}:`;
      const [dead, live, sought] = ['dead', 'live', 'sought'].map((n) => `${prefix}${n}`) as [string, string, string];
      const leaseMs = 300;
      const doomed = await harness.member({ leaseMs });
      const survivor = await harness.member({ leaseMs });
      await main.log.append(records(topic, 4, 1));
      await (await doomed.log.subscribe({ group: dead, topics: [topic], handle: async () => {} })).drained();
      const liveSubscription = await survivor.log.subscribe({ group: live, topics: [topic], handle: async () => {} });
      await liveSubscription.drained();
      await doomed.crash();
      const idleMs = 400;
      await sleep(leaseMs + idleMs + 200);
      await main.log.seek(sought, topic, 'latest');
      assert.deepEqual(await main.log.deleteIdleGroups(prefix, idleMs), [dead]);
      const groups = new Set((await main.log.lag()).map((r) => r.group));
      assert.ok(!groups.has(dead) && groups.has(live) && groups.has(sought), [...groups].join());
      await liveSubscription.stop();
      await survivor.close();
      await doomed.close();
      for (const group of [live, sought]) await main.log.deleteGroup(group);
    });

    test('members of one group share the partitions, and a crashed member\'s partitions are taken over', async () => {
      const { topic, group } = names();
      const leaseMs = 600;
      const one = await harness.member({ leaseMs });
      const two = await harness.member({ leaseMs });
      const seenBy = new Map<string, Set<number>>();
      const handledIds = new Set<string>();
      const sub = (label: string, log: EventLog) => log.subscribe({
        group, topics: [topic],
        async handle(batch) {
          for (const r of batch) {
            handledIds.add(r.id);
            seenBy.set(label, (seenBy.get(label) ?? new Set()).add(r.partition));
          }
        },
      });
      const a = await sub('one', one.log);
      const b = await sub('two', two.log);
      // Let the group settle to a fair split, then feed it.
      await sleep(leaseMs * 2);
      await main.log.append(records(topic, 64, 2));
      await a.drained();
      const first = { one: seenBy.get('one')?.size ?? 0, two: seenBy.get('two')?.size ?? 0 };
      assert.ok(first.one > 0 && first.two > 0, `both members work: ${JSON.stringify(first)}`);
      for (const p of seenBy.get('one') ?? []) assert.ok(!seenBy.get('two')?.has(p), `partition ${p} had two owners`);

      await one.crash();
      const crashedAt = Date.now();
      seenBy.clear();
      await main.log.append(records(topic, 64, 2).map((r) => ({ ...r, payload: { n: r.payload.n + 2 } })));
      await b.drained();
      // The dead member's partitions waited for its lease to run out, then moved: seconds, not minutes.
      const takeoverMs = Date.now() - crashedAt;
      assert.ok(takeoverMs >= leaseMs / 2 && takeoverMs < leaseMs + 4000, `took over in ${takeoverMs} ms with a ${leaseMs} ms lease`);
      assert.equal(handledIds.size, 256);
      assert.ok((seenBy.get('two')?.size ?? 0) > first.two, 'the survivor took over the crashed member\'s partitions');
      await b.stop();
      await two.close();
    });
  });
}
