// The record model: personal-field classification against the schema, KRA status codes, and the
// canonical back-office records (generated, flattened, mapped back and checked).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ClientRecordSchema } from '../../src/kyc/client-record.ts';
import { backofficeKinds, keyOfBackofficeRecord, type BackofficeRecord } from '../../src/kyc/backoffice-record.ts';
import { buildBackofficeColumns } from '../../src/kyc/backoffice-layout.ts';
import { createFlattener } from '../../src/kyc/flat-layout.ts';
import { decodeKraStatus, encodeKraStatus, isKraStatusCode, kraStatusNames } from '../../src/kyc/kra-status.ts';
import { kras } from '../../src/kyc/codes.ts';
import { findPersonalField, maskPersonalValue, personalFields } from '../../src/kyc/personal-fields.ts';
import { collectClientRefs, generateBackofficeRecords } from '../../src/kyc/demo/generate-backoffice.ts';
import { createBackofficeRowMapper, validateBackofficeRecord } from '../../src/kyc/validate/validate-backoffice.ts';
import { TODAY } from './fixtures.ts';

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema };

function leafPaths(schema: JsonSchema, prefix = ''): string[] {
  if (schema.type === 'object') return Object.entries(schema.properties ?? {}).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
  if (schema.type === 'array' && schema.items) return leafPaths(schema.items, `${prefix}[]`);
  return [prefix];
}

describe('personal fields', () => {
  const paths = new Set(leafPaths(ClientRecordSchema as unknown as JsonSchema));

  test('every classified path is a leaf of the client record schema', () => {
    for (const field of personalFields) assert.ok(paths.has(field.path), field.path);
  });

  test('the identifiers, names, contacts, addresses and account numbers are all classified', () => {
    for (const path of ['pan', 'name.first', 'dob', 'mobile.number', 'email.address', 'addresses.correspondence.lines[]', 'banks[].accountNumber', 'demat[].boId', 'nominees[].name', 'aadhaarLast4']) {
      assert.ok(findPersonalField(path), path);
    }
    assert.equal(findPersonalField('banks[3].accountNumber')?.mask, 'tail4');
    assert.equal(findPersonalField('kraStatus'), undefined);
    assert.deepEqual(personalFields.filter((f) => f.blindIndex).map((f) => f.path), ['clientCode', 'pan', 'mobile.number', 'email.address']);
  });

  test('masks show no more than they should', () => {
    assert.equal(maskPersonalValue('tail4', 'ABCPS1234K'), 'XXXXXX234K');
    assert.equal(maskPersonalValue('mobile', '+919876543210'), '+91XXXXXX3210');
    assert.equal(maskPersonalValue('email', 'ravi.sharma@example.in'), 'r****@example.in');
    assert.equal(maskPersonalValue('name', 'Ravi Kumar'), 'R*** K***');
    assert.equal(maskPersonalValue('date', '1985-08-15'), '1985-XX-XX');
  });
});

describe('KRA status codes', () => {
  test('decode every KRA and status, with the 11-14 existing-KYC forms', () => {
    for (const [digit, kra] of kras.entries()) {
      for (const [suffix, status] of Object.entries(kraStatusNames)) {
        const code = `${digit}${suffix}`;
        assert.deepEqual(decodeKraStatus(code), { kra, status, existingKyc: false, onHold: status === 'ON_HOLD', portable: status === 'VALIDATED' });
        assert.equal(encodeKraStatus(kra, status), code);
      }
    }
    assert.deepEqual(decodeKraStatus('013'), { kra: 'CVL', status: 'ON_HOLD', existingKyc: true, onHold: true, portable: false });
    assert.equal(encodeKraStatus('KFIN', 'REGISTERED', true), '412');
    assert.equal(encodeKraStatus('KFIN', 'VALIDATED', true), '407', 'only 01-04 have an existing-KYC form');
    for (const bad of ['508', '008', '015', '010', '07', '0070', 'abc']) assert.equal(isKraStatusCode(bad), false, bad);
  });
});

