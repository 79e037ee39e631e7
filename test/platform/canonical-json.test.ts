import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalJson, canonicalJsonWithAndWithout } from '../../src/platform/canonical-json.ts';

/** The plain definition: sort the entries, drop undefined members, recurse. */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const values = fc.anything({ withDate: true, withNullPrototype: true, withObjectString: true, withUnicodeString: true });

// Sparse arrays are left out: the plain definition writes a hole as nothing (`[,1]`, not JSON);
// canonicalJson writes null there, as JSON.stringify does. Records never hold holes.
test('canonical JSON equals the plain definition, with or without a memo of parts', () => {
  fc.assert(
    fc.property(values, (value) => {
      const memo = new Map<object, string>();
      const expected = reference(value);
      assert.equal(canonicalJson(value), expected);
      assert.equal(canonicalJson(value, memo), expected);
      assert.equal(canonicalJson(value, memo), expected); // second time from the memo
    }),
    { numRuns: 5_000 },
  );
});

test('key order does not change the text; it parses back to the same value', () => {
  const a = { z: 1, a: { y: [1, { b: 2, a: 1 }], x: null }, m: 'ü', u: undefined };
  const b = { m: 'ü', a: { x: null, y: [1, { a: 1, b: 2 }] }, z: 1 };
  assert.equal(canonicalJson(a), canonicalJson(b));
  assert.equal(canonicalJson(a), '{"a":{"x":null,"y":[1,{"a":1,"b":2}]},"m":"ü","z":1}');
  assert.deepEqual(JSON.parse(canonicalJson(a)), b);
});

test('a part already in the memo is written as its memo text', () => {
  const part = { b: 1, a: 2 };
  const memo = new Map<object, string>([[part, '{"a":2,"b":1}']]);
  assert.equal(canonicalJson({ p: part, q: [part] }, memo), '{"p":{"a":2,"b":1},"q":[{"a":2,"b":1}]}');
  assert.equal(memo.get(part), '{"a":2,"b":1}');
  assert.ok(memo.size >= 3, 'new texts are remembered');
});

test('with and without one member: the same texts as serialising the object and a copy without it', () => {
  const objects = fc.dictionary(fc.string({ maxLength: 6 }), fc.anything({ withDate: true, withUnicodeString: true }), { maxKeys: 12 });
  fc.assert(
    fc.property(objects, fc.string({ maxLength: 6 }), (value, pick) => {
      const keys = Object.keys(value);
      const omit = keys.length && pick.length % 2 ? keys[pick.length % keys.length]! : pick; // a member, or (mostly) not one
      const { [omit]: _left, ...rest } = value;
      const memo = new Map<object, string>();
      const got = canonicalJsonWithAndWithout(value, omit, memo);
      assert.deepEqual(got, { whole: reference(value), without: reference(rest) });
      assert.equal(memo.get(value), got.whole);
    }),
    { numRuns: 3_000 },
  );
});
