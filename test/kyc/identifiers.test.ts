// Identifier rules of DOMAIN.md §2 on published examples and generated values: PAN holder types,
// Aadhaar Verhoeff and reduction, GSTIN mod-36, IFSC, bank account, BO ids, CKYC KIN.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { panHolderTypes } from '../../src/kyc/codes.ts';
import { computeGstinCheckChar } from '../../src/kyc/validate/gstin.ts';
import {
  decodePanHolderType, isPanSurnameConsistent, validateAadhaar, validateBankAccount, validateBoId, validateCkycKin,
  validateDrivingLicence, validateGstin, validateIfsc, validatePan,
} from '../../src/kyc/validate/identifiers.ts';
import { computeVerhoeffDigit, isVerhoeffValid } from '../../src/kyc/validate/verhoeff.ts';

const upper = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const digit = fc.constantFrom(...'0123456789');
const str = (arb: fc.Arbitrary<string>, n: number) => fc.array(arb, { minLength: n, maxLength: n }).map((a) => a.join(''));
const holderLetters = Object.keys(panHolderTypes);

const validPan = fc.tuple(str(upper, 3), fc.constantFrom(...holderLetters), upper, str(digit, 4), upper).map((parts) => parts.join(''));
const aadhaarBody = fc.tuple(fc.constantFrom(...'23456789'), str(digit, 10)).map(([a, b]) => a + b);
const validAadhaar = aadhaarBody.map((body) => `${body}${computeVerhoeffDigit(body)}`);

describe('PAN', () => {
  test('every holder type is accepted and decoded from the 4th letter', () => {
    for (const [letter, type] of Object.entries(panHolderTypes)) {
      const pan = `ABC${letter}D1234E`;
      assert.deepEqual(validatePan(pan), { ok: true, value: pan });
      assert.equal(decodePanHolderType(pan), type);
    }
    fc.assert(fc.property(validPan, (pan) => validatePan(pan).ok && decodePanHolderType(pan) !== undefined));
  });

  test('normalises case and separators before the pattern', () => {
    assert.deepEqual(validatePan(' abcpd 1234e '), { ok: true, value: 'ABCPD1234E' });
    assert.deepEqual(validatePan('ABCPD-1234-E'), { ok: true, value: 'ABCPD1234E' });
  });

  test('rejects a bad holder letter, a wrong length or digits and letters swapped', () => {
    for (const bad of ['ABCXD1234E', 'ABCPD1234', 'ABCPD12345E', 'ABCPD1234EF', '1BCPD1234E', 'ABCPDX234E', 'ABCPD12349', '']) {
      assert.deepEqual(validatePan(bad), { ok: false, rule: 'pan.format' }, bad);
    }
    const notHolder = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].filter((l) => !holderLetters.includes(l));
    fc.assert(fc.property(validPan, fc.constantFrom(...notHolder), (pan, letter) => !validatePan(`${pan.slice(0, 3)}${letter}${pan.slice(4)}`).ok));
  });

  test('the 5th letter is compared with the surname for individuals only (a warning elsewhere)', () => {
    assert.equal(isPanSurnameConsistent('ABCPS1234K', 'Sharma'), true);
    assert.equal(isPanSurnameConsistent('ABCPX1234K', 'Sharma'), false);
    assert.equal(isPanSurnameConsistent('ABCCX1234K', 'Sharma'), true, 'companies are not judged');
    assert.equal(isPanSurnameConsistent('ABCPX1234K', undefined), true);
  });
});

describe('Aadhaar', () => {
  test('published test numbers pass Verhoeff and are reduced to the last four digits', () => {
    for (const number of ['999941057058', '234123412346', '499118665246']) {
      assert.equal(isVerhoeffValid(number), true, number);
      assert.deepEqual(validateAadhaar(number), { ok: true, value: number.slice(8) });
    }
    assert.equal(computeVerhoeffDigit('236'), 3, 'the textbook example');
    assert.deepEqual(validateAadhaar('2341 2341 2346'), { ok: true, value: '2346' });
  });

  test('generated valid numbers pass; any single-digit change fails', () => {
    fc.assert(fc.property(validAadhaar, fc.nat(11), fc.integer({ min: 1, max: 9 }), (number, index, delta) => {
      assert.equal(validateAadhaar(number).ok, true);
      const changed = number.slice(0, index) + String((Number(number[index]) + delta) % 10) + number.slice(index + 1);
      const result = validateAadhaar(changed);
      assert.equal(result.ok, false);
      assert.ok(!result.ok && (result.rule === 'aadhaar.verhoeff' || result.rule === 'aadhaar.format'));
    }), { numRuns: 500 });
  });

  test('any swap of two different adjacent digits fails', () => {
    fc.assert(fc.property(validAadhaar, fc.nat(10), (number, index) => {
      fc.pre(number[index] !== number[index + 1]);
      const swapped = number.slice(0, index) + number[index + 1] + number[index] + number.slice(index + 2);
      assert.equal(validateAadhaar(swapped).ok, false);
    }), { numRuns: 500 });
  });

  test('a 16-digit VID is not an Aadhaar; other shapes are format errors; masked forms give the last four', () => {
    assert.deepEqual(validateAadhaar('9999 1234 5678 9012'), { ok: false, rule: 'aadhaar.vid_not_aadhaar' });
    for (const bad of ['123412341234', '01234123412', '2341234123', 'ABCD12341234']) assert.deepEqual(validateAadhaar(bad), { ok: false, rule: 'aadhaar.format' }, bad);
    assert.deepEqual(validateAadhaar('XXXXXXXX1234'), { ok: true, value: '1234' });
  });

  test('the full number never comes back, only its last four digits', () => {
    fc.assert(fc.property(validAadhaar, (number) => {
      const result = validateAadhaar(number);
      assert.ok(result.ok && result.value.length === 4 && !number.startsWith(result.value));
    }));
  });
});

