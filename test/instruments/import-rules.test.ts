// Importer behaviour on hand-made files: layouts recognised by header, clear errors, rejects per row,
// duplicates, Dhan and column mappings, and bounded memory on a long stream.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import ExcelJS from 'exceljs';
import { isAppError } from '../../src/platform/errors.ts';
import { collectInstruments, importInstruments } from '../../src/instruments/import/import-instruments.ts';
import type { ImportOptions } from '../../src/instruments/import/import-instruments.ts';
import { parseColumnMapping } from '../../src/instruments/import/formats/column-mapping.ts';

function csv(text: string, options: ImportOptions = {}) {
  return collectInstruments(importInstruments({ stream: Readable.from([text]), kind: 'csv', name: 'test.csv' }, options));
}

function reasonOf(error: unknown): unknown {
  return isAppError(error) ? (error.details as { reason?: string }).reason : undefined;
}

let dir = '';
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-instruments-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('layout recognition', () => {
  test('an unknown layout fails once, naming the headers it saw', async () => {
    await assert.rejects(csv('Ticker,Company,Price\nABC,Abc Ltd,10\n'), (error: unknown) => {
      assert.equal(reasonOf(error), 'INSTRUMENT_FORMAT_UNKNOWN');
      assert.match((error as Error).message, /headers seen: Ticker \| Company \| Price/);
      return true;
    });
  });

  test('a known layout missing a required column names the missing column', async () => {
    const text = 'SYMBOL,NAME OF COMPANY, SERIES\nABC,Abc Ltd,EQ\n';
    await assert.rejects(csv(text), (error: unknown) => {
      assert.equal(reasonOf(error), 'INSTRUMENT_COLUMN_MISSING');
      assert.match((error as Error).message, /NSE equity list \(EQUITY_L\) but lacks required column\(s\) "isin number"/);
      return true;
    });
  });

  test('title and blank rows above the header are skipped; semicolon files are read from a path', async () => {
    const file = path.join(dir, 'titled.csv');
    await writeFile(file, 'Exported from the desk;;\n\nSYMBOL;NAME OF COMPANY;SERIES;ISIN NUMBER\nABC;Abc Ltd;EQ;INE000A01010\n');
    const { instruments, stats } = await collectInstruments(importInstruments({ path: file }));
    assert.equal(stats.sheets[0]?.headerRow, 3);
    assert.deepEqual(instruments.map((i) => [i.id, i.isin]), [['NSE:ABC', 'INE000A01010']]);
  });

  test('JSON and empty files are refused with a reason', async () => {
    const json = path.join(dir, 'scrips.json');
    await writeFile(json, '[{"token":"2885"}]');
    await assert.rejects(collectInstruments(importInstruments({ path: json })), /JSON instrument files/);
    await assert.rejects(csv(''), /holds no rows/);
  });
});

