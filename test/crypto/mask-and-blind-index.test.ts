// Masked forms must hide what they claim to hide (a masked value is a function of the visible part
// and the length only), and the blind index must be a stable, purpose- and key-separated HMAC.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { maskEmail, maskMobile, maskTail } from '../../src/crypto/mask.ts';
import { createBlindIndex } from '../../src/crypto/blind-index.ts';
import { createHmacSha256 } from '../../src/crypto/hmac-sha256.ts';
import { createEnvKeyStore } from '../../src/crypto/keystore.ts';

// A fixed seed keeps the run deterministic; fast-check prints the counterexample when one fails.
const params = { seed: 20_260_101, numRuns: 300 };
const codePoints = (s: string) => [...s].length;

describe('maskTail', () => {
  test('examples', () => {
    assert.equal(maskTail('ABCDE1234F'), 'XXXXXX234F');
    assert.equal(maskTail('ABCDE1234F', 2), 'XXXXXXXX4F');
    assert.equal(maskTail('1234'), 'XXXX', 'a value no longer than the visible part is hidden whole');
    assert.equal(maskTail(''), '');
    assert.equal(maskTail('secret', 0), 'XXXXXX', 'visible = 0 hides everything');
  });

  test('the output keeps the length (in code points) and shows at most the last `visible` characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), fc.nat(8), (value, visible) => {
        const masked = maskTail(value, visible);
        const n = codePoints(value);
        assert.equal(codePoints(masked), n);
        const shown = n <= visible ? 0 : visible;
        assert.equal([...masked].slice(0, n - shown).join(''), 'X'.repeat(n - shown));
        assert.equal([...masked].slice(n - shown).join(''), [...value].slice(n - shown).join(''));
      }),
      params,
    );
  });

  test('the hidden part never leaks: values differing only there mask identically', () => {
    fc.assert(
      fc.property(
        fc.nat(8),
        fc.string({ unit: 'binary', maxLength: 8 }),
        fc.integer({ min: 1, max: 20 }).chain((n) => {
          const hidden = fc.string({ unit: 'binary', minLength: n, maxLength: n });
          return fc.tuple(hidden, hidden);
        }),
        (visible, tail, [a, b]) => {
          fc.pre(codePoints(tail) >= visible);
          assert.equal(maskTail(a + tail, visible), maskTail(b + tail, visible));
        },
      ),
      params,
    );
  });

  test('a masked PAN-like value does not contain its hidden letters', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-WYZ]{2,6}$/), fc.stringMatching(/^[0-9]{4}$/), (hidden, tail) => {
        assert.ok(!maskTail(hidden + tail).includes(hidden));
      }),
      params,
    );
  });
});

describe('maskEmail', () => {
  test('examples', () => {
    assert.equal(maskEmail('asha.verma@example.in'), 'a****@example.in');
    assert.equal(maskEmail('a@example.in'), 'a****@example.in', 'the local part length is not shown');
    assert.equal(maskEmail('a@b@example.in'), 'a****@example.in', 'the last @ starts the domain');
  });

  test('something that is not an address is hidden whole, keeping only its length', () => {
    assert.equal(maskEmail('asha'), 'XXXX');
    assert.equal(maskEmail('@example.in'), 'XXXXXXXXXXX');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (value) => {
        fc.pre(value.lastIndexOf('@') <= 0);
        assert.equal(maskEmail(value), 'X'.repeat(codePoints(value)));
      }),
      params,
    );
  });

  test('the local part beyond its first character never leaks, nor does its length', () => {
    const first = fc.stringMatching(/^[a-z0-9]$/);
    const rest = fc.stringMatching(/^[a-z0-9._%+-]{0,20}$/);
    const domain = fc.stringMatching(/^[a-z0-9-]{1,20}\.[a-z]{2,6}$/);
    fc.assert(
      fc.property(first, rest, rest, domain, (c, a, b, host) => {
        const masked = maskEmail(`${c}${a}@${host}`);
        assert.equal(masked, maskEmail(`${c}${b}@${host}`));
        assert.equal(masked, `${c}****@${host}`);
      }),
      params,
    );
  });

  test('a masked address does not contain its hidden local part', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{3,12}$/), fc.stringMatching(/^[0-9]{1,6}\.[0-9]{2}$/), (local, host) => {
        assert.ok(!maskEmail(`${local}@${host}`).includes(local.slice(1)));
      }),
      params,
    );
  });
});

