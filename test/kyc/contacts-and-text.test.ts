// Mobile to E.164 in every accepted spelling, email, pincode and the state table, and text
// normalisation (idempotent, never throwing).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { indiaStates, isPincodeInState, resolveStateCode, stateCodes } from '../../src/kyc/india-states.ts';
import { cities } from '../../src/kyc/demo/indian-data.ts';
import { validateEmail, validateMobile, validatePincode } from '../../src/kyc/validate/contact.ts';
import { normalizeCode, normalizeEmail, normalizeIdentifier, normalizePhone, normalizeText } from '../../src/kyc/validate/text.ts';

const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((a) => a.join(''));
const indianMobile = fc.tuple(fc.constantFrom('6', '7', '8', '9'), digits(9)).map(([a, b]) => a + b);

describe('mobile', () => {
  test('every accepted prefix form normalises to the same E.164', () => {
    fc.assert(fc.property(indianMobile, (ten) => {
      const spellings = [ten, `0${ten}`, `91${ten}`, `+91${ten}`, `+91 ${ten.slice(0, 5)} ${ten.slice(5)}`, `+91-${ten}`, `(+91) ${ten}`, ` 0${ten} `];
      for (const spelling of spellings) assert.deepEqual(validateMobile(spelling), { ok: true, value: `+91${ten}` }, spelling);
    }));
  });

  test('rejects numbers outside 6-9, wrong lengths, other prefixes; foreign only for non-residents', () => {
    for (const bad of ['5876543210', '987654321', '98765432101', '+92 9876543210', '0091 9876543210', 'abcdefghij', '']) {
      assert.deepEqual(validateMobile(bad), { ok: false, rule: 'mobile.format' }, bad);
    }
    assert.deepEqual(validateMobile('+971 50 123 4567'), { ok: false, rule: 'mobile.format' });
    assert.deepEqual(validateMobile('+971 50 123 4567', true), { ok: true, value: '+971501234567' });
    assert.deepEqual(validateMobile('00447911123456', true), { ok: true, value: '+447911123456' });
    assert.deepEqual(validateMobile('+91 5876543210', true), { ok: false, rule: 'mobile.format' }, 'an Indian number keeps the Indian rule');
  });
});

describe('email', () => {
  test('RFC-lite: lowercased, at most 100 characters', () => {
    assert.deepEqual(validateEmail(' Ravi.Sharma+kyc@Example.CO.IN '), { ok: true, value: 'ravi.sharma+kyc@example.co.in' });
    for (const bad of ['ravi', 'ravi@', '@example.com', 'ravi@example', 'ra..vi@example.com', '.ravi@example.com', 'ravi@-example.com', 'ravi sharma@example.com', 'रवि@example.com']) {
      assert.deepEqual(validateEmail(bad), { ok: false, rule: 'email.format' }, bad);
    }
    assert.deepEqual(validateEmail(`${'a'.repeat(90)}@example.com`), { ok: false, rule: 'email.too_long' });
  });
});

describe('pincode and states', () => {
  test('six digits, not starting with 0', () => {
    assert.deepEqual(validatePincode('400 001'), { ok: true, value: '400001' });
    for (const bad of ['040001', '40001', '4000011', 'ABCDEF']) assert.deepEqual(validatePincode(bad), { ok: false, rule: 'pincode.format' }, bad);
  });

  test('the table covers all 36 states and union territories, each with postal circle prefixes and a GST code', () => {
    assert.equal(indiaStates.length, 36);
    assert.equal(new Set(stateCodes).size, 36);
    for (const state of indiaStates) {
      assert.ok(state.pinPrefixes.length > 0 && state.pinPrefixes.every((p) => /^[1-8][0-9]$/.test(p)), state.code);
      assert.match(state.gstCode, /^[0-3][0-9]$/);
    }
    assert.equal(new Set(indiaStates.map((s) => s.gstCode)).size, 36);
  });

  test('known pincodes sit in their state; another circle does not', () => {
    assert.equal(isPincodeInState('400001', 'MH'), true);
    assert.equal(isPincodeInState('110001', 'DL'), true);
    assert.equal(isPincodeInState('560001', 'KA'), true);
    assert.equal(isPincodeInState('500001', 'TG'), true);
    assert.equal(isPincodeInState('403001', 'GA'), true);
    assert.equal(isPincodeInState('194101', 'LA'), true);
    assert.equal(isPincodeInState('400001', 'KA'), false);
    assert.equal(isPincodeInState('110001', 'MH'), false);
    for (const city of cities) for (const prefix of city.pinPrefixes) assert.ok(isPincodeInState(`${prefix}001`, city.stateCode), city.name);
  });

  test('states resolve from codes, old codes and names', () => {
    assert.equal(resolveStateCode('mh'), 'MH');
    assert.equal(resolveStateCode('Maharashtra'), 'MH');
    assert.equal(resolveStateCode('Jammu & Kashmir'), 'JK');
    assert.equal(resolveStateCode('ORISSA'), 'OD');
    assert.equal(resolveStateCode('TS'), 'TG');
    assert.equal(resolveStateCode('Atlantis'), undefined);
  });
});

describe('text normalisation', () => {
  test('trims, applies NFC, drops invisible controls and collapses whitespace', () => {
    assert.equal(normalizeText('  Ravi \t\n Kumar\u00a0 Sharma '), 'Ravi Kumar Sharma');
    assert.equal(normalizeText('Jose\u0301'), 'José');
    assert.equal(normalizeText('Ra\u200bvi'), 'Ravi');
    assert.equal(normalizeCode(' mh '), 'MH');
    assert.equal(normalizeIdentifier(' abcpd-1234.e '), 'ABCPD1234E');
    assert.equal(normalizePhone('+91 (98765) 43210'), '+919876543210');
    assert.equal(normalizeEmail(' A@B.IN '), 'a@b.in');
  });

  test('every normaliser is idempotent and total on arbitrary text', () => {
    // Characters that trip normalisers: whitespace of every kind, invisible controls, combining
    // marks, case mappings that change length or composition, Indic scripts, astral and lone surrogates.
    const tricky = [' ', '\t', '\n', '\u00a0', '\u2003', '\u200b', '\u200e', '\u202e', '\ufeff', 'e', '\u0301', '\u0308', 'ß', 'ǅ', 'ΐ', 'İ', 'ﬁ', 'ǰ',
      'ı', 'ς', 'क', '्', 'ष', 'ॐ', 'அ', '😀', '\ud800', '\udc00', '-', '.', '/', '(', 'A', 'z', '9', '@'];
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: fc.constantFrom(...tricky), maxLength: 24 }));
    fc.assert(fc.property(text, (value) => {
      for (const normalize of [normalizeText, normalizeCode, normalizeIdentifier, normalizePhone, normalizeEmail]) {
        const once = normalize(value);
        assert.equal(normalize(once), once, normalize.name);
      }
    }), { numRuns: 2000 });
  });
});