describe('rows', () => {
  const header = 'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange\n';

  test('bad dates and numbers reject their row with row number, field and column; the rest import', async () => {
    const text = header +
      '1,1,NIFTY24APR22000CE,NIFTY,0,25-04-2024,22000,0.05,50,CE,NFO-OPT,NFO\n' +
      '2,2,NIFTY24APR22100CE,NIFTY,0,31-02-2024,22100,0.05,50,CE,NFO-OPT,NFO\n' +
      '3,3,NIFTY24APR22200CE,NIFTY,0,25-04-2024,abc,0.05,50,CE,NFO-OPT,NFO\n' +
      '4,4,NIFTY24APR22300CE,NIFTY,0,,22300,0.05,50,CE,NFO-OPT,NFO\n' +
      '5,5,WEIRD,WEIRD,0,,0,0.05,1,XYZ,NSE,NSE\n' +
      '6,6,NIFTY24APRFUT,NIFTY,0,25-04-2024,0,0.05,50,FUT,NFO-FUT,NFO\n';
    const { instruments, rejects, stats } = await csv(text);
    assert.deepEqual(instruments.map((i) => i.symbol), ['NIFTY24APR22000CE', 'NIFTY24APRFUT']);
    assert.deepEqual(
      rejects.map((r) => [r.row, r.field, r.column, r.reason]),
      [
        [3, 'expiry', 'expiry', 'not a date: "31-02-2024"'],
        [4, 'strike', 'strike', 'not a number: "abc"'],
        [5, 'expiry', null, 'CE without an expiry date'],
        [6, 'instrumentType', null, 'unknown instrument type "XYZ"'],
      ],
    );
    assert.deepEqual([stats.rows, stats.instruments, stats.rejects], [6, 2, 4]);
  });

  test('duplicate rows are flagged, counted and merged by (exchange, symbol)', async () => {
    const text = 'SYMBOL,NAME OF COMPANY, SERIES, ISIN NUMBER, MARKET LOT\n' +
      'ABC,Abc Ltd,EQ,INE000A01010,\n' +
      'abc ,Abc Limited,EQ,,5\n' +
      'ABC,Abc Ltd,BE,INE000A01010,1\n';
    const items = [];
    const imported = importInstruments({ stream: Readable.from([text]), kind: 'csv' });
    for await (const item of imported) items.push(item);
    assert.deepEqual(items.map((i) => (i.kind === 'instrument' ? [i.instrument.id, i.duplicate] : i.kind)), [
      ['NSE:ABC', false],
      ['NSE:ABC', true],
      ['NSE:ABC-BE', false],
    ]);
    assert.equal(imported.stats.duplicates, 1);
    const { instruments } = await csv(text);
    const abc = instruments.find((i) => i.id === 'NSE:ABC');
    assert.deepEqual([abc?.name, abc?.isin, abc?.lotSize], ['Abc Limited', 'INE000A01010', 5]);
  });

  test('fund units listed as equities (an ISIN starting INF) are ETFs, whichever version of a row comes last', async () => {
    const head = 'SYMBOL,NAME OF COMPANY, SERIES, ISIN NUMBER, MARKET LOT\n';
    const { instruments } = await csv(head +
      'SBIETFPB,SBI-ETF PSU BANK,EQ,INF200KA1T35,1\n' +
      'SBIETFPB,SBI-ETF PSU BANK,EQ,,1\n' + // a source without the ISIN merges in: still a fund
      'MAFANG,Mirae Asset NYSE FANG+ ETF FoF,EQ,,1\n' +
      'MAFANG,Mirae Asset NYSE FANG+ ETF FoF,EQ,INF769K01HP8,1\n' +
      'RELIANCE,Reliance Industries Limited,EQ,INE002A01018,1\n' +
      'BHARTIPP,Bharti Airtel partly paid,EQ,IN9397D01014,1\n');
    const typeOf = (id: string) => instruments.find((i) => i.id === id)?.instrumentType;
    assert.deepEqual(['NSE:SBIETFPB', 'NSE:MAFANG', 'NSE:RELIANCE', 'NSE:BHARTIPP'].map(typeOf), ['ETF', 'ETF', 'EQ', 'EQ']);
  });

  test('an unreadable CSV record is one reject, not a failed file', async () => {
    const { instruments, rejects } = await csv('SYMBOL,NAME OF COMPANY, SERIES, ISIN NUMBER\nABC,"Abc "Ltd"" x,EQ,INE000A01010\nDEF,Def Ltd,EQ,INE000A01011\n');
    assert.ok(instruments.some((i) => i.id === 'NSE:DEF'));
    assert.ok(rejects.length <= 1);
  });
});

