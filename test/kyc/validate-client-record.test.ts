// validateClientRecord: canonical output, every error of a row at once, one stable rule per
// broken field, warnings that never reject, and no personal value in any report.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Compile } from 'typebox/compile';
import { ClientRecordSchema } from '../../src/kyc/client-record.ts';
import { ruleCatalogue, ruleCodes, type RuleCode } from '../../src/kyc/validate/rules.ts';
import { validateClientRecord } from '../../src/kyc/validate/validate-client-record.ts';
import { createValidInput, setAt, TODAY } from './fixtures.ts';

const check = Compile(ClientRecordSchema);
const validate = (input: unknown) => validateClientRecord(input, { today: TODAY });

function errorsOf(input: unknown): Array<[string, string]> {
  const result = validate(input);
  return result.ok ? [] : result.errors.map((e) => [e.field, e.rule]);
}

function broken(path: string, value: unknown): Record<string, unknown> {
  const input = createValidInput();
  setAt(input, path, value);
  return input;
}

describe('a valid row', () => {
  test('becomes the canonical record, which conforms to ClientRecordSchema', () => {
    const result = validate(createValidInput());
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    assert.deepEqual(result.warnings, []);
    assert.ok(check.Check(result.record), JSON.stringify(check.Errors(result.record)));
    assert.equal(result.record.banks[0]?.primary, true);
    assert.deepEqual(result.record.nominees.map((n) => n.sharePct), [60, 40]);
  });

  test('is normalised first: case, spacing, prefixes, state names, KRA date order, full Aadhaar', () => {
    const input = createValidInput();
    Object.assign(input, {
      clientCode: ' rs100001 ', pan: 'abcps 1234k', name: { first: '  Ravi ', middle: 'Kumar', last: 'Sharma' }, gender: 'm', dob: '15/08/1985',
      mobile: '098765 43210', email: 'Ravi.Sharma@Example.IN', kycMode: '1', kraStatus: 7, occupation: 1, aadhaar: '2341 2341 2346',
      banks: [{ ifsc: 'hdfc0001234', accountNumber: '5010 0123 4567 89', type: 'sb' }],
    });
    delete input.aadhaarLast4;
    setAt(input, 'addresses.correspondence.stateCode', 'Maharashtra');
    const result = validate(input);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    const r = result.record;
    assert.equal(r.clientCode, 'RS100001');
    assert.equal(r.pan, 'ABCPS1234K');
    assert.deepEqual(r.name, { first: 'Ravi', middle: 'Kumar', last: 'Sharma' });
    assert.equal(r.dob, '1985-08-15');
    assert.deepEqual(r.mobile, { number: '+919876543210', relation: 'SELF' });
    assert.equal(r.email?.address, 'ravi.sharma@example.in');
    assert.equal(r.kraStatus, '007');
    assert.equal(r.occupation, '01');
    assert.equal(r.kycMode, 1);
    assert.equal(r.aadhaarLast4, '2346');
    assert.equal(r.addresses.correspondence.stateCode, 'MH');
    assert.deepEqual(r.banks, [{ ifsc: 'HDFC0001234', accountNumber: '50100123456789', type: 'SB', primary: true }]);
    assert.ok(!JSON.stringify(r).includes('234123412346'), 'the full Aadhaar never reaches the record');
    assert.ok(!('aadhaar' in r));
    const again = validate(r);
    assert.ok(again.ok && JSON.stringify(again.record) === JSON.stringify(r), 'validating a canonical record changes nothing');
  });

  test('warnings (PAN 5th letter vs surname, KRA hold) never reject', () => {
    const input = createValidInput();
    Object.assign(input, { pan: 'ABCPX1234K', kraStatus: '103', kra: 'NDML' });
    const result = validate(input);
    assert.ok(result.ok);
    assert.deepEqual(result.warnings.map((w) => [w.field, w.rule]), [['pan', 'pan.surname_mismatch'], ['kraStatus', 'kra_status.on_hold']]);
  });
});