describe('maskMobile', () => {
  test('examples', () => {
    assert.equal(maskMobile('+919876543210'), '+91XXXXXX3210');
    assert.equal(maskMobile('9876543210'), 'XXXXXX3210', 'without a country code the tail rule still applies');
    assert.equal(maskMobile('+91123'), '+91XXX');
  });

  test('an Indian mobile shows only the country code and the last four digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[6-9][0-9]{5}$/), fc.stringMatching(/^[0-9]{4}$/), (hidden, last4) => {
        const masked = maskMobile(`+91${hidden}${last4}`);
        assert.equal(masked, `+91XXXXXX${last4}`);
        assert.ok(!masked.includes(hidden));
      }),
      params,
    );
  });
});

describe('blind index', () => {
  const keysWith = (blindIndexKey: Buffer) =>
    createEnvKeyStore({ masterKeys: [{ id: 'k1', key: randomBytes(32) }], activeId: 'k1', blindIndexKey, tokenSigningKey: randomBytes(32) });
  const indexA = createBlindIndex(keysWith(randomBytes(32)));
  const indexB = createBlindIndex(keysWith(randomBytes(32)));
  const purpose = fc.constantFrom('user.email', 'client.pan', 'client.mobile', 'client.email');
  const value = fc.string({ unit: 'grapheme', maxLength: 40 });

  test('is 32 bytes and deterministic (a second store over the same key agrees)', () => {
    const key = randomBytes(32);
    const first = createBlindIndex(keysWith(key));
    const second = createBlindIndex(keysWith(Buffer.from(key)));
    fc.assert(
      fc.property(purpose, value, (p, v) => {
        const digest = first(p, v);
        assert.equal(digest.length, 32);
        assert.deepEqual(first(p, v), digest);
        assert.deepEqual(second(p, v), digest);
      }),
      params,
    );
  });

  test('differs by value, by purpose and by key', () => {
    fc.assert(
      fc.property(purpose, purpose, value, value, (p1, p2, v1, v2) => {
        if (v1 !== v2) assert.notDeepEqual(indexA(p1, v1), indexA(p1, v2));
        if (p1 !== p2) assert.notDeepEqual(indexA(p1, v1), indexA(p2, v1));
        assert.notDeepEqual(indexA(p1, v1), indexB(p1, v1));
      }),
      params,
    );
  });
});

test('the midstate HMAC equals node:crypto createHmac for any key and message', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 100 }), fc.string({ unit: 'grapheme', maxLength: 200 }), (key, message) => {
      const k = Buffer.from(key);
      return createHmacSha256(k)(message).equals(createHmac('sha256', k).update(message, 'utf8').digest());
    }),
    { seed: 42, numRuns: 2000 },
  );
});

test('one HMAC function reused for messages of any length in any order stays exact (its buffers are reused)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 80 }), fc.array(fc.string({ unit: 'binary', maxLength: 400 }), { maxLength: 12 }), (key, messages) => {
      const k = Buffer.from(key);
      const mac = createHmacSha256(k);
      const results = messages.map((m) => mac(m));
      return messages.every((m, i) => results[i]!.equals(createHmac('sha256', k).update(m, 'utf8').digest()));
    }),
    { seed: 7, numRuns: 300 },
  );
});

test('the midstate HMAC is exact at every padding boundary (messages of 0 to 300 bytes, keys of 0 to 130 bytes)', () => {
  for (const keyLength of [0, 1, 32, 63, 64, 65, 130]) {
    const key = Buffer.alloc(keyLength, 0xa5);
    const mac = createHmacSha256(key);
    for (let n = 0; n <= 300; n++) {
      const message = 'x'.repeat(n);
      assert.ok(mac(message).equals(createHmac('sha256', key).update(message).digest()), `key ${keyLength} bytes, message ${n} bytes`);
    }
  }
});
