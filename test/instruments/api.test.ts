// The instrument API over a real platform: upload and import, search with its filters and paging,
// detail with the cached quote, chart, the live quote stream, and changes made by another process
// reaching the index.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { login } from '../helpers/session.ts';
import { createInstrumentStore } from '../../src/instruments/instrument-store.ts';
import { createImportRunner } from '../../src/instruments/import-job.ts';
import { createManualClock, SECOND } from '../../src/platform/time.ts';
import { createSimulatedQuoteSource, type Quote } from '../../src/instruments/quotes.ts';
import type { Instrument } from '../../src/instruments/instrument.ts';
import type { SearchHit } from '../../src/instruments/instrument-index.ts';
import Fastify from 'fastify';
import { SearchResponseSchema } from '../../src/instruments/schemas.ts';

const equityList = [
  'SYMBOL,NAME OF COMPANY, SERIES, DATE OF LISTING, PAID UP VALUE, MARKET LOT, ISIN NUMBER, FACE VALUE',
  'RELIANCE,Reliance Industries Limited,EQ,29-NOV-1995,10,1,INE002A01018,10',
  'TCS,Tata Consultancy Services Limited,EQ,25-AUG-2004,1,1,INE467B01029,1',
  'INFY,Infosys Limited,EQ,08-FEB-1995,5,1,INE009A01021,5',
  ',=HYPERLINK("http://evil"),EQ,08-FEB-1995,5,1,INE000000000,5',
  'TCS,Tata Consultancy Services Limited,EQ,25-AUG-2004,1,1,INE467B01029,1',
].join('\r\n');