// One broken field each: the row is rejected with exactly this field and rule.
const cases: Array<[string, string, unknown, string, RuleCode]> = [
  ['client code with a symbol', 'clientCode', 'RS#1', 'clientCode', 'client_code.format'],
  ['client code too long', 'clientCode', 'ABCDEFGHIJK', 'clientCode', 'client_code.format'],
  ['PAN with a digit last', 'pan', 'ABCPS12349', 'pan', 'pan.format'],
  ['PAN missing', 'pan', undefined, 'pan', 'field.required'],
  ['name with script text', 'name.first', '<script>alert(1)</script>', 'name.first', 'name.characters'],
  ['name with SQL', 'name.last', "x'); DROP TABLE clients;--", 'name.last', 'name.characters'],
  ['name over 100 in all', 'name.middle', 'Venkata '.repeat(12).trim(), 'name', 'name.too_long'],
  ['father name over 100', 'fatherOrSpouseName', 'A'.repeat(101), 'fatherOrSpouseName', 'name.too_long'],
  ['gender missing for an individual', 'gender', undefined, 'gender', 'gender.required'],
  ['gender not M/F/T', 'gender', 'X', 'gender', 'field.enum'],
  ['DOB not a date', 'dob', '1985-02-30', 'dob', 'dob.format'],
  ['DOB in the future', 'dob', '2025-04-01', 'dob', 'dob.future'],
  ['nationality not ISO', 'nationality', 'IND', 'nationality', 'country.format'],
  ['residential status unknown', 'residentialStatus', 'ALIEN', 'residentialStatus', 'field.enum'],
  ['Aadhaar with a bad check digit', 'aadhaar', '234123412347', 'aadhaar', 'aadhaar.verhoeff'],
  ['Aadhaar starting with 1', 'aadhaar', '134123412346', 'aadhaar', 'aadhaar.format'],
  ['a VID instead of an Aadhaar', 'aadhaar', '9134123412346789', 'aadhaar', 'aadhaar.vid_not_aadhaar'],
  ['Aadhaar last four not four digits', 'aadhaarLast4', '123', 'aadhaarLast4', 'aadhaar_last4.format'],
  ['KIN of 13 digits', 'ckycKin', '1001234567890', 'ckycKin', 'ckyc_kin.format'],
  ['GSTIN too short', 'gstin', '27ABCPS1234K1Z', 'gstin', 'gstin.format'],
  ['GSTIN of state 88', 'gstin', '88ABCPS1234K1ZA', 'gstin', 'gstin.state_code'],
  ['GSTIN with a bad check', 'gstin', '27ABCPS1234K1ZA', 'gstin', 'gstin.checksum'],
  ['GSTIN of another PAN', 'gstin', '27AAPFU0939F1ZV', 'gstin', 'gstin.pan_mismatch'],
  ['KRA status 09', 'kraStatus', '009', 'kraStatus', 'kra_status.format'],
  ['KRA status of another KRA', 'kraStatus', '107', 'kraStatus', 'kra_status.kra_mismatch'],
  ['KRA unknown', 'kra', 'XYZ', 'kra', 'field.enum'],
  ['KRA status date impossible', 'kraStatusDate', '2023-13-01', 'kraStatusDate', 'date.format'],
  ['KRA status date in the future', 'kraStatusDate', '2026-01-01', 'kraStatusDate', 'date.future'],
  ['KYC mode 7', 'kycMode', 7, 'kycMode', 'kyc_mode.range'],
  ['mobile starting with 5', 'mobile.number', '5876543210', 'mobile.number', 'mobile.format'],
  ['mobile missing', 'mobile', undefined, 'mobile', 'field.required'],
  ['mobile relation unknown', 'mobile.relation', 'FRIEND', 'mobile.relation', 'field.enum'],
  ['email without @', 'email.address', 'ravi.example.in', 'email.address', 'email.format'],
  ['email over 100', 'email.address', `${'a'.repeat(96)}@x.in`, 'email.address', 'email.too_long'],
  ['pincode starting with 0', 'addresses.correspondence.pincode', '011001', 'addresses.correspondence.pincode', 'pincode.format'],
  ['pincode of another state', 'addresses.correspondence.pincode', '560001', 'addresses.correspondence.pincode', 'pincode.state_mismatch'],
  ['unknown state', 'addresses.permanent.stateCode', 'Atlantis', 'addresses.permanent.stateCode', 'address.state_unknown'],
  ['address line over 120', 'addresses.correspondence.lines.0', 'x'.repeat(121), 'addresses.correspondence.lines[0]', 'address.line_too_long'],
  ['four address lines', 'addresses.correspondence.lines', ['a', 'b', 'c', 'd'], 'addresses.correspondence.lines', 'address.lines'],
  ['city over 30', 'addresses.correspondence.city', 'Thiruvananthapuram Cantonment N', 'addresses.correspondence.city', 'address.city_too_long'],
  ['foreign postal code malformed', 'addresses.permanent', { lines: ['1 King Road'], city: 'London', pincode: '!!', country: 'GB' }, 'addresses.permanent.pincode', 'postal_code.format'],
  ['correspondence address missing', 'addresses.correspondence', undefined, 'addresses.correspondence', 'field.required'],
  ['income range 07', 'incomeRange', '07', 'incomeRange', 'field.enum'],
  ['PEP unknown', 'pep', 'MAYBE', 'pep', 'field.enum'],
  ['tax residency country malformed', 'fatca.taxResidencies', [{ country: 'USA', taxId: '123' }], 'fatca.taxResidencies[0].country', 'country.format'],
  ['IFSC with 1 as 5th', 'banks.0.ifsc', 'HDFC1001234', 'banks[0].ifsc', 'ifsc.format'],
  ['account of 8 digits', 'banks.1.accountNumber', '12345678', 'banks[1].accountNumber', 'bank_account.format'],
  ['two primary banks', 'banks.1.primary', true, 'banks', 'banks.primary'],
  ['NRE for a resident', 'banks.0.type', 'NRE', 'banks[0].type', 'banks.type_residency'],
  ['no bank', 'banks', [], 'banks', 'field.required'],
  ['NSDL id on CDSL', 'demat.0.boId', 'IN30021412345678', 'demat[0].boId', 'bo_id.format'],
  ['segment twice', 'segments.1.segment', 'CM', 'segments[1].segment', 'segments.duplicate'],
  ['MTF without agreement', 'mtfAgreementDate', undefined, 'mtfAgreementDate', 'mtf.agreement_missing'],
  ['shares not 100', 'nominees.0.sharePct', 50, 'nominees', 'nominees.share_sum'],
  ['a zero share', 'nominees', [{ name: 'Sita Sharma', relation: 'SPOUSE', sharePct: 0, identifier: { type: 'PAN', value: 'BCDPS2345L' } }, { name: 'Arjun Sharma', relation: 'SON', sharePct: 100, identifier: { type: 'AADHAAR_LAST4', value: '4321' } }], 'nominees[0].sharePct', 'nominees.share_range'],
  ['minor nominee without guardian', 'nominees.1.guardian', undefined, 'nominees[1].guardian', 'nominees.minor_without_guardian'],
  ['nominee DL malformed', 'nominees.0.identifier', { type: 'DL', value: '12345' }, 'nominees[0].identifier.value', 'driving_licence.format'],
  ['nominee relation unknown', 'nominees.0.relation', 'NEIGHBOUR', 'nominees[0].relation', 'field.enum'],
  ['eleven nominees', 'nominees', Array.from({ length: 11 }, () => ({ name: 'Sita Sharma', relation: 'SPOUSE', sharePct: 100 / 11, identifier: { type: 'AADHAAR_LAST4', value: '1234' } })), 'nominees', 'nominees.too_many'],
  ['nominees and opt-out', 'nominationOptOut', true, 'nominationOptOut', 'nomination.conflict'],
  ['neither nominees nor opt-out', 'nominees', [], 'nominees', 'nomination.required'],
  ['risk category X', 'riskCategory', 'X', 'riskCategory', 'field.enum'],
  ['consent purpose lowercase symbols', 'consents.0.purpose', 'kyc?', 'consents[0].purpose', 'consent.purpose_format'],
  ['consent withdrawn before given', 'consents.0.withdrawnAt', '2022-01-01T00:00:00Z', 'consents[0].withdrawnAt', 'consent.withdrawn_before_given'],
  ['consent time without zone', 'consents.0.givenAt', '2023-01-02 10:00', 'consents[0].givenAt', 'timestamp.format'],
  ['source version 0', 'source.version', 0, 'source.version', 'source.version'],
  ['source system over 40', 'source.system', 'S'.repeat(41), 'source.system', 'field.too_long'],
  ['banks not a list', 'banks', 'HDFC0001234', 'banks', 'field.type'],
  ['name an array', 'fatherOrSpouseName', ['x'], 'fatherOrSpouseName', 'field.type'],
];

