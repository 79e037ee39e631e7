// Ingestion over a real platform: counts, storage without plaintext, versions, events in the
// outbox, rejects, the upload API, client lookups, and files that cannot be read.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { login } from '../helpers/session.ts';
import { clientCode, clientInput, mobileFor, panFor, writeJsonl } from '../helpers/clients.ts';

describe('KYC ingestion', () => {
  let t: TestPlatform;
  let dir: string;
  let auth: { authorization: string };

  async function ingestFile(name: string, records: unknown[]) {
    const file = path.join(dir, name);
    await writeJsonl(file, records);
    const id = await t.platform.ingest.create({ source: name, filePath: file, createdBy: 'test' });
    return t.platform.ingest.run(id);
  }
  async function events(type?: string) {
    const { rows } = await t.database.db.query<{ type: string; key: string; payload: Record<string, unknown> }>(
      `SELECT type, key, payload FROM outbox ${type ? 'WHERE type = $1' : ''} ORDER BY id`,
      type ? [type] : [],
    );
    return rows;
  }

  before(async () => {
    t = await startTestPlatform();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-ingest-'));
    auth = { authorization: `Bearer ${(await login(t.platform.http, t.admin.email, t.admin.password)).accessToken}` };
  });
  after(async () => {
    await t.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('a first file creates clients and their kyc events; bad rows are explained', async () => {
    const records: unknown[] = Array.from({ length: 50 }, (_, i) => clientInput(i));
    records.push(clientInput(60, { pan: 'NOTAPAN', mobile: { number: '12345', relation: 'SELF' } }));
    records.push('this is not json');
    records.push(clientInput(5)); // a duplicate submission inside the file
    records.push(clientInput(70, { kraStatus: '003' })); // on hold
    const job = await ingestFile('day1.jsonl', records);
    assert.equal(job.status, 'completed');
    assert.deepEqual([job.read, job.accepted, job.updated, job.unchanged, job.rejected, job.duplicate], [54, 51, 0, 0, 2, 1]);
    const approved = await events('kyc.approved');
    assert.equal(approved.length, 50);
    assert.deepEqual(approved[0]!.payload['segments'], ['CM']);
    const held = await events('kyc.on_hold');
    assert.equal(held.length, 1);
    assert.equal(held[0]!.payload['clientCode'], clientCode(70));
    assert.equal(job.events, 51);
    const detail = await t.platform.ingest.get(job.id);
    assert.ok((detail!.rejectsByRule['row.unreadable'] ?? 0) === 1);
    assert.ok(Object.keys(detail!.rejectsByRule).some((r) => r.startsWith('pan.')));
    assert.ok(Object.keys(detail!.rejectsByRule).some((r) => r.startsWith('mobile.')));
  });

  test('no personal value is stored in clear; the raw rows carry ciphertext, blind indexes and masks', async () => {
    const { rows } = await t.database.db.query('SELECT * FROM clients');
    const dump = JSON.stringify(rows, (_k, v: unknown) => (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? Buffer.from((v as { data: number[] }).data).toString('latin1') : v));
    for (const secret of [panFor(7), mobileFor(7).slice(-10), 'client7@example.in', 'Verma', '100000000007', '1988-04-12']) {
      assert.ok(!dump.includes(secret), `${secret} found in the clients table`);
    }
    const outbox = JSON.stringify(await events());
    assert.ok(!outbox.includes(panFor(7)) && !outbox.includes('Verma'), 'events carry no personal data');
  });

  test('the same file again changes nothing and emits nothing', async () => {
    const before = (await events()).length;
    const job = await ingestFile('day1-again.jsonl', Array.from({ length: 50 }, (_, i) => clientInput(i)));
    assert.deepEqual([job.accepted, job.updated, job.unchanged], [0, 0, 50]);
    assert.equal((await events()).length, before);
  });

  test('newer versions update and emit the events of what changed; older versions never overwrite', async () => {
    const v2 = (i: number, o: Record<string, unknown>) => clientInput(i, { source: { system: 'KRA', version: 2, asOf: '2026-11-21T10:00:00Z' }, ...o });
    const job = await ingestFile('day2.jsonl', [
      v2(1, { kraStatus: '003' }),
      v2(2, { mobile: { number: '9811111111', relation: 'SELF' } }),
      v2(3, { segments: [{ segment: 'CM', status: 'ACTIVE', activatedOn: '2024-01-02' }, { segment: 'FO', status: 'ACTIVE', activatedOn: '2026-11-21' }] }),
      v2(4, { nominationOptOut: false, nominees: [{ name: 'Ravi Verma', relation: 'SPOUSE', sharePct: 100, identifier: { type: 'PAN', value: 'ABCPV9999K' } }] }),
      clientInput(6, { kraStatus: '004', source: { system: 'KRA', version: 1, asOf: '2026-11-19T10:00:00Z' } }), // not newer: ignored
    ]);
    assert.deepEqual([job.updated, job.unchanged, job.accepted], [4, 1, 0]);
    const changed = (await events()).filter((e) => [clientCode(1), clientCode(2), clientCode(3), clientCode(4), clientCode(6)].includes(String(e.payload['clientCode'])) && e.type !== 'kyc.approved');
    const byType = changed.map((e) => `${e.payload['clientCode']}:${e.type}${e.payload['field'] ? `:${e.payload['field']}` : ''}`).sort();
    assert.deepEqual(byType, [
      `${clientCode(1)}:kyc.kra_status_changed`,
      `${clientCode(1)}:kyc.on_hold`,
      `${clientCode(2)}:account.contact_changed:mobile`,
      `${clientCode(3)}:segment.activated`,
      `${clientCode(4)}:nomination.updated`,
    ]);
    const mobileChange = changed.find((e) => e.type === 'account.contact_changed')!;
    assert.equal(mobileChange.payload['maskedNewValue'], '+91XXXXXX1111');
  });

  test('repeated submissions inside one file: the highest source version is kept, the first of equal ones, in any order', async () => {
    const at = (version: number) => ({ source: { system: 'KRA', version, asOf: `2026-11-2${version}T10:00:00Z` } });
    const job = await ingestFile('repeats.jsonl', [
      clientInput(300, { ...at(2), kraStatus: '003' }),
      clientInput(300, at(1)), // older than the one before it
      clientInput(301, at(1)),
      clientInput(301, { ...at(3), kraStatus: '003' }), // newer than the one before it
      clientInput(302, at(1)),
      clientInput(302, { ...at(1), mobile: { number: '9822222222', relation: 'SELF' } }), // same version: the first stays
    ]);
    assert.deepEqual([job.read, job.accepted, job.updated, job.duplicate], [6, 3, 0, 3]);
    const { rows } = await t.database.db.query<{ kra_status: string; source_version: string; mobile: string }>(
      `SELECT kra_status, source_version, masked->>'mobile' AS mobile FROM clients WHERE id = ANY($1::uuid[]) ORDER BY source_version`,
      [await Promise.all([300, 301, 302].map(async (i) => (await t.platform.http.inject({ url: `/api/clients/${clientCode(i)}`, headers: auth })).json().id as string))],
    );
    assert.deepEqual(rows.map((r) => [r.kra_status, Number(r.source_version)]), [['007', 1], ['003', 2], ['003', 3]]);
    assert.ok(!rows[0]!.mobile.endsWith('2222'), 'the first of two equal versions is kept');
    const kinds = (await events()).filter((e) => [clientCode(300), clientCode(301), clientCode(302)].includes(String(e.payload['clientCode']))).map((e) => `${e.payload['clientCode']}:${e.type}`).sort();
    assert.deepEqual(kinds, [`${clientCode(300)}:kyc.on_hold`, `${clientCode(301)}:kyc.on_hold`, `${clientCode(302)}:kyc.approved`]);
  });

  test('the upload API runs a job; clients are found by blind index and shown masked with history', async () => {
    const boundary = '----pravah';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="up.jsonl"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(clientInput(200))}\n${JSON.stringify(clientInput(201))}\n\r\n--${boundary}--\r\n`;
    const res = await t.platform.http.inject({ method: 'POST', url: '/api/ingest', headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
    assert.equal(res.statusCode, 202, res.body);
    await t.platform.ingest.idle();
    const job = (await t.platform.http.inject({ url: `/api/ingest/${res.json().id}`, headers: auth })).json();
    assert.equal(job.status, 'completed');
    assert.equal(job.accepted, 2);

    const byPan = (await t.platform.http.inject({ url: `/api/clients?pan=${panFor(201).toLowerCase()}`, headers: auth })).json();
    assert.equal(byPan.items.length, 1);
    assert.equal(byPan.items[0].masked.clientCode, clientCode(201));
    assert.match(byPan.items[0].masked.pan, /^XXXXXX/);
    const byMobile = (await t.platform.http.inject({ url: `/api/clients?mobile=%2B91${mobileFor(200)}`, headers: auth })).json();
    assert.equal(byMobile.items[0].masked.clientCode, clientCode(200));
    const byEmail = (await t.platform.http.inject({ url: '/api/clients?email=CLIENT200@example.in', headers: auth })).json();
    assert.equal(byEmail.items.length, 1);
    const bad = await t.platform.http.inject({ url: '/api/clients?pan=123', headers: auth });
    assert.equal(bad.statusCode, 400);
    assert.ok(!bad.body.includes('123'), 'the rejected value is not echoed');
    const two = await t.platform.http.inject({ url: `/api/clients?pan=${panFor(1)}&mobile=${mobileFor(1)}`, headers: auth });
    assert.equal(two.statusCode, 400);

    const detail = await t.platform.http.inject({ url: `/api/clients/${clientCode(1)}`, headers: auth });
    assert.equal(detail.statusCode, 200);
    const d = detail.json();
    assert.deepEqual(d.statusHistory.map((h: { kraStatus: string }) => h.kraStatus), ['007', '003']);
    assert.equal(d.masked.name, 'A*** V***');
    assert.ok(!detail.body.includes(panFor(1)) && !detail.body.includes(mobileFor(1)));
    assert.equal((await t.platform.http.inject({ url: '/api/clients/NOPE99', headers: auth })).statusCode, 404);
  });

  test('rejects download as CSV naming row, field and rule, never the value', async () => {
    const job = await ingestFile('bad.jsonl', [clientInput(300, { pan: 'ZZZZZ0000Z1', email: { address: 'not-an-email', relation: 'SELF' } }), clientInput(301)]);
    assert.equal(job.rejected, 1);
    const csv = await t.platform.http.inject({ url: `/api/ingest/${job.id}/rejects.csv`, headers: auth });
    assert.equal(csv.statusCode, 200);
    const lines = csv.body.trim().split('\n');
    assert.equal(lines[0], 'sheet,row,field,rule,message');
    assert.ok(lines.slice(1).every((l) => l.startsWith(',1,')), csv.body);
    assert.ok(lines.some((l) => l.includes(',pan,')) && lines.some((l) => l.includes('email')));
    assert.ok(!csv.body.includes('ZZZZZ0000Z1') && !csv.body.includes('not-an-email'));
  });

  test('files that cannot be read fail the job with one clear reason; the platform stays up', async () => {
    const cases: Array<[string, string | Buffer, RegExp]> = [
      ['empty.csv', '', /empty/],
      ['scan.csv', '%PDF-1.7\n%âãÏÓ\n1 0 obj\n', /PDF/],
      ['blob.csv', Buffer.from([0x00, 0x01, 0x02, 0x41]), /binary/],
      ['other.csv', 'colour,size,shape\nred,1,square\n', /no known KYC columns/],
      ['array.jsonl', '[{"a":1}]', /JSON Lines/],
    ];
    for (const [name, content, reason] of cases) {
      const file = path.join(dir, name);
      await writeFile(file, content);
      const id = await t.platform.ingest.create({ source: name, filePath: file, createdBy: 'test' });
      const job = await t.platform.ingest.run(id);
      assert.equal(job.status, 'failed', name);
      assert.match(String(job.error), reason, name);
    }
    assert.equal((await t.platform.http.inject({ url: '/api/ready' })).statusCode, 200);
  });

  test('CSV with a BOM, CRLF, quotes and a ragged row is read row by row', async () => {
    const header = 'clientCode,pan,firstName,lastName';
    const file = path.join(dir, 'ragged.csv');
    await writeFile(file, `\uFEFF${header}\r\nA1,"ABCPV1234F","Asha",Verma\r\n"unbalanced,quote\r\n`);
    const id = await t.platform.ingest.create({ source: 'ragged.csv', filePath: file, createdBy: 'test' });
    const job = await t.platform.ingest.run(id);
    assert.equal(job.status, 'completed');
    assert.ok(job.read >= 1 && job.rejected === job.read, 'incomplete rows are rejected, not fatal');
  });
});