describe('Dhan scrip master and column mappings', () => {
  test('Dhan SEM_* columns: equities, index options (paise tick sizes), futures', async () => {
    const text = 'SEM_EXM_EXCH_ID,SEM_SEGMENT,SEM_SMST_SECURITY_ID,SEM_INSTRUMENT_NAME,SEM_EXPIRY_CODE,SEM_TRADING_SYMBOL,SEM_LOT_UNITS,SEM_CUSTOM_SYMBOL,SEM_EXPIRY_DATE,SEM_STRIKE_PRICE,SEM_OPTION_TYPE,SEM_TICK_SIZE,SEM_EXPIRY_FLAG,SEM_EXCH_INSTRUMENT_TYPE,SEM_SERIES,SM_SYMBOL_NAME\n' +
      'NSE,E,2885,EQUITY,0,RELIANCE,1.0,Reliance Industries,,,,10.0000,NA,ES,EQ,RELIANCE INDUSTRIES LTD\n' +
      'NSE,D,43210,OPTIDX,0,NIFTY-Apr2024-22000-CE,50.0,NIFTY 25 APR 22000 CALL,2024-04-25 14:30:00,22000.00000,CE,5.0000,M,OP,NA,NIFTY\n' +
      'NSE,D,52222,FUTIDX,0,NIFTY-Apr2024-FUT,50.0,NIFTY APR FUT,2024-04-25 14:30:00,-0.01000,XX,5.0000,M,FUTIDX,NA,NIFTY\n' +
      'NSE,I,13,INDEX,0,NIFTY,1.0,Nifty 50,,,,5.0000,NA,INDEX,NA,NIFTY\n' +
      'MCX,M,234230,FUTCOM,0,CRUDEOIL-Apr2024-FUT,100.0,CRUDEOIL APR FUT,2024-04-19 23:30:00,-0.01000,XX,100.0000,M,FUTCOM,NA,CRUDEOIL\n';
    const { instruments, rejects, stats } = await csv(text);
    assert.equal(stats.sheets[0]?.format, 'dhan');
    assert.deepEqual(rejects, []);
    const byId = new Map(instruments.map((i) => [i.id, i]));
    assert.deepEqual([byId.get('NSE:RELIANCE')?.token, byId.get('NSE:RELIANCE')?.tickSize, byId.get('NSE:RELIANCE')?.name], ['2885', 0.1, 'RELIANCE INDUSTRIES LTD']);
    const option = byId.get('NFO:NIFTY-APR2024-22000-CE');
    assert.deepEqual([option?.instrumentType, option?.underlying, option?.expiry, option?.strike, option?.lotSize, option?.tickSize], ['CE', 'NIFTY', '2024-04-25', 22000, 50, 0.05]);
    assert.deepEqual([byId.get('NFO:NIFTY-APR2024-FUT')?.instrumentType, byId.get('NFO:NIFTY-APR2024-FUT')?.strike], ['FUT', null]);
    assert.equal(byId.get('NSE:NIFTY')?.instrumentType, 'INDEX');
    assert.equal(byId.get('MCX:CRUDEOIL-APR2024-FUT')?.segment, 'COMMODITY');
  });

  test('a column mapping reads any layout; its headers are required', async () => {
    const mapping = parseColumnMapping({ symbol: 'Ticker', name: 'Company', isin: 'ISIN', sector: 'Sector', aliases: 'Also', defaults: { exchange: 'NSE' } });
    const text = 'Ticker,Company,ISIN,Sector,Also\nABC,Abc Ltd,INE000A01010,Metals,ABCD;A B C\n';
    const { instruments } = await csv(text, { mapping });
    assert.deepEqual(instruments.map((i) => [i.id, i.name, i.sector, i.aliases]), [['NSE:ABC', 'Abc Ltd', 'Metals', ['ABCD', 'A B C']]]);
    await assert.rejects(csv('Ticker,Company\nABC,Abc\n', { mapping }), (error: unknown) => reasonOf(error) === 'INSTRUMENT_COLUMN_MISSING');
  });

  test('an invalid mapping is refused with every problem listed', () => {
    assert.throws(() => parseColumnMapping({ name: 3, colour: 'Red' }), (error: unknown) => {
      assert.equal(reasonOf(error), 'INSTRUMENT_MAPPING_INVALID');
      for (const problem of [/unknown field "colour"/, /name must name a column/, /symbol must name a column/, /exchange needs a column/]) {
        assert.match((error as Error).message, problem);
      }
      return true;
    });
  });
});

