// Hostile and awkward KYC files: a decompression bomb (refused before any parsing, memory bounded),
// a workbook with formulas, merged cells and several sheets, a 10 MB line in CSV and JSONL, a
// Latin-1 (Windows-1252) CSV, SQL and script text, and rows with too few or too many columns. Each ends in a clear job error or per-row rejects, good rows around
// bad ones are kept, and the platform stays up.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDeflateRaw, crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { clientCode, clientInput, writeJsonl } from '../helpers/clients.ts';
import { buildClientColumns, createFlattener } from '../../src/kyc/flat-layout.ts';
import { escapeCsvCell } from '../../src/kyc/demo/write-records.ts';

const columns = buildClientColumns();
const headers = columns.map((c) => c.header);
const flatten = createFlattener(columns);

type ZipEntry = { name: string; data: Buffer; deflated?: Buffer; declaredSize?: number };

/** A zip written by hand, so an entry can be a bomb or lie about its size. */
function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const body = entry.deflated ?? deflateRawSync(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Raw deflate of `head`, then `repeat` MiB of one letter, then `tail`: megabytes in, kilobytes out. */
async function deflateBomb(head: string, repeat: number, tail: string): Promise<{ deflated: Buffer; size: number }> {
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  const block = Buffer.alloc(1 << 20, 'A');
  deflate.write(head);
  for (let i = 0; i < repeat; i++) if (!deflate.write(block)) await new Promise((resolve) => deflate.once('drain', resolve));
  deflate.end(tail);
  await done;
  return { deflated: Buffer.concat(chunks), size: Buffer.byteLength(head) + repeat * (1 << 20) + Buffer.byteLength(tail) };
}

const xlsxParts = (sheet: ZipEntry): ZipEntry[] => [
  { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>') },
  { name: '_rels/.rels', data: Buffer.from('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>') },
  { name: 'xl/workbook.xml', data: Buffer.from('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="clients" sheetId="1" r:id="rId1"/></sheets></workbook>') },
  { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>') },
  sheet,
];

describe('awkward and hostile KYC files', () => {
  let t: TestPlatform;
  let dir: string;
  const file = (name: string) => path.join(dir, name);

  async function ingest(name: string) {
    const id = await t.platform.ingest.create({ source: name, filePath: file(name), createdBy: 'test' });
    const job = await t.platform.ingest.run(id);
    const detail = (await t.platform.ingest.get(id))!;
    let rejects = '';
    for await (const chunk of t.platform.ingest.rejectsCsv(id)) rejects += chunk;
    return { ...job, rejectsByRule: detail.rejectsByRule, rejects: rejects.trim().split('\n').slice(1) };
  }

  before(async () => {
    t = await startTestPlatform();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-bad-files-'));
  });
  after(async () => {
    await t.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('a decompression bomb XLSX is refused before parsing, with bounded memory, whether or not its sizes are honest', async () => {
    const head = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>';
    const bomb = await deflateBomb(head, 512, '</t></is></c></row></sheetData></worksheet>');
    assert.ok(bomb.deflated.length < 1 << 20 && bomb.size > 500 * (1 << 20), `${bomb.deflated.length} bytes expand to ${bomb.size}`);
    const peakBefore = process.resourceUsage().maxRSS;
    for (const [name, declaredSize] of [['bomb.xlsx', undefined], ['liar.xlsx', 4096]] as const) {
      await writeFile(file(name), zip(xlsxParts({ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(0), deflated: bomb.deflated, declaredSize: declaredSize ?? bomb.size })));
      const started = performance.now();
      const job = await ingest(name);
      assert.equal(job.status, 'failed', name);
      assert.match(String(job.error), /decompression bomb/, name);
      assert.equal(job.read, 0);
      assert.ok(performance.now() - started < 10_000, `${name} took ${performance.now() - started} ms`);
    }
    const grownMb = (process.resourceUsage().maxRSS - peakBefore) / 1024;
    assert.ok(grownMb < 200, `peak RSS grew by ${grownMb} MB`);
    assert.equal((await t.platform.http.inject({ url: '/api/ready' })).statusCode, 200);
  });

  test('XLSX with a notes sheet, a title row, formulas, merged cells and two client sheets: every good row is kept', async () => {
    const workbook = new ExcelJS.Workbook();
    const notes = workbook.addWorksheet('Read me');
    notes.addRow(['How to fill this workbook']);
    notes.addRow(['One client per row; dates as YYYY-MM-DD.']);
    const first = workbook.addWorksheet('Clients A');
    first.addRow(['KYC upload, branch Pune']); // a title above the header
    first.mergeCells('A1:F1');
    first.addRow(headers);
    for (let i = 0; i < 4; i++) first.addRow(flatten(clientInput(500 + i)));
    const pan = headers.indexOf('pan') + 1;
    const code = headers.indexOf('client_code') + 1;
    assert.ok(pan > 0 && code > 0);
    // A formula with its cached result is read as the result; one never calculated has no value.
    first.getCell(3, pan).value = { formula: `UPPER("${String(clientInput(500)['pan']).toLowerCase()}")`, result: String(clientInput(500)['pan']) };
    first.getCell(4, code).value = { formula: `"${clientCode(501)}"`, result: undefined } as unknown as ExcelJS.CellValue;
    // Merged cells keep their value in the first cell only: the row below loses its PAN.
    first.mergeCells(5, pan, 6, pan);
    const second = workbook.addWorksheet('Clients B');
    second.addRow(headers);
    for (let i = 0; i < 3; i++) second.addRow(flatten(clientInput(510 + i)));
    workbook.addWorksheet('Empty');
    await workbook.xlsx.writeFile(file('workbook.xlsx'));

    const job = await ingest('workbook.xlsx');
    assert.equal(job.status, 'completed', String(job.error));
    assert.deepEqual([job.accepted, job.rejected], [5, 3], JSON.stringify(job.rejects));
    assert.deepEqual(job.rejects.map((r) => r.split(',').slice(0, 4).join(',')).sort(), [
      'Clients A,4,clientCode,field.required',
      'Clients A,6,pan,field.required',
      'Read me,1,sheet,sheet.skipped',
    ]);
  });

  test('a 10 MB line is one rejected row in CSV and in JSONL; the rows around it are kept', async () => {
    const huge = 'x'.repeat(10 << 20);
    const csvRows = [headers, flatten(clientInput(600)), flatten({ ...clientInput(601), name: { first: huge } }), flatten(clientInput(602))];
    await writeFile(file('long.csv'), csvRows.map((cells) => cells.map(escapeCsvCell).join(',')).join('\n'));
    await writeJsonl(file('long.jsonl'), [clientInput(610), { ...clientInput(611), name: { first: huge } }, clientInput(612)]);
    await writeFile(file('one-line.jsonl'), `{"clientCode": "${huge}`); // no newline at all
    for (const name of ['long.csv', 'long.jsonl']) {
      const job = await ingest(name);
      assert.equal(job.status, 'completed', `${name}: ${job.error}`);
      assert.deepEqual([job.read, job.accepted, job.rejected], [3, 2, 1], name);
      assert.deepEqual(Object.keys(job.rejectsByRule), ['row.unreadable'], name);
      assert.match(job.rejects[0]!, /longer than/, name);
    }
    const job = await ingest('one-line.jsonl');
    assert.deepEqual([job.status, job.read, job.rejected], ['completed', 1, 1]);
  });

  test('a Latin-1 (Windows-1252) CSV is detected and decoded; the job says so', async () => {
    const rows = [headers, flatten(clientInput(700, { addresses: { correspondence: { lines: ['12 Rue Dumas'], city: 'Pondichéry', stateCode: 'MH', pincode: '411001', country: 'IN' } } })), flatten(clientInput(701))];
    const text = rows.map((cells) => cells.map(escapeCsvCell).join(',')).join('\r\n');
    await writeFile(file('latin1.csv'), Buffer.from(text, 'latin1'));
    const job = await ingest('latin1.csv');
    assert.equal(job.status, 'completed', String(job.error));
    assert.deepEqual([job.accepted, job.rejected], [2, 0], JSON.stringify(job.rejects));
    assert.equal(job.format, 'csv (windows-1252)');
    const { rows: stored } = await t.database.db.query<{ city: string }>("SELECT masked->>'city' AS city FROM clients WHERE masked->>'clientCode' = $1", [clientCode(700)]);
    assert.deepEqual(stored, [{ city: 'Pondichéry' }]);
  });

  test('SQL and script text in names and addresses, and rows with too few or too many columns: clear rejects or stored as inert text', async () => {
    const sql = "x'); DROP TABLE clients;--";
    const script = '<script>alert(1)</script>';
    const withAddress = (i: number, line: string) =>
      clientInput(i, { addresses: { correspondence: { lines: [line], city: 'Pune', stateCode: 'MH', pincode: '411001', country: 'IN' } } });
    const rows = [
      flatten(clientInput(900)),
      flatten(clientInput(901, { name: { first: 'Asha', last: sql } })),
      flatten(clientInput(902, { name: { first: script, last: 'Verma' } })),
      flatten(withAddress(903, `Flat 1; ${sql}`)),
      flatten(withAddress(904, `Flat 2 ${script}`)),
      flatten(clientInput(905)).slice(0, 5), // too few columns
      [...flatten(clientInput(906)), 'extra', 'cells'], // too many
      flatten(clientInput(907)),
    ];
    await writeFile(file('hostile-text.csv'), [headers, ...rows].map((cells) => cells.map(escapeCsvCell).join(',')).join('\n'));
    const job = await ingest('hostile-text.csv');
    assert.equal(job.status, 'completed', String(job.error));
    assert.equal(job.read, 8);
    assert.ok(job.rejectsByRule['name.characters']! >= 2, JSON.stringify(job.rejectsByRule));
    const rejected = new Set(job.rejects.map((line) => line.split(',')[1]));
    assert.ok(rejected.has('3') && rejected.has('4'), 'the rows with SQL and script in names are rejected');
    assert.ok(rejected.has('7'), 'the row with too few columns is rejected');
    assert.ok(!job.rejects.some((line) => line.includes('DROP') || line.includes('<script')), 'rejects never repeat the value');
    // Good rows around them are kept; what an address may hold is stored encrypted, never run.
    const { rows: stored } = await t.database.db.query<{ code: string }>(
      "SELECT masked->>'clientCode' AS code FROM clients WHERE masked->>'clientCode' = ANY($1) ORDER BY 1",
      [[900, 903, 904, 906, 907].map(clientCode)],
    );
    const kept = stored.map((r) => r.code);
    for (const i of [900, 906, 907]) assert.ok(kept.includes(clientCode(i)), `row of client ${i} kept`);
    assert.equal(job.accepted + job.rejected, 8);
    const { rows: tables } = await t.database.db.query("SELECT to_regclass('clients') IS NOT NULL AS present");
    assert.deepEqual(tables, [{ present: true }]);
  });

  test('UTF-8 with a few stray non-UTF-8 bytes: those rows are rejected, the others kept as UTF-8', async () => {
    const good = flatten(clientInput(800, { addresses: { correspondence: { lines: ['1 MG Road'], city: 'Bengaluru—Ré', stateCode: 'MH', pincode: '411001', country: 'IN' } } }));
    const body = Buffer.concat([
      Buffer.from(`${headers.map(escapeCsvCell).join(',')}\n${good.map(escapeCsvCell).join(',')}\n`, 'utf8'),
      Buffer.from(`${flatten(clientInput(801, { addresses: { correspondence: { lines: ['1 MG Road'], city: 'Pondichéry', stateCode: 'MH', pincode: '411001', country: 'IN' } } })).map(escapeCsvCell).join(',')}\n`, 'latin1'),
    ]);
    await writeFile(file('mixed.csv'), body);
    const job = await ingest('mixed.csv');
    assert.equal(job.status, 'completed', String(job.error));
    assert.deepEqual([job.accepted, job.rejected], [1, 1]);
    assert.match(job.rejects[0]!, /UTF-8/);
    assert.equal(job.format, 'csv');
  });
});
