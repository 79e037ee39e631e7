// `pravah instruments import` and `pravah instruments search` as child processes against a test
// database: a custom layout through --mapping, known formats by their header, the --json summaries and
// exit statuses, search answered from the table, and a bad mapping refused before anything is read.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { testEnv } from '../helpers/platform.ts';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const customLayout = [
  'Ticker,Company,ISIN Code,Sector,Token',
  'ZENTEC,Zen Technologies Limited,INE251B01027,Aerospace & Defence,7508',
  'HAL,Hindustan Aeronautics Limited,INE066F01020,Aerospace & Defence,2303',
  ',Nameless Limited,INE123A01012,Metals,1',
].join('\n');

const mapping = { symbol: 'Ticker', name: 'Company', isin: 'ISIN Code', sector: 'Sector', token: 'Token', defaults: { exchange: 'NSE' } };

const equityList = [
  'SYMBOL,NAME OF COMPANY, SERIES, DATE OF LISTING, PAID UP VALUE, MARKET LOT, ISIN NUMBER, FACE VALUE',
  'RELIANCE,Reliance Industries Limited,EQ,29-NOV-1995,10,1,INE002A01018,10',
  'TCS,Tata Consultancy Services Limited,EQ,25-AUG-2004,1,1,INE467B01029,1',
  'INFY,Infosys Limited,EQ,08-FEB-1995,5,1,INE009A01021,5',
].join('\n');

const kiteNfo = [
  'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange',
  '13368322,52220,TCS26DECFUT,TCS,0,29-12-2026,0,0.1,175,FUT,NFO-FUT,NFO',
  '13368323,52221,TCS27JANFUT,TCS,0,28-01-2027,0,0.1,175,FUT,NFO-FUT,NFO',
  '13368324,52222,TCS26DEC4000CE,TCS,0,29-12-2026,4000,0.05,175,CE,NFO-OPT,NFO',
  '13368325,52223,TCS26DEC4000PE,TCS,0,29-12-2026,4000,0.05,175,PE,NFO-OPT,NFO',
].join('\n');

type Summary = { source: string; status: string; formats: string[]; read: number; inserted: number; rejected: number; error: string | null };
type Found = { total: number; tookMs: number; items: Array<{ id: string; instrumentType: string; sector: string | null; token: string | null }> };

describe('pravah instruments', () => {
  let database: TestDatabase;
  let dir: string;
  let env: Record<string, string>;
  const file = (name: string) => path.join(dir, name);

  before(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-instruments-cli-'));
    env = testEnv(database.url, { LOG_LEVEL: 'warn' });
    await writeFile(file('desk.csv'), customLayout);
    await writeFile(file('map.json'), JSON.stringify(mapping));
    await writeFile(file('EQUITY_L.csv'), equityList);
    await writeFile(file('nfo.csv'), kiteNfo);
    await writeFile(file('bad-map.json'), JSON.stringify({ name: 'Company', colour: 'Red' }));
    await writeFile(file('broken-map.json'), '{"symbol": "Ticker",');
    await writeFile(file('notes.csv'), 'hello,world\n1,2\n');
  });
  after(async () => {
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  });

  test('import reads a custom layout through --mapping and prints one JSON summary', async () => {
    const result = await run(['instruments', 'import', file('desk.csv'), '--mapping', file('map.json'), '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const summary = JSON.parse(lines[0]!) as Summary;
    assert.deepEqual(
      [summary.source, summary.status, summary.formats, summary.read, summary.inserted, summary.rejected, summary.error],
      ['desk.csv', 'completed', ['column-mapping'], 3, 2, 1, null],
    );
    const { rows } = await database.db.query<{ id: string; sector: string; token: string }>("SELECT id, sector, token FROM instruments WHERE id LIKE 'NSE:%' ORDER BY id");
    assert.deepEqual(rows.map((r) => [r.id, r.sector, r.token]), [['NSE:HAL', 'Aerospace & Defence', '2303'], ['NSE:ZENTEC', 'Aerospace & Defence', '7508']]);
  });

  test('import recognises known formats by their header, one summary line per file', async () => {
    const result = await run(['instruments', 'import', file('EQUITY_L.csv'), file('nfo.csv'), '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    const summaries = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Summary);
    assert.deepEqual(
      summaries.map((s) => [s.source, s.status, s.formats, s.inserted, s.rejected]),
      [['EQUITY_L.csv', 'completed', ['nse-equity-list'], 3, 0], ['nfo.csv', 'completed', ['kite'], 4, 0]],
    );
  });

  test('search answers from the table: --json with --limit puts the expected instrument first', async () => {
    const tcs = await run(['instruments', 'search', 'tcs', '--json', '--limit', '2'], env);
    assert.equal(tcs.code, 0, tcs.stderr);
    const found = JSON.parse(tcs.stdout) as Found;
    assert.equal(found.total, 5, 'the share and its four contracts');
    assert.equal(found.items.length, 2, '--limit 2');
    assert.equal(found.items[0]?.id, 'NSE:TCS');
    assert.equal(found.items[1]?.instrumentType, 'FUT', 'futures before options');
    assert.ok(found.tookMs >= 0);

    // Several words; the record is the one the mapping wrote.
    const zen = JSON.parse((await run(['instruments', 'search', 'zen', 'tech', '--json'], env)).stdout) as Found;
    assert.deepEqual([zen.items[0]?.id, zen.items[0]?.sector, zen.items[0]?.token], ['NSE:ZENTEC', 'Aerospace & Defence', '7508']);

    const text = await run(['instruments', 'search', 'relaince', '--limit', '1'], env);
    assert.equal(text.code, 0, text.stderr);
    const lines = text.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^NSE:RELIANCE\s+EQ\s+Reliance Industries Limited\s+INE002A01018$/);
    assert.match(lines[1]!, /^1 matches in \d+\.\d{3} ms \(index of 9\)$/);
  });

  test('a bad mapping exits non-zero with a one-line reason, before any import starts', async () => {
    const imports = async () => Number((await database.db.query<{ n: string }>('SELECT count(*) AS n FROM instrument_imports')).rows[0]!.n);
    const before = await imports();

    const invalid = await run(['instruments', 'import', file('desk.csv'), '--mapping', file('bad-map.json')], env);
    assert.notEqual(invalid.code, 0);
    assert.equal(invalid.stdout, '');
    assert.equal(invalid.stderr.trim().split('\n').length, 1, invalid.stderr);
    for (const reason of [/column mapping is invalid/, /unknown field "colour"/, /symbol must name a column/]) assert.match(invalid.stderr, reason);

    const broken = await run(['instruments', 'import', file('desk.csv'), '--mapping', file('broken-map.json'), '--json'], env);
    assert.notEqual(broken.code, 0);
    assert.equal(broken.stderr.trim().split('\n').length, 1, broken.stderr);
    assert.match(broken.stderr, /broken-map\.json.*not valid JSON/);

    const missing = await run(['instruments', 'import', file('desk.csv'), '--mapping', file('nope.json')], env);
    assert.notEqual(missing.code, 0);
    assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
    assert.match(missing.stderr, /nope\.json/);

    assert.equal(await imports(), before, 'nothing was imported, not even a failed run');
  });

  test('a file in no known layout fails its import: status failed in the summary, exit status 1', async () => {
    const result = await run(['instruments', 'import', file('notes.csv'), '--json'], env);
    assert.equal(result.code, 1);
    const summary = JSON.parse(result.stdout.trim()) as Summary;
    assert.equal(summary.status, 'failed');
    assert.match(summary.error ?? '', /no recognised instrument layout/);
  });
});
