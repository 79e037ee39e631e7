// The demo generator: deterministic by seed, about 2% invalid rows each breaking one known rule,
// the noise DOMAIN.md lists, streaming writers, and back-office records keyed to the same clients.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { isAppError } from '../../src/platform/errors.ts';
import { buildClientColumns } from '../../src/kyc/flat-layout.ts';
import { generateClientRows, type GeneratedClientRow } from '../../src/kyc/demo/generate-clients.ts';
import { runDemoGenerate, writeRecords } from '../../src/kyc/demo/generate.ts';
import { validateClientRecord } from '../../src/kyc/validate/validate-client-record.ts';
import { TODAY } from './fixtures.ts';

let dir = '';
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-kyc-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = (name: string) => path.join(dir, name);

describe('determinism', () => {
  test('the same seed gives byte-identical CSV and JSONL; another seed differs', async () => {
    for (const format of ['csv', 'jsonl'] as const) {
      for (const [name, seed] of [['a1', 11], ['a2', 11], ['b', 12]] as const) {
        await runDemoGenerate({ kind: 'kyc', records: 500, seed, format, out: file(`${name}.${format}`) });
      }
      const [a1, a2, b] = await Promise.all(['a1', 'a2', 'b'].map((name) => readFile(file(`${name}.${format}`))));
      assert.ok(a1!.length > 100_000 || format === 'csv' && a1!.length > 60_000);
      assert.ok(a1!.equals(a2!), `${format}: same seed, same bytes`);
      assert.ok(!a1!.equals(b!), `${format}: another seed, other bytes`);
    }
  });

  test('XLSX: the same seed gives the same cells, which are the CSV cells', async () => {
    await runDemoGenerate({ kind: 'kyc', records: 200, seed: 5, format: 'xlsx', out: file('x1.xlsx') });
    await runDemoGenerate({ kind: 'kyc', records: 200, seed: 5, format: 'xlsx', out: file('x2.xlsx') });
    await runDemoGenerate({ kind: 'kyc', records: 200, seed: 5, format: 'jsonl', out: file('x.jsonl') });
    const read = async (name: string) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(file(name));
      const rows: string[][] = [];
      workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
      return rows;
    };
    const [x1, x2] = [await read('x1.xlsx'), await read('x2.xlsx')];
    assert.equal(x1.length, 201);
    assert.deepEqual(x1, x2);
    const columns = buildClientColumns();
    assert.deepEqual(x1[0], columns.map((c) => c.header));
    const first = JSON.parse((await readFile(file('x.jsonl'), 'utf8')).split('\n')[0]!) as { clientCode: string; pan: string };
    assert.equal(x1[1]![0], first.clientCode);
    assert.equal(x1[1]![1], first.pan);
  });
});

describe('validity and noise (5,000 rows)', () => {
  let rows: GeneratedClientRow[] = [];
  let results: Array<ReturnType<typeof validateClientRecord>> = [];
  before(() => {
    rows = [...generateClientRows({ seed: 2025, count: 5000 })];
    results = rows.map((row) => validateClientRecord(row.record, { today: TODAY }));
  });

  test('between 1.5% and 2.5% of rows are invalid, each breaking exactly its known rule', () => {
    const invalid = results.filter((r) => !r.ok).length / rows.length;
    assert.ok(invalid >= 0.015 && invalid <= 0.025, `invalid fraction ${invalid}`);
    rows.forEach((row, i) => {
      const result = results[i]!;
      if (row.kind !== 'invalid') assert.ok(result.ok, `row ${i} (${row.kind}): ${JSON.stringify(!result.ok && result.errors)}`);
      else assert.ok(!result.ok && result.errors.length > 0 && result.errors.every((e) => e.rule === row.brokenRule), `row ${i}: ${row.brokenRule}`);
    });
    assert.ok(new Set(rows.map((r) => r.brokenRule).filter(Boolean)).size >= 20, 'many different rules are broken');
  });

  test('re-sends, updates (higher version) and stale copies (lower version) of earlier clients', () => {
    const kinds = new Map<string, number>();
    const latest = new Map<string, number>();
    for (const row of rows) {
      kinds.set(row.kind, (kinds.get(row.kind) ?? 0) + 1);
      const { clientCode, source } = row.record;
      const seen = latest.get(clientCode);
      if (row.kind === 'new' || row.kind === 'invalid') assert.equal(seen, undefined, 'a new client code');
      if (row.kind === 'resend') assert.equal(source.version, seen);
      if (row.kind === 'update') assert.ok(seen !== undefined && source.version > seen);
      if (row.kind === 'stale') assert.ok(seen !== undefined && source.version < seen);
      latest.set(clientCode, Math.max(seen ?? 0, source.version));
    }
    for (const kind of ['resend', 'update', 'stale']) assert.ok((kinds.get(kind) ?? 0) > 20, `${kind}: ${kinds.get(kind)}`);
  });

  test('minors with guardians, NRIs with NRE/NRO, non-individuals with GSTINs, shared mobiles, stale holds, PAN/name mismatches', () => {
    const valid = results.filter((r) => r.ok).map((r) => r.record);
    const adultAt = (dob: string) => Number(TODAY.slice(0, 4)) - Number(dob.slice(0, 4)) >= 19;
    const minors = valid.filter((r) => r.pan[3] === 'P' && !adultAt(r.dob) && r.guardian !== undefined);
    const nris = valid.filter((r) => r.residentialStatus === 'NRI' && r.banks.every((b) => b.type === 'NRE' || b.type === 'NRO'));
    const entities = valid.filter((r) => r.pan[3] !== 'P');
    const withGstin = entities.filter((r) => r.gstin !== undefined && r.gstin.slice(2, 12) === r.pan);
    const shared = valid.filter((r) => r.mobile.relation !== 'SELF');
    const holds = results.flatMap((r) => r.warnings).filter((w) => w.rule === 'kra_status.on_hold');
    const mismatches = results.flatMap((r) => r.warnings).filter((w) => w.rule === 'pan.surname_mismatch');
    const counts = { minors: minors.length, nris: nris.length, entities: entities.length, withGstin: withGstin.length, shared: shared.length, holds: holds.length, mismatches: mismatches.length };
    for (const [what, count] of Object.entries(counts)) assert.ok(count >= 20, `${what}: ${count}`);
    assert.ok(new Set(entities.map((r) => r.pan[3])).size >= 4, 'several holder types');
    const owners = new Map(valid.filter((r) => r.mobile.relation === 'SELF').map((r) => [r.mobile.number, r.clientCode]));
    assert.ok(shared.filter((r) => owners.has(r.mobile.number) && owners.get(r.mobile.number) !== r.clientCode).length >= 20, 'shared with another client');
  });

  test('client codes and PANs are unique per client; rows are realistic Indian records', () => {
    const fresh = rows.filter((r) => r.kind === 'new').map((r) => r.record);
    assert.equal(new Set(fresh.map((r) => r.clientCode)).size, fresh.length);
    assert.equal(new Set(fresh.map((r) => r.pan.toUpperCase())).size, fresh.length);
    const valid = results.filter((r) => r.ok).map((r) => r.record);
    assert.ok(new Set(valid.map((r) => r.addresses.correspondence.stateCode)).size >= 25, 'clients across most states');
    assert.ok(new Set(valid.flatMap((r) => r.banks.map((b) => b.ifsc.slice(0, 4)))).size >= 12, 'many banks');
    assert.ok(valid.some((r) => r.demat.some((d) => d.depository === 'NSDL')) && valid.some((r) => r.demat.some((d) => d.depository === 'CDSL')));
    assert.ok(new Set(valid.map((r) => r.kra)).size === 5 && new Set(valid.map((r) => r.kycMode)).size === 7);
  });
});

