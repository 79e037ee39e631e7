// Event envelope validation: one test per rule, values never echoed, and property tests that the
// validator is total over arbitrary JSON and accepts every catalog sample.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { eventCatalog } from '../../src/events/catalog.ts';
import { defaultMaxEventBytes, eventRules, validateEvent, type EventIssue } from '../../src/events/validate-event.ts';

const good = { id: 'evt-2026-02-10:0001', type: 'trade.executed', clientCode: 'AB1234', occurredAt: '2026-02-10T10:15:00+05:30', variables: { symbol: 'INFY', side: 'BUY', qty: 10, avgPrice: 1642.35, exchange: 'NSE' } };

function issues(input: unknown, options?: { maxBytes?: number }): EventIssue[] {
  const result = validateEvent(input, options);
  assert.equal(result.ok, false, 'expected a rejection');
  return result.ok ? [] : result.errors;
}
const pairs = (list: EventIssue[]) => list.map((e) => `${e.field} ${e.rule}`).sort();

describe('validateEvent', () => {
  test('a good event is accepted and normalised', () => {
    const result = validateEvent({ ...good, clientCode: ' ab1234 ' });
    assert.ok(result.ok);
    assert.deepEqual(result.event, { ...good, clientCode: 'AB1234', occurredAt: '2026-02-10T04:45:00.000Z' });
    const minimal = validateEvent({ type: 'fno.ban_period', clientCode: 'X1', variables: { symbol: 'IDEA', banDate: '2026-02-11' } });
    assert.ok(minimal.ok);
    assert.equal(minimal.event.id, undefined);
    assert.equal(minimal.event.occurredAt, undefined);
  });

  test('not an object', () => {
    for (const input of [null, 1, 'x', [good], true, undefined]) assert.deepEqual(pairs(issues(input)), [' event.not_object']);
  });

  test('unknown type', () => {
    assert.deepEqual(pairs(issues({ ...good, type: 'trade.exploded' })), ['type event.type_unknown']);
    assert.deepEqual(pairs(issues({ ...good, type: '__proto__' })), ['type event.type_unknown']);
    assert.deepEqual(pairs(issues({ ...good, type: 7 })), ['type field.type']);
  });

  test('missing envelope fields and variables', () => {
    assert.deepEqual(pairs(issues({ variables: {} })), ['clientCode field.required', 'type field.required']);
    assert.deepEqual(pairs(issues({ type: good.type, clientCode: 'A1' })), ['variables field.required']);
    assert.deepEqual(pairs(issues({ ...good, variables: { symbol: 'INFY', side: 'BUY' } })), ['variables.avgPrice field.required', 'variables.exchange field.required', 'variables.qty field.required']);
  });

  test('wrong types', () => {
    assert.deepEqual(pairs(issues({ ...good, variables: { ...good.variables, qty: '10', avgPrice: null } })), ['variables.avgPrice field.type', 'variables.qty field.type']);
    assert.deepEqual(pairs(issues({ ...good, variables: [] })), ['variables field.type']);
    assert.deepEqual(pairs(issues({ ...good, clientCode: 12 })), ['clientCode field.type']);
    assert.deepEqual(pairs(issues({ ...good, occurredAt: 1_700_000_000 })), ['occurredAt field.type']);
    assert.deepEqual(pairs(issues({ ...good, id: 5 })), ['id field.type']);
    assert.deepEqual(pairs(issues({ type: 'mtf.squared_off', clientCode: 'A1', variables: { symbols: ['ITC', 3], qty: 1, time: '2026-02-12T14:31:05Z', amount: 1 } })), ['variables.symbols[1] field.type']);
  });

  test('formats, ranges, enums, lengths and duplicates', () => {
    const v = good.variables;
    assert.deepEqual(pairs(issues({ ...good, variables: { ...v, side: 'HOLD' } })), ['variables.side field.enum']);
    assert.deepEqual(pairs(issues({ ...good, variables: { ...v, qty: 0 } })), ['variables.qty field.range']);
    assert.deepEqual(pairs(issues({ ...good, variables: { ...v, qty: 1.5 } })), ['variables.qty field.type']);
    assert.deepEqual(pairs(issues({ ...good, variables: { ...v, symbol: '' } })), ['variables.symbol field.too_short']);
    assert.deepEqual(pairs(issues({ ...good, variables: { ...v, symbol: 'S'.repeat(41) } })), ['variables.symbol field.too_long']);
    assert.deepEqual(pairs(issues({ type: 'fno.ban_period', clientCode: 'A1', variables: { symbol: 'IDEA', banDate: '2026-02-30' } })), ['variables.banDate field.format']);
    assert.deepEqual(pairs(issues({ type: 'mtf.squared_off', clientCode: 'A1', variables: { symbols: ['ITC', 'ITC'], qty: 1, time: '2026-02-12T14:31:05Z', amount: 1 } })), ['variables.symbols field.duplicate_items']);
    assert.deepEqual(pairs(issues({ ...good, clientCode: 'AB-12' })), ['clientCode client_code.format']);
    assert.deepEqual(pairs(issues({ ...good, clientCode: 'A'.repeat(11) })), ['clientCode client_code.format']);
    assert.deepEqual(pairs(issues({ ...good, id: 'has space' })), ['id id.format']);
    assert.deepEqual(pairs(issues({ ...good, id: '' })), ['id id.format']);
    assert.deepEqual(pairs(issues({ ...good, id: 'x'.repeat(101) })), ['id id.format']);
    assert.deepEqual(pairs(issues({ ...good, occurredAt: '2026-02-10 10:15' })), ['occurredAt occurred_at.format']);
    assert.deepEqual(pairs(issues({ ...good, occurredAt: '2026-02-10T10:15:00' })), ['occurredAt occurred_at.format']);
    assert.deepEqual(pairs(issues({ ...good, occurredAt: '2026-13-45T10:15:00Z' })), ['occurredAt occurred_at.format']);
    assert.deepEqual(pairs(issues({ ...good, occurredAt: '2026-02-30T10:15:00Z' })), ['occurredAt occurred_at.format']);
    assert.deepEqual(pairs(issues({ ...good, occurredAt: '2026-02-10T25:15:00Z' })), ['occurredAt occurred_at.format']);
    assert.ok(validateEvent({ ...good, occurredAt: '2028-02-29T23:59:59.123Z' }).ok);
  });

  test('unknown extra variables and envelope fields', () => {
    assert.deepEqual(pairs(issues({ ...good, variables: { ...good.variables, mobile: '+919876543210' } })), ['variables.mobile field.unknown']);
    assert.deepEqual(pairs(issues({ ...good, priority: 'high' })), ['priority field.unknown']);
    const long = issues({ ...good, variables: { ...good.variables, ['k'.repeat(500)]: 1 } });
    assert.ok(long[0]!.field.length < 80, 'a long property name is cut');
  });

  test('oversized payload, configurable', () => {
    const big = { ...good, variables: { ...good.variables, symbol: 'x'.repeat(defaultMaxEventBytes) } };
    const errors = issues(big);
    assert.deepEqual(pairs(errors), [' event.too_large']);
    assert.match(errors[0]!.message, /16384 bytes/);
    assert.deepEqual(pairs(issues(good, { maxBytes: 100 })), [' event.too_large']);
    assert.ok(validateEvent(good, { maxBytes: 1000 }).ok);
  });

  test('messages are the rule constants: no value sent is echoed', () => {
    const secret = 'ABCDE1234F-9876543210';
    const errors = issues({ id: secret, type: secret, clientCode: secret, occurredAt: secret, variables: { [`x`]: secret } });
    const text = JSON.stringify(errors);
    assert.equal(text.includes(secret), false);
    for (const e of errors) assert.equal(e.message, eventRules[e.rule]);
  });

  test('every catalog sample passes as an event', () => {
    for (const d of eventCatalog) {
      const result = validateEvent({ id: `sample-${d.type}`, type: d.type, clientCode: 'SAMPLE1', variables: d.sample });
      assert.ok(result.ok, `${d.type}: ${JSON.stringify(result.ok ? [] : result.errors)}`);
    }
  });

  test('property: never throws on arbitrary JSON, and every error is well-formed', () => {
    const envelope = fc.record({
      id: fc.oneof(fc.string(), fc.jsonValue()), type: fc.oneof(fc.constantFrom(...eventCatalog.map((d) => d.type)), fc.string(), fc.jsonValue()),
      clientCode: fc.oneof(fc.string(), fc.jsonValue()), occurredAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.jsonValue()),
      variables: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue()), extra: fc.jsonValue(),
    }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), envelope), fc.integer({ min: 1, max: 1 << 20 }), (input, maxBytes) => {
        const result = validateEvent(input, { maxBytes });
        if (result.ok) return true;
        assert.ok(result.errors.length > 0);
        for (const e of result.errors) {
          assert.equal(typeof e.field, 'string');
          assert.ok(e.rule in eventRules);
          assert.equal(typeof e.message, 'string');
        }
        return true;
      }),
      { numRuns: 2000 },
    );
  });

  test('property: samples with variables mutated one at a time are judged without throwing', () => {
    fc.assert(
      fc.property(fc.constantFrom(...eventCatalog), fc.jsonValue(), (d, value) => {
        const names = Object.keys(d.variables.properties);
        for (const name of names) {
          const result = validateEvent({ type: d.type, clientCode: 'A1', variables: { ...(d.sample as object), [name]: value } });
          if (!result.ok) assert.ok(result.errors.every((e) => e.field.startsWith(`variables.${name}`)), JSON.stringify(result.errors));
        }
      }),
      { numRuns: 300 },
    );
  });
});
