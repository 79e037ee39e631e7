// Back-office ingestion over a real platform: a generated Rupeeseed-style file lands in one table
// per kind with the right counts, whatever its format; a second ingestion changes nothing; versions
// decide (an older record never overwrites); bad rows name field and rule; net positions are found
// by expiry date; the upload API takes back-office files too.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { login } from '../helpers/session.ts';
import { writeJsonl } from '../helpers/clients.ts';
import { createBlindIndex, type BlindIndex } from '../../src/crypto/blind-index.ts';
import { clientIdForCode } from '../../src/kyc/client-id.ts';
import { contractOf, type BackofficeRecord, type FundLimit, type NetPosition, type Trade } from '../../src/kyc/backoffice-record.ts';
import { generateBackofficeRecords, runDemoGenerate } from '../../src/kyc/demo/generate.ts';
import { buildBackofficeColumns } from '../../src/kyc/backoffice-layout.ts';
import { createFlattener } from '../../src/kyc/flat-layout.ts';
import { escapeCsvCell } from '../../src/kyc/demo/write-records.ts';

const SEED = 'bo-ingest';
const RECORDS = 3000;
const TODAY = '2025-03-31';

/** Where each record is stored: the row it lands on (the tables' primary keys). */
function rowKey(r: BackofficeRecord): string {
  switch (r.kind) {
    case 'clientMaster': return `${r.kind}:${r.clientCode}`;
    case 'trade': return `${r.kind}:${r.exchange}:${r.segment}:${r.tradeId}`;
    case 'netPosition': return `${r.kind}:${r.clientCode}:${r.exchange}:${r.segment}:${r.product}:${contractOf(r)}`;
    case 'fundLimit': return `${r.kind}:${r.clientCode}`;
    case 'mtfPosition': return `${r.kind}:${r.clientCode}:${r.isin}:${r.openedOn}`;
    case 'ledgerEntry': return `${r.kind}:${r.clientCode}:${r.entryId}`;
  }
}

const tables = {
  clientMaster: 'backoffice_client_masters', trade: 'backoffice_trades', netPosition: 'backoffice_net_positions',
  fundLimit: 'backoffice_fund_limits', mtfPosition: 'backoffice_mtf_positions', ledgerEntry: 'backoffice_ledger_entries',
} as const;

function toCsv(records: readonly unknown[]): string {
  const columns = buildBackofficeColumns();
  const flatten = createFlattener(columns);
  return [columns.map((c) => c.header), ...records.map(flatten)].map((cells) => cells.map(escapeCsvCell).join(',')).join('\r\n');
}