describe('back-office records', () => {
  const refs = collectClientRefs('bo', 60, TODAY);
  const records = [...generateBackofficeRecords({ seed: 'bo', count: 4000, clients: refs, today: TODAY })];

  test('every kind is produced, each record passes its schema and belongs to a known client', () => {
    assert.equal(records.length, 4000);
    assert.deepEqual(new Set(records.map((r) => r.kind)), new Set(backofficeKinds));
    const codes = new Set(refs.map((r) => r.clientCode));
    for (const record of records) {
      const result = validateBackofficeRecord(record);
      assert.ok(result.ok, `${record.kind}: ${JSON.stringify(!result.ok && result.errors)}`);
      assert.ok(codes.has(record.clientCode));
      const day = 'tradeDate' in record ? record.tradeDate : 'entryDate' in record ? record.entryDate : record.source.asOf.slice(0, 10);
      assert.ok(day <= TODAY);
    }
  });

  test('the same seed gives the same records; keys are unique where facts are unique', () => {
    const again = [...generateBackofficeRecords({ seed: 'bo', count: 4000, clients: 60, today: TODAY })];
    assert.deepEqual(again, records, 'a client count takes the same clients from the KYC generator');
    const keyed = records.filter((r) => r.kind === 'trade' || r.kind === 'ledgerEntry' || r.kind === 'clientMaster');
    assert.equal(new Set(keyed.map(keyOfBackofficeRecord)).size, keyed.length);
  });

  test('ledger balances run: each line is the previous balance minus debit plus credit', () => {
    const balances = new Map<string, number>();
    for (const entry of records.filter((r) => r.kind === 'ledgerEntry')) {
      const previous = balances.get(entry.clientCode) ?? 0;
      assert.ok(Math.abs(previous - entry.debit + entry.credit - entry.balance) < 0.011, entry.entryId);
      balances.set(entry.clientCode, entry.balance);
    }
  });

  test('flat rows map back to the same records; broken ones name field and rule', () => {
    const columns = buildBackofficeColumns();
    const flatten = createFlattener(columns);
    const mapper = createBackofficeRowMapper(columns.map((c) => c.header));
    for (const record of records.slice(0, 1500)) {
      const result = validateBackofficeRecord(mapper.map(flatten(record)));
      assert.ok(result.ok);
      assert.deepEqual(result.record, record);
    }
    const trade = { ...records.find((r) => r.kind === 'trade')!, quantity: 'many', side: 'HOLD' } as unknown as BackofficeRecord;
    const result = validateBackofficeRecord(trade);
    assert.ok(!result.ok);
    assert.deepEqual(result.errors.map((e) => [e.field, e.rule]).sort(), [['quantity', 'field.type'], ['side', 'field.enum']]);
    assert.deepEqual(validateBackofficeRecord({ kind: 'order' }), { ok: false, errors: [{ field: 'kind', rule: 'record.kind_unknown', message: 'The record kind is not one of the back-office kinds.' }] });
  });

  test('contract fields fit the instrument type: futures an expiry, options also strike and CE/PE, equity none', () => {
    const option = records.find((r) => r.kind === 'netPosition' && r.instrumentType === 'OPTIDX')!;
    const rules = (patch: Record<string, unknown>, drop: string[] = []) => {
      const input: Record<string, unknown> = { ...option, ...patch };
      for (const key of drop) delete input[key];
      const result = validateBackofficeRecord(input);
      return result.ok ? [] : result.errors.map((e) => `${e.field} ${e.rule}`);
    };
    assert.deepEqual(rules({}), []);
    assert.deepEqual(rules({}, ['strike', 'optionType']), ['strike contract.mismatch', 'optionType contract.mismatch']);
    assert.deepEqual(rules({ instrumentType: 'FUTIDX' }, ['optionType']), ['strike contract.mismatch']);
    assert.deepEqual(rules({ instrumentType: 'FUTIDX' }, ['strike', 'optionType', 'expiry']), ['expiry contract.mismatch']);
    assert.deepEqual(rules({ instrumentType: 'EQ' }, ['strike', 'optionType']), ['expiry contract.mismatch']);
  });
});
