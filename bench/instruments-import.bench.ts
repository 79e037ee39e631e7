// Instrument import: `npm run bench -- instruments-import [--rows N] [--keep FILE]`.
// Imports every shared file (CSV and the desk workbook) and a generated Kite-style F&O file of N rows
// (default 300,000), and in the same run reads the same bytes with the bare parser (csv-parse, or
// exceljs's streaming reader) without recognising or normalising anything: the baseline. Reports rows/s,
// the ratio to the baseline, the heap the import retains while the large file streams, and the process's
// peak RSS before and after the large file (`--rows 1000000` for the million rows). `--keep FILE`
// also writes the large file there and leaves it, for importing it into a database with the CLI.

import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { importInstruments } from '../src/instruments/import/import-instruments.ts';
import { option } from './support.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(repoRoot, '../shared/data/instruments');
const FILES = ['kite_instruments_nse_2026-01.csv', 'kite_instruments_nfo_subset_2024-04.csv', 'bse_Equity_2024-01.csv', 'nse_EQUITY_L_2025-12.csv', 'nse_ind_nifty500list_2025-09.csv', 'upstox_nse_eq_2026-04.csv', 'stock-master.xlsx'];

function log(message: string): void {
  console.error(`[instruments-import] ${message}`);
}

async function rawRows(file: string): Promise<number> {
  let rows = 0;
  if (file.endsWith('.xlsx')) {
    const workbook = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore' });
    for await (const sheet of workbook) for await (const _row of sheet) rows++;
    return rows;
  }
  const parser = createReadStream(file, { highWaterMark: 1 << 16 }).pipe(parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true }));
  for await (const _record of parser) rows++;
  return rows;
}

async function ourRows(file: string, onRow?: (n: number) => void): Promise<{ instruments: number; rejects: number }> {
  let instruments = 0;
  let rejects = 0;
  for await (const item of importInstruments({ path: file })) {
    if (item.kind === 'instrument') instruments++;
    else rejects++;
    onRow?.(instruments + rejects);
  }
  return { instruments, rejects };
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** A Kite NFO-style dump of `rows` option rows over 200 underlyings, with dd-mm-yyyy expiries. */
async function writeLargeFile(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  await write('instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const underlying = `STOCK${i % 200}`;
    const month = (i >> 8) % 12;
    const strike = 100 + ((i >> 1) % 128) * 5 + Math.floor(i / 65536) * 1000;
    const type = i % 2 === 0 ? 'CE' : 'PE';
    const day = String(20 + (month % 8)).padStart(2, '0');
    chunk += `${100000 + i},${i},${underlying}25${MONTHS[month]}${strike}${type},${underlying},0,${day}-${String(month + 1).padStart(2, '0')}-2025,${strike},0.05,500,${type},NFO-OPT,NFO\n`;
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  if (!existsSync(dataDir)) throw new Error(`instrument data not found at ${dataDir}`);
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const largeRows = Math.max(10_000, option(args, '--rows', 300_000));

  const files: Record<string, unknown> = {};
  let ourTotalMs = 0;
  let rawTotalMs = 0;
  let totalRows = 0;
  for (const name of FILES) {
    const file = path.join(dataDir, name);
    await ourRows(file); // warm the code paths and the page cache
    const [raw, rawMs] = await timed(() => rawRows(file));
    const [ours, ourMs] = await timed(() => ourRows(file));
    ourTotalMs += ourMs;
    rawTotalMs += rawMs;
    totalRows += ours.instruments + ours.rejects;
    files[name] = { rows: ours.instruments + ours.rejects, rejects: ours.rejects, rawRows: raw, ms: Number(ourMs.toFixed(1)), rawMs: Number(rawMs.toFixed(1)), ratio: Number((ourMs / rawMs).toFixed(2)) };
    log(`${name}: ${ours.instruments} instruments, ${ours.rejects} rejects in ${ourMs.toFixed(0)} ms (bare parser ${rawMs.toFixed(0)} ms)`);
  }

  const dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-import-bench-'));
  try {
    const large = path.join(dir, 'large-nfo.csv');
    log(`writing ${largeRows} rows to ${large}`);
    await writeLargeFile(large, largeRows);
    const keepAt = args.indexOf('--keep');
    const keep = keepAt >= 0 ? args[keepAt + 1] : undefined;
    if (keep) {
      await copyFile(large, keep);
      log(`kept a copy at ${keep}`);
    }
    const bytes = (await stat(large)).size;
    // maxRSS is the process's high-water mark (kB): whatever the shared files and the writer needed.
    const peakRssBeforeMB = process.resourceUsage().maxRSS / 1e3;
    const [, rawMs] = await timed(() => rawRows(large));
    const [ours, ourMs] = await timed(() => ourRows(large));
    const peakRssAfterMB = process.resourceUsage().maxRSS / 1e3;
    // A second, untimed pass collects garbage at checkpoints, so the figure is what the import retains
    // (the set of ids seen, for duplicate counting), not garbage awaiting collection.
    // Heap and typed-array bytes (which live outside the heap) both count; array buffers freed by a
    // collection are released a moment later, so the baseline waits for them.
    gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
    gc();
    const baseHeap = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    let retained = 0;
    let peakRss = 0;
    await ourRows(large, (n) => {
      if (n % 50_000 !== 0) return;
      gc();
      const usage = process.memoryUsage();
      retained = Math.max(retained, usage.heapUsed + usage.arrayBuffers - baseHeap);
      peakRss = Math.max(peakRss, usage.rss);
    });
    log(`large file: ${ours.instruments} instruments in ${ourMs.toFixed(0)} ms (${Math.round(ours.instruments / (ourMs / 1000))} rows/s), bare parser ${rawMs.toFixed(0)} ms, retained heap +${(retained / 1e6).toFixed(1)} MB, process peak RSS ${peakRssBeforeMB.toFixed(0)} -> ${peakRssAfterMB.toFixed(0)} MB`);
    return {
      files,
      sharedFiles: { rows: totalRows, ms: Number(ourTotalMs.toFixed(1)), rawMs: Number(rawTotalMs.toFixed(1)), ratio: Number((ourTotalMs / rawTotalMs).toFixed(2)), rowsPerSecond: Math.round(totalRows / (ourTotalMs / 1000)) },
      large: {
        rows: largeRows,
        megabytes: Number((bytes / 1e6).toFixed(1)),
        instruments: ours.instruments,
        rejects: ours.rejects,
        ms: Number(ourMs.toFixed(0)),
        rawMs: Number(rawMs.toFixed(0)),
        ratio: Number((ourMs / rawMs).toFixed(2)),
        rowsPerSecond: Math.round(largeRows / (ourMs / 1000)),
        rawRowsPerSecond: Math.round(largeRows / (rawMs / 1000)),
        retainedHeapMB: Number((retained / 1e6).toFixed(1)),
        retainedBytesPerRow: Math.round(retained / largeRows),
        peakRssMB: Number((peakRss / 1e6).toFixed(1)),
        processPeakRssMB: { beforeLargeFile: Number(peakRssBeforeMB.toFixed(1)), afterLargeFile: Number(peakRssAfterMB.toFixed(1)) },
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