function multipart(fields: Record<string, string>, file: { name: string; content: string }) {
  const boundary = '----pravahtest';
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n`);
  return { payload: `${parts.join('')}--${boundary}--\r\n`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('instrument API', () => {
  let t: TestPlatform;
  let auth: { authorization: string };
  // Tuesday 2026-11-24, 11:00 IST: the market is open.
  const clock = createManualClock('2026-11-24T05:30:00Z');

  async function importCsv(name: string, content: string, fields: Record<string, string> = {}) {
    const body = multipart(fields, { name, content });
    const res = await t.platform.http.inject({ method: 'POST', url: '/api/instruments/imports', headers: { ...auth, ...body.headers }, payload: body.payload });
    assert.equal(res.statusCode, 202, res.body);
    const { id } = res.json<{ id: string }>();
    for (let i = 0; i < 200; i++) {
      const s = (await t.platform.http.inject({ url: `/api/instruments/imports/${id}`, headers: auth })).json<{ status: string }>();
      if (s.status !== 'running') return s as Record<string, unknown> & { id: string; status: string };
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('import did not finish');
  }

  before(async () => {
    t = await startTestPlatform({ platform: { clock } });
    auth = { authorization: `Bearer ${(await login(t.platform.http, t.admin.email, t.admin.password)).accessToken}` };
  });
  after(() => t.stop());

  test('an upload is imported: good rows kept, bad rows rejected with row and reason, duplicates merged', async () => {
    const summary = await importCsv('EQUITY_L.csv', equityList);
    assert.equal(summary.status, 'completed');
    assert.deepEqual([summary.read, summary.inserted, summary.rejected, summary.duplicate], [5, 3, 1, 1]);
    assert.deepEqual(summary.formats, ['nse-equity-list']);
    const csv = await t.platform.http.inject({ url: `/api/instruments/imports/${summary.id}/rejects.csv`, headers: auth });
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    const lines = csv.body.trim().split('\n');
    assert.equal(lines[0], 'sheet,row,field,column,reason');
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, /^,5,symbol,/, 'row 5 of the file (header is row 1), field symbol');
    const again = await importCsv('EQUITY_L.csv', equityList);
    assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, 3], 'a re-import merges without duplicates');
    const list = await t.platform.http.inject({ url: '/api/instruments/imports', headers: auth });
    assert.equal(list.json<{ items: unknown[] }>().items.length, 2);
  });

  test('a file that is not an instrument list fails the import with one clear reason', async () => {
    const summary = await importCsv('notes.csv', 'hello,world\n1,2\n');
    assert.equal(summary.status, 'failed');
    assert.match(String(summary.error), /no recognised instrument layout/);
    const none = await t.platform.http.inject({ method: 'POST', url: '/api/instruments/imports', headers: { ...auth, 'content-type': 'application/json' }, payload: {} });
    assert.equal(none.statusCode, 415);
    const badMapping = multipart({ mapping: '{not json' }, { name: 'x.csv', content: 'a,b\n' });
    const res = await t.platform.http.inject({ method: 'POST', url: '/api/instruments/imports', headers: { ...auth, ...badMapping.headers }, payload: badMapping.payload });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error.message, /mapping/);
    // Valid JSON, but no symbol column and a field that does not exist: refused before any import starts.
    const imports = async () => (await t.platform.http.inject({ url: '/api/instruments/imports', headers: auth })).json<{ items: unknown[] }>().items.length;
    const before = await imports();
    const invalid = multipart({ mapping: JSON.stringify({ name: 'Company', colour: 'Red' }) }, { name: 'x.csv', content: 'Company\nAbc Limited\n' });
    const refused = await t.platform.http.inject({ method: 'POST', url: '/api/instruments/imports', headers: { ...auth, ...invalid.headers }, payload: invalid.payload });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.json().error.message, /column mapping is invalid: .*unknown field "colour".*symbol must name a column/);
    assert.equal(await imports(), before);
  });

  test('search finds by typo, ISIN and prefix, with facets and timing', async () => {
    const typo = (await t.platform.http.inject({ url: '/api/instruments/search?q=relaince', headers: auth })).json();
    assert.equal(typo.items[0].instrument.id, 'NSE:RELIANCE');
    assert.ok(typo.tookMs >= 0);
    assert.equal(typo.facets.exchange.NSE >= 1, true);
    const isin = (await t.platform.http.inject({ url: '/api/instruments/search?q=INE467B01029', headers: auth })).json();
    assert.equal(isin.items[0].instrument.symbol, 'TCS');
    const prefix = (await t.platform.http.inject({ url: '/api/instruments/search?q=inf&exchange=NSE&type=EQ', headers: auth })).json();
    assert.equal(prefix.items[0].instrument.symbol, 'INFY');
    assert.ok(prefix.items[0].matched.some((m: { field: string; start: number; end: number }) => m.field === 'symbol' && m.start === 0 && m.end === 3));
  });

  test('search answers are the JSON the response schema describes, byte for byte', async () => {
    // The route writes with JSON.stringify; the schema's own serializer writes only documented fields,
    // in the schema's order, so any field or order the schema does not describe shows up as a difference.
    const schemaWriter = Fastify();
    schemaWriter.post('/', { schema: { response: { 200: SearchResponseSchema } } }, async (request) => request.body);
    try {
      for (const q of ['relaince', 'INE467B01029', 'inf', 'tcs', '', 'r', 'reliance industries', 'x'.repeat(300), 'nifty 22000 ce']) {
        for (const filters of ['', '&exchange=NSE&type=EQ', '&exchange=XYZ', '&limit=1&offset=1']) {
          const res = await t.platform.http.inject({ url: `/api/instruments/search?q=${encodeURIComponent(q)}${filters}`, headers: auth });
          assert.equal(res.statusCode, 200);
          const bySchema = await schemaWriter.inject({ method: 'POST', url: '/', payload: res.json() });
          assert.equal(res.body, bySchema.body, `${q.slice(0, 20)}${filters}`);
        }
      }
    } finally {
      await schemaWriter.close();
    }
  });

  test('hostile and odd queries get defined answers', async () => {
    for (const q of ['', 'r', 'x'.repeat(10_000), '.*(a+)+$', "'; DROP TABLE instruments; --", 'रिलायंस', '%00%ff']) {
      const res = await t.platform.http.inject({ url: `/api/instruments/search?q=${encodeURIComponent(q)}`, headers: auth });
      assert.equal(res.statusCode, 200, `${q.slice(0, 20)}: ${res.body.slice(0, 200)}`);
    }
    const unknownValue = (await t.platform.http.inject({ url: '/api/instruments/search?q=tcs&exchange=XYZ', headers: auth })).json();
    assert.equal(unknownValue.total, 0);
    assert.ok(unknownValue.warnings.length > 0);
    const unknownParam = await t.platform.http.inject({ url: '/api/instruments/search?q=tcs&colour=red', headers: auth });
    assert.equal(unknownParam.statusCode, 400);
    assert.match(unknownParam.json().error.message, /colour/);
    const badLimit = await t.platform.http.inject({ url: '/api/instruments/search?q=tcs&limit=100000', headers: auth });
    assert.equal(badLimit.statusCode, 400);
  });

  test('detail carries a quote; the chart has a point per minute since the open', async () => {
    const detail = await t.platform.http.inject({ url: `/api/instruments/${encodeURIComponent('NSE:TCS')}`, headers: auth });
    assert.equal(detail.statusCode, 200);
    const { instrument, quote } = detail.json();
    assert.equal(instrument.isin, 'INE467B01029');
    assert.equal(quote.marketOpen, true);
    assert.ok(quote.last > 0 && quote.low <= quote.last && quote.last <= quote.high);
    const chart = (await t.platform.http.inject({ url: `/api/instruments/${encodeURIComponent('NSE:TCS')}/chart`, headers: auth })).json();
    assert.equal(chart.points.length, 106, '09:15 to 11:00 inclusive');
    assert.equal(chart.points[0].t, '2026-11-24T03:45:00.000Z');
    assert.equal((await t.platform.http.inject({ url: '/api/instruments/NSE%3ANOPE', headers: auth })).statusCode, 404);
  });

  test('the quote stream sends the current quote, then changes', async () => {
    const controller = new AbortController();
    const res = await fetch(`${t.url}/api/instruments/quotes/stream?ids=NSE:RELIANCE`, { headers: auth, signal: controller.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const reader = res.body!.getReader();
    const events: Array<{ instrumentId: string; last: number; at: string }> = [];
    let buffer = '';
    const next = async () => {
      while (!buffer.includes('\n\n')) {
        const { value } = await reader.read();
        buffer += new TextDecoder().decode(value);
      }
      const at = buffer.indexOf('\n\n');
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      return data ? (JSON.parse(data.slice(6)) as (typeof events)[number]) : undefined;
    };
    while (events.length < 1) {
      const e = await next();
      if (e) events.push(e);
    }
    assert.equal(events[0]!.instrumentId, 'NSE:RELIANCE');
    clock.advance(5 * 60_000); // five minutes later the price has moved
    await t.platform.http.inject({ url: '/api/health' });
    while (events.length < 2) {
      const e = await next();
      if (e) events.push(e);
    }
    assert.equal(events[1]!.at, '2026-11-24T05:35:00.000Z');
    controller.abort();
  });

  test('an import by another process (the CLI) reaches the running index', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-cli-import-'));
    try {
      const file = path.join(dir, 'more.csv');
      await writeFile(file, `${equityList.split('\r\n')[0]}\nHDFCBANK,HDFC Bank Limited,EQ,08-NOV-1995,1,1,INE040A01034,1\n`);
      // As the CLI runs it: no index in this process, nothing read back; the changes go through the event log.
      const runner = createImportRunner({ db: t.database.db, store: createInstrumentStore({ db: t.database.db }), eventLog: t.platform.eventLog });
      const summary = await runner.run({ path: file }, { sourceName: 'more.csv', createdBy: 'cli' });
      assert.equal(summary.inserted, 1);
      await t.platform.instruments.sync.drained();
      const found = (await t.platform.http.inject({ url: '/api/instruments/search?q=hdfcbank', headers: auth })).json();
      assert.equal(found.items[0].instrument.id, 'NSE:HDFCBANK');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('the detail serves the cached quote until its 60 s TTL ends, then a fresh one', async () => {
    const url = `/api/instruments/${encodeURIComponent('NSE:INFY')}`;
    const detail = async () => (await t.platform.http.inject({ url, headers: auth })).json<{ instrument: Instrument; quote: Quote }>();
    const feed = createSimulatedQuoteSource(); // deterministic by instrument and time: what a fresh computation gives
    clock.advance(30 * SECOND); // mid-minute, so 59 s on is another minute of the simulated session
    const cachedAt = clock.now();
    const { instrument, quote } = await detail();
    assert.deepEqual(quote, feed.quote(instrument, cachedAt));
    assert.equal(quote.at, cachedAt.toISOString());
    assert.equal(quote.marketOpen, true);
    assert.ok(Number.isInteger(quote.volume) && quote.volume > 0, `volume ${quote.volume}`);
    assert.ok(quote.prevClose > 0 && quote.low <= quote.open && quote.open <= quote.high && quote.low <= quote.last && quote.last <= quote.high);
    assert.equal(quote.change, Number((quote.last - quote.prevClose).toFixed(2)));
    assert.equal(quote.changePct, Number((((quote.last - quote.prevClose) / quote.prevClose) * 100).toFixed(2)));

    clock.advance(59 * SECOND);
    const moved = feed.quote(instrument, clock.now());
    assert.ok(moved.volume > quote.volume, 'the feed has moved on: more volume traded a minute later');
    assert.deepEqual((await detail()).quote, quote, 'still the cached quote, 59 s after it was cached');

    clock.advance(1 * SECOND);
    const expired = (await detail()).quote;
    assert.deepEqual(expired, feed.quote(instrument, clock.now()), 'after 60 s a fresh quote');
    assert.equal(expired.at, clock.now().toISOString());
    assert.ok(expired.volume >= moved.volume);
  });

  test('search filters by segment, sector and expiry range over HTTP, and pages without overlap', async () => {
    // Clock: Tuesday 2026-11-24. TCS futures and options in a Kite dump, sectors through a column mapping.
    const kite = [
      'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange',
      '13368320,52218,TCS26NOVFUT,TCS,0,26-11-2026,0,0.1,175,FUT,NFO-FUT,NFO',
      '13368322,52220,TCS26DECFUT,TCS,0,31-12-2026,0,0.1,175,FUT,NFO-FUT,NFO',
      '13368323,52221,TCS27JANFUT,TCS,0,28-01-2027,0,0.1,175,FUT,NFO-FUT,NFO',
      '13368324,52222,TCS26DEC4000CE,TCS,0,31-12-2026,4000,0.05,175,CE,NFO-OPT,NFO',
      '13368325,52223,TCS26DEC4000PE,TCS,0,31-12-2026,4000,0.05,175,PE,NFO-OPT,NFO',
      '13368326,52224,TCS26DEC4100CE,TCS,0,31-12-2026,4100,0.05,175,CE,NFO-OPT,NFO',
      '13368327,52225,TCS25OCTFUT,TCS,0,30-10-2025,0,0.1,175,FUT,NFO-FUT,NFO',
    ].join('\n');
    const nfo = await importCsv('nfo.csv', kite);
    assert.deepEqual([nfo.status, nfo.formats, nfo.inserted], ['completed', ['kite'], 7]);
    const sectors = 'Ticker,Company,Sector\nHAL,Hindustan Aeronautics Limited,Aerospace & Defence\nBEL,Bharat Electronics Limited,Aerospace & Defence\nHDFCLIFE,HDFC Life Insurance Company Limited,Financial Services\n';
    const mapped = await importCsv('sectors.csv', sectors, { mapping: JSON.stringify({ symbol: 'Ticker', name: 'Company', sector: 'Sector', defaults: { exchange: 'NSE' } }) });
    assert.deepEqual([mapped.status, mapped.formats, mapped.inserted], ['completed', ['column-mapping'], 3]);

    type Answer = { items: SearchHit[]; total: number; facets: { segment: Record<string, number> }; warnings: string[] };
    const search = async (query: string) => {
      const res = await t.platform.http.inject({ url: `/api/instruments/search?${query}`, headers: auth });
      assert.equal(res.statusCode, 200, res.body);
      return res.json<Answer>();
    };
    const idsOf = (answer: Answer) => answer.items.map((hit) => hit.instrument.id);

    const all = await search('q=tcs&limit=100');
    assert.equal(all.total, 8, 'the share and its seven contracts');

    const derivatives = await search('q=tcs&segment=FO&limit=100');
    assert.equal(derivatives.total, 7);
    assert.ok(derivatives.items.every((hit) => hit.instrument.segment === 'FO' && hit.instrument.exchange === 'NFO'));
    assert.deepEqual(derivatives.facets.segment, { CASH: 1, FO: 7 }, 'the segment facet ignores its own filter');
    assert.deepEqual(idsOf(await search('q=tcs&segment=CASH')), ['NSE:TCS']);
    assert.deepEqual(idsOf(await search('q=tcs&segment=F%26O&limit=100')), idsOf(derivatives), 'F&O names the same segment');

    // Both bounds inclusive; the share (no expiry) and contracts outside the range drop out.
    const december = await search('q=tcs&expiryFrom=2026-12-31&expiryTo=2026-12-31');
    assert.deepEqual(idsOf(december).sort(), ['NFO:TCS26DEC4000CE', 'NFO:TCS26DEC4000PE', 'NFO:TCS26DEC4100CE', 'NFO:TCS26DECFUT']);
    assert.equal(idsOf(december)[0], 'NFO:TCS26DECFUT', 'futures before options');
    const fromDecember = await search('q=tcs&type=FUT&expiryFrom=2026-12-01');
    assert.deepEqual(idsOf(fromDecember), ['NFO:TCS26DECFUT', 'NFO:TCS27JANFUT']);
    const upToNovember = await search('q=tcs&type=FUT&expiryTo=2026-11-30');
    assert.deepEqual(idsOf(upToNovember), ['NFO:TCS26NOVFUT', 'NFO:TCS25OCTFUT'], 'nearest unexpired first, expired last');
    const badDate = await t.platform.http.inject({ url: '/api/instruments/search?q=tcs&expiryFrom=next-week', headers: auth });
    assert.equal(badDate.statusCode, 400);

    const aerospace = await search('q=limited&sector=aerospace%20%26%20defence');
    assert.deepEqual(idsOf(aerospace).sort(), ['NSE:BEL', 'NSE:HAL']);
    assert.ok(aerospace.items.every((hit) => hit.instrument.sector === 'Aerospace & Defence'));
    assert.ok((await search('q=limited&limit=100')).total > aerospace.total, 'other companies are limited too');
    assert.deepEqual(idsOf(await search('q=limited&sector=Financial%20Services,Aerospace%20%26%20Defence')).sort(), ['NSE:BEL', 'NSE:HAL', 'NSE:HDFCLIFE']);

    // Pages of 3: each continues the last, none overlaps another, together they are the whole answer.
    const pages = await Promise.all([0, 3, 6].map((offset) => search(`q=tcs&limit=3&offset=${offset}`)));
    assert.deepEqual(pages.map((page) => page.items.length), [3, 3, 2]);
    assert.ok(pages.every((page) => page.total === all.total));
    const paged = pages.flatMap(idsOf);
    assert.equal(new Set(paged).size, paged.length, 'no instrument on two pages');
    assert.deepEqual(paged, idsOf(all));
    assert.deepEqual(paged.slice(0, 4), ['NSE:TCS', 'NFO:TCS26NOVFUT', 'NFO:TCS26DECFUT', 'NFO:TCS27JANFUT']);
    assert.deepEqual((await search('q=tcs&limit=3&offset=9')).items, [], 'past the end: an empty page');
  });

  test('digits alone find instruments by exchange token, first and highlighted', async () => {
    const res = await t.platform.http.inject({ url: '/api/instruments/search?q=52221', headers: auth });
    assert.equal(res.statusCode, 200);
    const found = res.json<{ items: SearchHit[]; total: number }>();
    assert.equal(found.items[0]?.instrument.id, 'NFO:TCS27JANFUT');
    assert.equal(found.items[0]?.instrument.token, '52221');
    assert.deepEqual(found.items[0]?.matched, [{ field: 'token', start: 0, end: 5 }]);
    assert.equal(found.total, 1);
    const none = (await t.platform.http.inject({ url: '/api/instruments/search?q=52221&exchange=NSE', headers: auth })).json<{ total: number }>();
    assert.equal(none.total, 0, 'filters apply to token matches too');
  });
});