describe('writers and the CLI entry point', () => {
  test('records are pulled lazily: a slow sink holds the generator back', async () => {
    let pulled = 0;
    let received = 0;
    let maxAhead = 0;
    function* counted() {
      for (const row of generateClientRows({ seed: 1, count: 4000 })) {
        pulled++;
        maxAhead = Math.max(maxAhead, pulled - received);
        yield row.record;
      }
    }
    const sink = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        received += chunk.toString().split('\n').length - 1;
        setImmediate(done);
      },
    });
    const { records } = await writeRecords(counted(), { format: 'csv', out: sink, columns: buildClientColumns() });
    assert.equal(records, 4000);
    assert.ok(maxAhead < 1500, `generator ran ${maxAhead} records ahead of the sink`);
  });

  test('runDemoGenerate reports progress and refuses bad options all at once, before writing', async () => {
    const seen: number[] = [];
    const result = await runDemoGenerate({ kind: 'backoffice', records: 2500, seed: 3, format: 'csv', out: file('p.csv'), progressEvery: 1000, onProgress: (p) => seen.push(p.written) });
    assert.equal(result.records, 2500);
    assert.deepEqual(seen, [1000, 2000, 2500]);
    assert.equal((await readFile(file('p.csv'), 'utf8')).trimEnd().split('\n').length, 2501);
    await assert.rejects(
      runDemoGenerate({ kind: 'cats' as 'kyc', records: -1, seed: 1, format: 'pdf' as 'csv', out: file('never.csv') }),
      (error: unknown) => isAppError(error) && error.code === 'VALIDATION_FAILED' && (error.details as unknown[]).length === 3,
    );
    await assert.rejects(readFile(file('never.csv')));
  });

  test('an output that cannot be opened rejects the run (in every format) instead of crashing', async () => {
    for (const format of ['csv', 'jsonl', 'xlsx'] as const) {
      await assert.rejects(runDemoGenerate({ kind: 'kyc', records: 2000, seed: 1, format, out: path.join(dir, 'missing', `x.${format}`) }), /ENOENT/);
    }
  });

  test('KRA headers: APP_* names for the fields KRAs carry', async () => {
    await runDemoGenerate({ kind: 'kyc', records: 10, seed: 3, format: 'csv', out: file('kra.csv'), kraHeaders: true });
    const header = (await readFile(file('kra.csv'), 'utf8')).split('\n')[0]!.split(',');
    for (const name of ['APP_PAN_NO', 'APP_NAME', 'APP_F_NAME', 'APP_GEN', 'APP_DOB_DT', 'APP_MOB_NO', 'APP_EMAIL', 'APP_COR_ADD1', 'APP_COR_PINCD', 'APP_STATUS', 'APP_KYC_MODE']) {
      assert.ok(header.includes(name), name);
    }
    assert.ok(header.includes('client_code') && header.includes('bank1_ifsc'));
  });
});