describe('one broken field', () => {
  for (const [what, path, value, field, rule] of cases) {
    test(`${what} → ${field} ${rule}`, () => {
      assert.deepEqual(errorsOf(broken(path, value)), [[field, rule]]);
    });
  }

  test('every error rule of the catalogue is reachable (this table or the cross-field tests below)', () => {
    const covered = new Set<string>([...cases.map((c) => c[4]), 'dob.under_18_segment', 'dob.minor_without_guardian', 'record.not_object']);
    const elsewhere = new Set(['pan.surname_mismatch', 'kra_status.on_hold', 'field.format', 'field.range', 'field.unknown', 'record.kind_unknown', 'contract.mismatch']);
    assert.deepEqual(ruleCodes.filter((rule) => !covered.has(rule) && !elsewhere.has(rule)), []);
  });
});

describe('cross-field rules', () => {
  test('all errors of a row are reported together, each with its own path', () => {
    const input = createValidInput();
    Object.assign(input, { pan: 'ABC', mobile: '12345', kycMode: 9 });
    setAt(input, 'banks.0.ifsc', 'X');
    setAt(input, 'nominees.0.sharePct', 10);
    setAt(input, 'addresses.correspondence.pincode', '110001');
    assert.deepEqual(errorsOf(input), [
      ['pan', 'pan.format'], ['kycMode', 'kyc_mode.range'], ['mobile', 'mobile.format'], ['addresses.correspondence.pincode', 'pincode.state_mismatch'],
      ['banks[0].ifsc', 'ifsc.format'], ['nominees', 'nominees.share_sum'],
    ]);
  });

  test('F&O and MTF need 18 on the day; a minor needs a guardian', () => {
    const turning18 = broken('dob', '2007-03-31');
    assert.deepEqual(errorsOf(turning18), [], '18 today is an adult');
    const tomorrow = broken('dob', '2007-04-01');
    assert.deepEqual(errorsOf(tomorrow), [['guardian', 'dob.minor_without_guardian'], ['segments[1]', 'dob.under_18_segment'], ['segments[2]', 'dob.under_18_segment']]);
    const minor = broken('dob', '2012-05-05');
    Object.assign(minor, { guardian: { name: 'Mohan Sharma', relation: 'FATHER', pan: 'ABCPS9876Q' }, nominees: [], nominationOptOut: true });
    minor.segments = [{ segment: 'CM', status: 'ACTIVE' }, { segment: 'FO', status: 'INACTIVE' }];
    delete minor.mtfAgreementDate;
    assert.deepEqual(errorsOf(minor), [], 'a minor with a guardian and only CM active is fine');
  });

  test('non-individuals: no gender or nomination needed, GSTIN checked against the PAN', () => {
    const company = createValidInput();
    Object.assign(company, { pan: 'AAPFU0939F', name: 'Sunrise Traders & Co LLP', gstin: '27AAPFU0939F1ZV', nominees: [] });
    delete company.gender;
    delete company.fatherOrSpouseName;
    const result = validate(company);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    assert.deepEqual(result.record.name, { first: 'Sunrise Traders & Co LLP' });
  });

  test('non-residents: NRE/NRO banks, foreign mobile and address; SB is refused', () => {
    const nri = createValidInput();
    Object.assign(nri, { residentialStatus: 'NRI', mobile: '+971 50 123 4567', banks: [{ ifsc: 'ICIC0001234', accountNumber: '123456789012', type: 'NRE', primary: true }, { ifsc: 'ICIC0001234', accountNumber: '123456789013', type: 'NRO', primary: false }] });
    setAt(nri, 'addresses.correspondence', { lines: ['Apt 1204', 'Marina Walk'], city: 'Dubai', pincode: '00000', country: 'AE' });
    assert.deepEqual(errorsOf(nri), []);
    setAt(nri, 'banks.1.type', 'SB');
    assert.deepEqual(errorsOf(nri), [['banks[1].type', 'banks.type_residency']]);
  });

  test('anything that is not an object is one error', () => {
    for (const value of [null, undefined, 42, 'row', [], new Date(), new (class X {})()]) assert.deepEqual(errorsOf(value), [['', 'record.not_object']]);
  });

  test('a malformed context date is a programming error', () => {
    assert.throws(() => validateClientRecord({}, { today: '31/03/2025' }), TypeError);
  });
});