describe('workbooks', () => {
  async function writeWorkbook(name: string, sheets: Record<string, unknown[][]>): Promise<string> {
    const workbook = new ExcelJS.Workbook();
    for (const [sheetName, rows] of Object.entries(sheets)) workbook.addWorksheet(sheetName).addRows(rows);
    const file = path.join(dir, name);
    await workbook.xlsx.writeFile(file);
    return file;
  }

  test('bad date cells reject their row; a sheet without a required column fails naming it', async () => {
    const fo = [['Trading Symbol', 'Underlying', 'Instrument', 'Expiry', 'Strike', 'Option Type', 'Lot Size', 'Tick Size'],
      ['NIFTY24APRFUT', 'NIFTY', 'FUTIDX', new Date(Date.UTC(2024, 3, 25)), null, null, 50, 0.05],
      ['NIFTY24APR22000CE', 'NIFTY', 'OPTIDX', 'someday', 22000, 'CE', 50, 0.05]];
    const good = await collectInstruments(importInstruments({ path: await writeWorkbook('fo.xlsx', { 'NSE F&O': fo }) }));
    assert.deepEqual(good.instruments.map((i) => [i.id, i.expiry]), [['NFO:NIFTY24APRFUT', '2024-04-25']]);
    assert.deepEqual(good.rejects.map((r) => [r.sheet, r.row, r.field, r.reason]), [['NSE F&O', 3, 'expiry', 'not a date: "someday"']]);

    const missing = [['Trading Symbol', 'Underlying', 'Instrument', 'Strike', 'Option Type'], ['NIFTY24APRFUT', 'NIFTY', 'FUTIDX', null, null]];
    const file = await writeWorkbook('missing.xlsx', { 'NSE F&O': missing });
    await assert.rejects(collectInstruments(importInstruments({ path: file })), (error: unknown) => {
      assert.equal(reasonOf(error), 'INSTRUMENT_COLUMN_MISSING');
      assert.match((error as Error).message, /sheet "NSE F&O" of missing\.xlsx .* lacks required column\(s\) "expiry"/);
      return true;
    });
  });

  test('an unrecognised sheet fails the import unless told to skip it', async () => {
    const file = await writeWorkbook('notes.xlsx', {
      Notes: [['Read me'], ['Prices are indicative', 'see desk']],
      'BSE Cash': [['Scrip Code', 'Scrip Id', 'Company Name', 'Group', 'ISIN'], [500325, 'RELIANCE', 'Reliance Industries Ltd', 'A ', 'INE002A01018']],
    });
    await assert.rejects(collectInstruments(importInstruments({ path: file })), /sheet "Notes"/);
    const { instruments, stats } = await collectInstruments(importInstruments({ path: file }, { unknownSheets: 'skip' }));
    assert.deepEqual(instruments.map((i) => [i.id, i.token, i.series]), [['BSE:RELIANCE', '500325', 'A']]);
    assert.equal(stats.skippedSheets[0]?.sheet, 'Notes');
  });
});

test('a long stream is read row by row: memory stays flat while 100k rows pass', async () => {
  // Expose gc so the check measures what is retained, not garbage awaiting collection.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const rows = 100_000;
  function* lines() {
    yield 'SYMBOL,NAME OF COMPANY, SERIES, ISIN NUMBER\n';
    // Ids repeat every 1000 rows, so the set of seen ids stays small and any growth would be the reader's.
    for (let i = 0; i < rows; i += 1000) {
      let chunk = '';
      for (let j = i; j < i + 1000; j++) chunk += `S${j % 1000},Company ${j} Limited,EQ,INE000A01010\n`;
      yield chunk;
    }
  }
  const imported = importInstruments({ stream: Readable.from(lines()), kind: 'csv' });
  gc();
  const start = process.memoryUsage().heapUsed;
  let seen = 0;
  let growth = 0;
  for await (const item of imported) {
    if (item.kind !== 'instrument') continue;
    seen++;
    if (seen % 25_000 === 0) {
      gc();
      growth = Math.max(growth, process.memoryUsage().heapUsed - start);
    }
  }
  assert.equal(seen, rows);
  assert.equal(imported.stats.duplicates, rows - 1000);
  assert.ok(growth < 16 * 1024 * 1024, `retained heap grew by ${Math.round(growth / 1e6)} MB`);
});

test('distinct ids cost at most a few dozen bytes each: 150k new instruments retain under 8 MB', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const rows = 150_000;
  function* lines() {
    yield 'SYMBOL,NAME OF COMPANY, SERIES, ISIN NUMBER\n';
    for (let i = 0; i < rows; i += 1000) {
      let chunk = '';
      for (let j = i; j < i + 1000; j++) chunk += `SYM${j},Company ${j} Limited,EQ,INE000A01010\n`;
      yield chunk;
    }
  }
  const imported = importInstruments({ stream: Readable.from(lines()), kind: 'csv' });
  // Typed arrays keep their bytes outside the JavaScript heap: count both.
  const held = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  gc();
  const start = held();
  let seen = 0;
  for await (const item of imported) if (item.kind === 'instrument') seen++;
  gc();
  const retained = held() - start;
  assert.equal(seen, rows);
  assert.equal(imported.stats.duplicates, 0);
  // A Set of the id strings held ~117 bytes per id (17 MB here); fingerprints hold 16 to 32.
  assert.ok(retained < 8 * 1024 * 1024, `retained heap grew by ${Math.round(retained / 1e6)} MB`);
});
