// packClients / unpackClients: a batch crosses threads as facts in JSON and bytes in one buffer,
// packed into a buffer given back by an earlier batch, grown when the batch needs more (more
// clients, or texts of more than a byte per character), and read back the same either way; a
// client replaced by a newer version keeps its place.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createBlindIndex } from '../../src/crypto/blind-index.ts';
import { ClientPacker, packClients, prepareClient, unpackClients, type PreparedClient } from '../../src/kyc/ingest/client-prepare.ts';
import { validateClientRecord } from '../../src/kyc/validate/validate-client-record.ts';
import { createValidInput, TODAY } from '../kyc/fixtures.ts';

const blind = createBlindIndex({ blindIndexKey: () => Buffer.alloc(32, 7) });

function clients(n: number, from = 0): PreparedClient[] {
  return Array.from({ length: n }, (_v, i) => {
    const input = { ...createValidInput(), clientCode: `RS${String(100_000 + from + i)}` };
    const result = validateClientRecord(input, { today: TODAY });
    assert.ok(result.ok);
    return prepareClient(blind, i + 2, result.record);
  });
}

function assertRoundTrip(packed: ReturnType<typeof packClients>, expected: readonly PreparedClient[]): void {
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
  const got = unpackClients(packed);
  assert.equal(got.length, expected.length);
  got.forEach((c, i) => {
    const e = expected[i]!;
    assert.equal(c.id, e.id);
    assert.equal(c.clientCode, e.clientCode);
    assert.equal(text(c.recordBytes), e.recordJson);
    assert.equal(text(c.maskedBytes), e.maskedJson);
    assert.equal(text(c.profileBytes), e.profileJson);
    assert.deepEqual(Buffer.from(c.contentHash), Buffer.from(e.contentHash));
    assert.deepEqual(c.emailBidx && Buffer.from(c.emailBidx), e.emailBidx && Buffer.from(e.emailBidx));
  });
}

describe('packed clients', () => {
  test('read back as they were prepared', () => {
    const batch = clients(20);
    assertRoundTrip(packClients(batch), batch);
  });

  test('go into a buffer given back when it is large enough, and into a new one when not', () => {
    const first = packClients(clients(20));
    const next = clients(20, 20);
    const reused = packClients(next, first.bytes);
    assert.equal(reused.bytes, first.bytes);
    assertRoundTrip(reused, next);

    const small = new ArrayBuffer(1024);
    const more = clients(20, 60);
    const fresh = packClients(more, small);
    assert.notEqual(fresh.bytes, small);
    assertRoundTrip(fresh, more);
  });

  test('a client replaced in its slot reads back in its place, with the newer bytes', () => {
    const [a, b, c] = clients(3);
    const newer = { ...clients(1, 1)[0]!, recordJson: JSON.stringify({ newer: true }) };
    const packer = new ClientPacker();
    packer.push(a!);
    const slot = packer.push(b!);
    packer.push(c!);
    packer.replace(slot, newer);
    assert.equal(packer.size, 3);
    assertRoundTrip(packer.finish(), [a!, newer, c!]);
  });

  test('texts of several bytes per character grow the buffer and read back whole', () => {
    const batch = clients(5).map((c, i) => (i === 4 ? { ...c, recordJson: JSON.stringify({ note: 'नमस्ते '.repeat(4_000) }) } : c));
    const packed = packClients(batch);
    assert.ok(packed.bytes.byteLength > batch.reduce((n, c) => n + c.recordJson.length, 0));
    assertRoundTrip(packed, batch);
  });
});