describe('robustness and privacy', () => {
  const paths = [
    'clientCode', 'pan', 'name', 'name.first', 'dob', 'gender', 'aadhaar', 'kraStatus', 'kycMode', 'mobile', 'mobile.number', 'email', 'addresses',
    'addresses.correspondence', 'addresses.correspondence.lines', 'addresses.correspondence.pincode', 'banks', 'banks.0', 'banks.0.ifsc',
    'banks.0.primary', 'demat', 'demat.0.boId', 'segments', 'segments.0', 'nominees', 'nominees.0', 'nominees.0.sharePct', 'nominees.0.identifier',
    'consents', 'consents.0.givenAt', 'source', 'source.version', 'fatca', 'guardian', 'riskCategory', 'nominationOptOut',
  ];

  test('never throws on arbitrary values, top level or at any field', () => {
    fc.assert(fc.property(fc.anything(), (value) => {
      validate(value);
    }), { numRuns: 300 });
    fc.assert(fc.property(fc.constantFrom(...paths), fc.anything({ withDate: true, withNullPrototype: true, withBigInt: true }), (path, value) => {
      validate(broken(path, value));
    }), { numRuns: 1500 });
  });

  test('reports carry the catalogue message and a path, never the value that was sent', () => {
    // "~" appears in no catalogue message and no field path, so finding one would mean a leaked value.
    assert.ok(!Object.values(ruleCatalogue).some((message) => message.includes('~')));
    const marked = fc.string({ minLength: 1, maxLength: 30 }).map((s) => `~${s}~`);
    fc.assert(fc.property(fc.constantFrom(...paths), marked, (path, value) => {
      const result = validate(broken(path, value));
      const issues = result.ok ? result.warnings : [...result.errors, ...result.warnings];
      for (const issue of issues) {
        assert.equal(issue.message, ruleCatalogue[issue.rule]);
        assert.match(issue.field, /^[A-Za-z0-9.[\]]*$/);
      }
      assert.ok(!JSON.stringify(issues).includes('~'));
    }), { numRuns: 1500 });
  });
});