describe('GSTIN', () => {
  const gstinFor = (state: string, pan: string, entity: string) => `${state}${pan}${entity}Z${computeGstinCheckChar(`${state}${pan}${entity}Z`)}`;
  const validGstin = fc.tuple(fc.constantFrom('27', '29', '07', '33', '24', '36'), validPan, fc.constantFrom(...'123456789ABC')).map(([s, p, e]) => gstinFor(s, p, e));
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

  test('published examples pass with their PAN', () => {
    assert.deepEqual(validateGstin('27AAPFU0939F1ZV', 'AAPFU0939F'), { ok: true, value: '27AAPFU0939F1ZV' });
    assert.deepEqual(validateGstin('29AAGCB7383J1Z4'), { ok: true, value: '29AAGCB7383J1Z4' });
    assert.deepEqual(validateGstin('27aapfu0939f1zv'), { ok: true, value: '27AAPFU0939F1ZV' });
  });

  test('a generated valid GSTIN passes; any single-character change fails', () => {
    fc.assert(fc.property(validGstin, fc.nat(14), fc.integer({ min: 1, max: 35 }), (gstin, index, shift) => {
      assert.equal(validateGstin(gstin, gstin.slice(2, 12)).ok, true);
      const replacement = alphabet[(alphabet.indexOf(gstin[index]!) + shift) % 36]!;
      const changed = gstin.slice(0, index) + replacement + gstin.slice(index + 1);
      assert.equal(validateGstin(changed).ok, false, `${gstin} → ${changed}`);
    }), { numRuns: 1000 });
  });

  test('names the rule: format, state code, checksum, PAN mismatch', () => {
    assert.deepEqual(validateGstin('27AAPFU0939F1Z'), { ok: false, rule: 'gstin.format' });
    assert.deepEqual(validateGstin(gstinFor('88', 'AAPFU0939F', '1')), { ok: false, rule: 'gstin.state_code' });
    assert.deepEqual(validateGstin('27AAPFU0939F1ZW'), { ok: false, rule: 'gstin.checksum' });
    assert.deepEqual(validateGstin('27AAPFU0939F1ZV', 'AAPFU0939G'), { ok: false, rule: 'gstin.pan_mismatch' });
  });
});

describe('bank, depository and registry identifiers', () => {
  test('IFSC: four letters, 0, six alphanumerics', () => {
    assert.deepEqual(validateIfsc('sbin0001234'), { ok: true, value: 'SBIN0001234' });
    assert.deepEqual(validateIfsc('HDFC0ABC123'), { ok: true, value: 'HDFC0ABC123' });
    for (const bad of ['SBIN1001234', 'SBI00001234', 'SBIN000123', 'SBIN00012345']) assert.deepEqual(validateIfsc(bad), { ok: false, rule: 'ifsc.format' }, bad);
  });

  test('bank account: 9 to 18 digits', () => {
    assert.equal(validateBankAccount('123456789').ok, true);
    assert.equal(validateBankAccount('1234 5678 9012 3456 78').ok, true);
    for (const bad of ['12345678', '1234567890123456789', '12345678A']) assert.equal(validateBankAccount(bad).ok, false, bad);
  });

  test('BO ids: CDSL 16 digits, NSDL IN + 14 digits, each only for its depository', () => {
    assert.equal(validateBoId('CDSL', '1208160012345678').ok, true);
    assert.equal(validateBoId('NSDL', 'IN30021412345678').ok, true);
    assert.equal(validateBoId('NSDL', 'in300214 12345678').ok, true);
    assert.deepEqual(validateBoId('CDSL', 'IN30021412345678'), { ok: false, rule: 'bo_id.format' });
    assert.deepEqual(validateBoId('NSDL', '1208160012345678'), { ok: false, rule: 'bo_id.format' });
    assert.deepEqual(validateBoId('CDSL', '120816001234567'), { ok: false, rule: 'bo_id.format' });
  });

  test('CKYC KIN: 14 digits; driving licence: state, RTO and number', () => {
    assert.equal(validateCkycKin('12345678901234').ok, true);
    assert.deepEqual(validateCkycKin('1234567890123'), { ok: false, rule: 'ckyc_kin.format' });
    assert.deepEqual(validateDrivingLicence('MH14 20110062821'), { ok: true, value: 'MH1420110062821' });
    assert.deepEqual(validateDrivingLicence('DL-0420110149646'), { ok: true, value: 'DL0420110149646' });
    assert.deepEqual(validateDrivingLicence('12345'), { ok: false, rule: 'driving_licence.format' });
  });
});
