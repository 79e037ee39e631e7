// The choice among repeats of a key inside an ingestion batch (KYC and back-office alike): the
// highest source version, the first of equal ones, in the place of the key's first row.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LatestByKey } from '../../src/kyc/ingest/content-handlers.ts';

test('repeats: a newer version replaces in place, an older or equal one is dropped, each counts as a duplicate', () => {
  const latest = new LatestByKey();
  const slots: string[] = [];
  const add = (key: string, version: number, label: string) => {
    const at = latest.place(key, version, slots.length);
    if (at) slots[at.slot] = label;
    return at;
  };
  assert.deepEqual(add('A', 2, 'A2'), { slot: 0, replaces: false });
  assert.deepEqual(add('B', 1, 'B1'), { slot: 1, replaces: false });
  assert.equal(add('A', 1, 'A1'), null); // older
  assert.equal(add('A', 2, 'A2 again'), null); // equal: the first stays
  assert.deepEqual(add('B', 3, 'B3'), { slot: 1, replaces: true }); // newer, in B's place
  assert.deepEqual(add('C', 1, 'C1'), { slot: 2, replaces: false });
  assert.deepEqual(add('B', 4, 'B4'), { slot: 1, replaces: true });
  assert.deepEqual(slots, ['A2', 'B4', 'C1']);
  assert.equal(latest.duplicates, 4);
});
