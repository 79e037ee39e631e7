// Flat rows to nested input: our headers, KRA APP_* headers, header spelling, spreadsheet cell
// types, and a full CSV round trip of generated rows in both layouts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { buildClientColumns, createFlattener } from '../../src/kyc/flat-layout.ts';
import { buildKraColumns } from '../../src/kyc/kra-layout.ts';
import { generateClientRows } from '../../src/kyc/demo/generate-clients.ts';
import { escapeCsvCell } from '../../src/kyc/demo/write-records.ts';
import { createRowMapper, mapRow } from '../../src/kyc/validate/map-row.ts';
import { validateClientRecord } from '../../src/kyc/validate/validate-client-record.ts';
import { TODAY } from './fixtures.ts';

describe('header detection', () => {
  test('our names, in any case, spacing or order', () => {
    const input = mapRow(
      ['PAN', 'Client Code', 'first name', 'LAST_NAME', 'bank1-ifsc', 'Bank 1 Account', 'nominee2_share', 'Segments'],
      ['abcps1234k', 'rs1', 'Ravi', 'Sharma', 'HDFC0001234', '123456789', '40', 'CM/ACTIVE/2023-01-05|FO/INACTIVE/'],
    );
    const { nominees, ...rest } = input;
    assert.deepEqual(rest, {
      pan: 'abcps1234k', clientCode: 'rs1', name: { first: 'Ravi', last: 'Sharma' },
      banks: [{ ifsc: 'HDFC0001234', accountNumber: '123456789' }],
      segments: [{ segment: 'CM', status: 'ACTIVE', activatedOn: '2023-01-05' }, { segment: 'FO', status: 'INACTIVE' }],
    });
    // Slot 2 without slot 1 leaves a hole, so a reject still names nominees[1] as the file does.
    assert.ok(Array.isArray(nominees) && nominees.length === 2 && !(0 in nominees));
    assert.deepEqual(nominees[1], { sharePct: '40' });
  });

  test('KRA APP_* names with their value codes', () => {
    const input = mapRow(
      ['APP_PAN_NO', 'APP_NAME', 'APP_F_NAME', 'APP_GEN', 'APP_DOB_DT', 'APP_MAR_STATUS', 'APP_NATIONALITY', 'APP_RES_STATUS', 'APP_UID_NO', 'APP_KRA_INFO', 'APP_STATUS', 'APP_STATUSDT', 'APP_KYC_MODE', 'APP_MOB_NO', 'APP_EMAIL', 'APP_COR_ADD1', 'APP_COR_CITY', 'APP_COR_PINCD', 'APP_COR_STATE', 'APP_COR_CTRY', 'APP_IPV_FLAG', 'APP_INCOME', 'APP_OCC', 'APP_POL_CONN'],
      ['ABCPS1234K', 'RAVI KUMAR SHARMA', 'MOHAN SHARMA', 'M', '15/08/1985', '01', '01', 'R', 'XXXXXXXX2346', 'CVLKRA', '007', '02/01/2023 10:20:30', '1', '9876543210', 'ravi@example.in', '12 MG ROAD', 'PUNE', '411001', 'MAHARASHTRA', '101', 'Y', '03', '01', 'NA'],
    );
    assert.deepEqual(input, {
      pan: 'ABCPS1234K', name: 'RAVI KUMAR SHARMA', fatherOrSpouseName: 'MOHAN SHARMA', gender: 'M', dob: '15/08/1985', maritalStatus: 'MARRIED',
      nationality: 'IN', residentialStatus: 'RESIDENT', aadhaar: 'XXXXXXXX2346', kra: 'CVL', kraStatus: '007', kraStatusDate: '02/01/2023', kycMode: '1',
      mobile: { number: '9876543210' }, email: { address: 'ravi@example.in' },
      addresses: { correspondence: { lines: ['12 MG ROAD'], city: 'PUNE', pincode: '411001', stateCode: 'MAHARASHTRA', country: 'IN' } },
      incomeRange: '03', occupation: '01', pep: 'NA',
    });
  });

  test('reports unknown, ignored (KRA fields we do not keep) and duplicate headers; mixes layouts', () => {
    const mapper = createRowMapper(['\uFEFFclient_code', 'APP_PAN_NO', 'pan', 'APP_IPV_FLAG', 'Favourite Colour', '', 'APP_COMMENCE_DT', 'dob']);
    assert.deepEqual(mapper.mapped, ['\uFEFFclient_code', 'APP_PAN_NO', 'APP_COMMENCE_DT', 'dob']);
    assert.deepEqual(mapper.duplicates, ['pan']);
    assert.deepEqual(mapper.ignored, ['APP_IPV_FLAG']);
    assert.deepEqual(mapper.unknown, ['Favourite Colour']);
    assert.deepEqual(mapper.map(['A1', 'ABCPS1234K', 'X', 'Y', 'Z', '', '01/01/2001', '']), { clientCode: 'A1', pan: 'ABCPS1234K', dob: '01/01/2001' });
    assert.deepEqual(mapper.map(['A1', '', '', '', '', '', '01/01/2001', '1999-09-09']).dob, '1999-09-09', 'the commencement date only fills in');
  });

  test('spreadsheet cells: numbers, dates, rich text, formulas and links read as values', () => {
    const mapper = createRowMapper(['pan', 'dob', 'first_name', 'last_name', 'kra_status', 'mobile', 'APP_MAR_STATUS']);
    const input = mapper.map([
      { richText: [{ text: 'ABCPS' }, { text: '1234K' }] }, new Date(Date.UTC(1985, 7, 15)), { formula: 'A1', result: 'Ravi' },
      { text: 'Sharma', hyperlink: 'http://x' }, 7, 9876543210, 1,
    ]);
    assert.deepEqual(input, { pan: 'ABCPS1234K', dob: new Date(Date.UTC(1985, 7, 15)), name: { first: 'Ravi', last: 'Sharma' }, kraStatus: 7, mobile: { number: 9876543210 }, maritalStatus: 'MARRIED' });
    assert.deepEqual(createRowMapper([null, 42, undefined]).map([1, 2, 3]), {});
  });
});

describe('round trip through CSV', () => {
  for (const [layout, columns] of [['our headers', buildClientColumns()], ['KRA headers', buildKraColumns()]] as const) {
    test(`generated rows written with ${layout} validate exactly as the records themselves`, () => {
      const rows = [...generateClientRows({ seed: 'round-trip', count: 1000 })];
      const flatten = createFlattener(columns);
      const text = [columns.map((c) => escapeCsvCell(c.header)).join(','), ...rows.map((row) => flatten(row.record).map(escapeCsvCell).join(','))].join('\n');
      const [headers, ...cells] = parse(text, { relax_column_count: false }) as string[][];
      const mapper = createRowMapper(headers!);
      assert.deepEqual([mapper.unknown, mapper.duplicates], [[], []]);
      // KRAs send the name as one field (APP_NAME), so its problems are reported on `name` itself.
      const sameField = (field: string) => (layout === 'KRA headers' ? field.replace(/^name\.\w+$/, 'name') : field);
      cells.forEach((rowCells, i) => {
        const direct = validateClientRecord(rows[i]!.record, { today: TODAY });
        const viaCsv = validateClientRecord(mapper.map(rowCells), { today: TODAY });
        if (direct.ok || viaCsv.ok) assert.deepEqual(viaCsv, direct, `row ${i + 1} (${rows[i]!.kind})`);
        else assert.deepEqual(viaCsv.errors, direct.errors.map((e) => ({ ...e, field: sameField(e.field) })), `row ${i + 1}`);
      });
    });
  }
});