describe('back-office ingestion', () => {
  let t: TestPlatform;
  let dir: string;
  let blind: BlindIndex;
  let records: BackofficeRecord[];
  const file = (name: string) => path.join(dir, name);

  async function ingest(name: string) {
    const id = await t.platform.ingest.create({ source: name, filePath: file(name), createdBy: 'test' });
    return t.platform.ingest.run(id, { batchRows: 500 });
  }
  async function ingestRecords(name: string, rows: unknown[]) {
    await writeJsonl(file(name), rows);
    return ingest(name);
  }
  async function count(table: string): Promise<number> {
    const { rows } = await t.database.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(rows[0]!.n);
  }
  const clientId = (code: string) => clientIdForCode(blind, code);

  before(async () => {
    t = await startTestPlatform();
    blind = createBlindIndex(t.platform.keys);
    dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-backoffice-'));
    records = [...generateBackofficeRecords({ seed: SEED, count: RECORDS, clients: Math.ceil(RECORDS / 40), today: TODAY })];
  });
  after(async () => {
    await t.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('a generated file stores every kind, one row per fact, with the job counts', async () => {
    await runDemoGenerate({ kind: 'backoffice', records: RECORDS, seed: SEED, format: 'jsonl', out: file('day.jsonl'), today: TODAY });
    const job = await ingest('day.jsonl');
    assert.equal(job.status, 'completed', String(job.error));
    assert.equal(job.content, 'backoffice');
    const rows = new Map<string, Set<string>>();
    for (const r of records) rows.set(r.kind, (rows.get(r.kind) ?? new Set()).add(rowKey(r)));
    for (const [kind, table] of Object.entries(tables)) {
      assert.ok((rows.get(kind)?.size ?? 0) > 0, `the file holds ${kind} records`);
      assert.equal(await count(table), rows.get(kind)!.size, table);
    }
    const stored = [...rows.values()].reduce((sum, keys) => sum + keys.size, 0);
    assert.equal(job.read, RECORDS);
    assert.equal(job.rejected, 0);
    assert.equal(job.accepted, stored, 'one new row per stored fact');
    assert.ok(job.updated > 0, 'positions and fund limits of later days update the stored ones');
    assert.equal(job.accepted + job.updated + job.unchanged + job.duplicate, RECORDS);
    assert.equal(job.events, 0, 'back-office events arrive with the events issue');

    const trade = records.find((r): r is Trade => r.kind === 'trade' && r.instrumentType === 'OPTIDX')!;
    const { rows: [stored1] } = await t.database.db.query(
      'SELECT client_id, symbol, expiry::text, strike::float8 AS strike, option_type, quantity::int, price::float8 AS price, source_version::int FROM backoffice_trades WHERE exchange = $1 AND segment = $2 AND trade_id = $3',
      [trade.exchange, trade.segment, trade.tradeId],
    );
    assert.deepEqual(stored1, {
      client_id: clientId(trade.clientCode), symbol: trade.symbol, expiry: trade.expiry, strike: trade.strike, option_type: trade.optionType,
      quantity: trade.quantity, price: trade.price, source_version: 1,
    });
    const latest = new Map<string, FundLimit>();
    for (const r of records) if (r.kind === 'fundLimit') latest.set(r.clientCode, r);
    const [code, limit] = [...latest][0]!;
    const { rows: [fund] } = await t.database.db.query('SELECT trade_date::text, shortfall::float8 AS shortfall FROM backoffice_fund_limits WHERE client_id = $1', [clientId(code)]);
    assert.deepEqual(fund, { trade_date: limit.tradeDate, shortfall: limit.shortfall }, 'the latest day is kept');
  });

  test('no personal value is stored: PAN and code only as blind indexes, no names, no narrations', async () => {
    const dump: string[] = [];
    for (const table of Object.values(tables)) {
      const { rows } = await t.database.db.query(`SELECT * FROM ${table}`);
      dump.push(JSON.stringify(rows));
    }
    const text = dump.join('\n');
    const master = records.find((r) => r.kind === 'clientMaster')!;
    assert.ok(master.kind === 'clientMaster');
    for (const secret of [master.pan, master.name, master.clientCode, 'Funds received via UPI']) assert.ok(!text.includes(secret), `${secret.slice(0, 3)}… found in clear`);
    const { rows } = await t.database.db.query<{ pan_bidx: Buffer; ucc: Array<{ codeBidx: string }> }>('SELECT pan_bidx, ucc FROM backoffice_client_masters WHERE client_id = $1', [clientId(master.clientCode)]);
    assert.ok(rows[0]!.pan_bidx.equals(blind('client.pan', master.pan)), 'the PAN blind index matches the one clients carry');
    assert.equal(rows[0]!.ucc[0]!.codeBidx, blind('client.code', master.ucc[0]!.exchangeClientCode).toString('base64'));
  });

  test('the same records again, as CSV and as XLSX, are all unchanged and write nothing', async () => {
    const { rows: [before] } = await t.database.db.query<{ at: Date }>('SELECT max(updated_at) AS at FROM backoffice_net_positions');
    await runDemoGenerate({ kind: 'backoffice', records: RECORDS, seed: SEED, format: 'csv', out: file('day.csv'), today: TODAY });
    await runDemoGenerate({ kind: 'backoffice', records: RECORDS, seed: SEED, format: 'xlsx', out: file('day.xlsx'), today: TODAY });
    for (const name of ['day.csv', 'day.xlsx']) {
      const job = await ingest(name);
      assert.equal(job.status, 'completed', `${name}: ${job.error}`);
      assert.equal(job.content, 'backoffice');
      assert.deepEqual([job.read, job.rejected, job.accepted, job.updated], [RECORDS, 0, 0, 0], name);
      assert.equal(job.unchanged + job.duplicate, RECORDS, name);
    }
    const { rows: [after] } = await t.database.db.query<{ at: Date }>('SELECT max(updated_at) AS at FROM backoffice_net_positions');
    assert.deepEqual(after, before);
  });

  test('versions decide: a newer one updates, an older one (or an earlier day) never overwrites', async () => {
    const trade = records.find((r): r is Trade => r.kind === 'trade')!;
    const v2 = { ...trade, price: trade.price + 1, source: { ...trade.source, version: 2 } };
    const first = await ingestRecords('v2.jsonl', [v2]);
    assert.deepEqual([first.accepted, first.updated, first.unchanged], [0, 1, 0]);
    const second = await ingestRecords('v1-again.jsonl', [trade, { ...trade, price: 1, source: { ...trade.source, version: 1 } }]);
    assert.deepEqual([second.updated, second.unchanged + second.duplicate], [0, 2]);
    const { rows } = await t.database.db.query<{ price: number; v: number }>(
      'SELECT price::float8 AS price, source_version::int AS v FROM backoffice_trades WHERE exchange = $1 AND segment = $2 AND trade_id = $3', [trade.exchange, trade.segment, trade.tradeId],
    );
    assert.deepEqual(rows[0], { price: v2.price, v: 2 });

    // Latest-state rows: a later day wins even at a lower version; an earlier day never does.
    const position = records.find((r): r is NetPosition => r.kind === 'netPosition' && r.instrumentType === 'EQ')!;
    const nextDay = { ...position, tradeDate: '2025-04-01', netQty: 0, buyQty: 0, sellQty: 0 };
    const dayBefore = { ...position, tradeDate: '2025-01-01', netQty: 999, source: { ...position.source, version: 9 } };
    const job = await ingestRecords('positions.jsonl', [nextDay, dayBefore]);
    assert.deepEqual([job.accepted, job.updated, job.unchanged], [0, 1, 1]);
    const stored = await t.database.db.query('SELECT trade_date::text, net_qty::int FROM backoffice_net_positions WHERE client_id = $1 AND contract = $2 AND product = $3',
      [clientId(position.clientCode), contractOf(position), position.product]);
    assert.deepEqual(stored.rows, [{ trade_date: '2025-04-01', net_qty: 0 }]);
  });

  test('bad rows are rejected with field and rule, never the value; good rows around them are kept', async () => {
    const trade = records.find((r): r is Trade => r.kind === 'trade')!;
    const option = records.find((r): r is NetPosition => r.kind === 'netPosition' && r.instrumentType === 'OPTIDX')!;
    const master = records.find((r) => r.kind === 'clientMaster')!;
    const { expiry: _expiry, ...noExpiry } = option;
    const good = { ...trade, tradeId: 'GOOD-1' };
    const job = await ingestRecords('bad.jsonl', [
      { ...trade, tradeId: 'BAD-1', quantity: 'many', side: 'HOLD' },
      noExpiry,
      { ...trade, tradeId: 'BAD-2', instrumentType: 'EQ', expiry: '2025-04-24' },
      { kind: 'order', clientCode: trade.clientCode },
      { ...master, pan: 'NOTAPAN99' },
      good,
      '{"kind": "trade",',
    ]);
    assert.equal(job.status, 'completed');
    assert.deepEqual([job.read, job.rejected, job.accepted], [7, 6, 1]);
    const csv = await t.platform.ingest.rejectsCsv(job.id);
    let text = '';
    for await (const chunk of csv) text += chunk;
    const lines = text.trim().split('\n').slice(1).map((line) => line.split(',').slice(1, 4).join(' '));
    assert.deepEqual(lines, [
      '1 quantity field.type', '1 side field.enum', '2 expiry contract.mismatch', '3 expiry contract.mismatch',
      '4 kind record.kind_unknown', '5 pan field.format', '7 row row.unreadable',
    ]);
    assert.ok(!text.includes('NOTAPAN99') && !text.includes('many'));
  });

  test('net positions are found by expiry date: clients holding open positions in contracts expiring on D', async () => {
    const latest = new Map<string, NetPosition>();
    for (const r of records) if (r.kind === 'netPosition') latest.set(rowKey(r), r); // the file is in day order
    const expiries = [...latest.values()].filter((p) => p.expiry && p.netQty !== 0).map((p) => p.expiry!);
    const day = expiries.sort().at(-1)!;
    const expected = new Set([...latest.values()].filter((p) => p.expiry === day && p.netQty !== 0).map((p) => clientId(p.clientCode)));
    assert.ok(expected.size > 1);
    const { rows } = await t.database.db.query<{ client_id: string }>(
      'SELECT DISTINCT client_id FROM backoffice_net_positions WHERE expiry = $1 AND net_qty <> 0', [day],
    );
    assert.deepEqual(new Set(rows.map((r) => r.client_id)), expected);
  });

  test('the upload API takes a back-office CSV', async () => {
    const auth = { authorization: `Bearer ${(await login(t.platform.http, t.admin.email, t.admin.password)).accessToken}` };
    const trade = records.find((r): r is Trade => r.kind === 'trade')!;
    const csv = toCsv([{ ...trade, tradeId: 'UP-1' }, { ...trade, tradeId: 'UP-2' }]);
    const boundary = '----pravah';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="rms.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n\r\n--${boundary}--\r\n`;
    const res = await t.platform.http.inject({ method: 'POST', url: '/api/ingest', headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
    assert.equal(res.statusCode, 202, res.body);
    await t.platform.ingest.idle();
    const job = (await t.platform.http.inject({ url: `/api/ingest/${res.json().id}`, headers: auth })).json();
    assert.deepEqual([job.status, job.content, job.accepted], ['completed', 'backoffice', 2]);
  });
});
