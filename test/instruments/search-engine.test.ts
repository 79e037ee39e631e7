// The search engine on a small hand-made corpus, where every expected answer can be reasoned out.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { InstrumentSearchEngine } from '../../src/instruments/index/search-engine.ts';
import { exactInstrument, INSTRUMENT_FIELDS } from '../../src/instruments/instrument.ts';
import type { Instrument } from '../../src/instruments/instrument.ts';
import type { SearchResult } from '../../src/instruments/instrument-index.ts';
import { compactKey } from '../../src/instruments/text.ts';
import { makeInstrument } from './shared-data.ts';

const NOW = new Date('2024-04-01T10:00:00+05:30');

function option(underlying: string, expiry: string, strike: number, type: 'CE' | 'PE', symbol: string): Instrument {
  return makeInstrument({
    symbol, exchange: 'NFO', segment: 'FO', instrumentType: type, optionType: type, underlying, expiry, strike,
    name: `${underlying} ${expiry} ${strike} ${type}`, lotSize: 50,
  });
}

function future(underlying: string, expiry: string, symbol: string): Instrument {
  return makeInstrument({ symbol, exchange: 'NFO', segment: 'FO', instrumentType: 'FUT', underlying, expiry, name: `${underlying} ${expiry} FUT` });
}

const CORPUS: Instrument[] = [
  makeInstrument({ symbol: 'RELIANCE', name: 'RELIANCE INDUSTRIES', isin: 'INE002A01018', token: '2885', sector: 'Energy', series: 'EQ' }),
  makeInstrument({ symbol: 'RELIANCE', exchange: 'BSE', name: 'Reliance Industries Ltd', isin: 'INE002A01018', token: '500325', sector: 'Energy' }),
  makeInstrument({ symbol: 'RPOWER', name: 'RELIANCE POWER', sector: 'Utilities', token: '15259' }),
  makeInstrument({ symbol: 'RELAXO', name: 'RELAXO FOOTWEARS' }),
  makeInstrument({ symbol: 'TCS', name: 'TATA CONSULTANCY SERV', isin: 'INE467B01029', sector: 'Information Technology' }),
  makeInstrument({ symbol: 'INFY', name: 'INFOSYS LIMITED', isin: 'INE009A01021', sector: 'Information Technology' }),
  makeInstrument({ symbol: 'HDFCBANK', name: 'HDFC BANK', sector: 'Financial Services' }),
  makeInstrument({ symbol: 'SBIN', name: 'STATE BANK OF INDIA', token: '2885' }),
  makeInstrument({ symbol: 'M&M', name: 'MAHINDRA & MAHINDRA' }),
  makeInstrument({ symbol: 'NIFTY 50', name: 'NIFTY 50', segment: 'INDICES', instrumentType: 'INDEX', aliases: ['NIFTY'] }),
  makeInstrument({ symbol: 'NIFTY BANK', name: 'NIFTY BANK', segment: 'INDICES', instrumentType: 'INDEX', aliases: ['BANKNIFTY'] }),
  makeInstrument({ symbol: 'NIFTYBEES', name: 'NIP IND ETF NIFTY BEES', instrumentType: 'ETF' }),
  makeInstrument({ symbol: 'DEVA', name: 'रिलायंस इंडस्ट्रीज' }),
  future('NIFTY', '2024-04-25', 'NIFTY24APRFUT'),
  future('NIFTY', '2024-03-28', 'NIFTY24MARFUT'),
  future('NIFTY', '2024-05-30', 'NIFTY24MAYFUT'),
  future('BANKNIFTY', '2024-05-29', 'BANKNIFTY24MAYFUT'),
  future('BANKNIFTY', '2024-04-24', 'BANKNIFTY24APRFUT'),
  option('NIFTY', '2024-04-25', 22000, 'CE', 'NIFTY24APR22000CE'),
  option('NIFTY', '2024-04-04', 22000, 'CE', 'NIFTY2440422000CE'),
  option('NIFTY', '2024-03-28', 22000, 'CE', 'NIFTY24MAR22000CE'),
  option('NIFTY', '2024-04-25', 22000, 'PE', 'NIFTY24APR22000PE'),
  option('NIFTY', '2024-04-25', 22100, 'CE', 'NIFTY24APR22100CE'),
  option('RELIANCE', '2024-12-26', 2900, 'PE', 'RELIANCE24DEC2900PE'),
  option('RELIANCE', '2024-04-25', 2900, 'PE', 'RELIANCE24APR2900PE'),
  option('M&M', '2024-04-25', 2000, 'CE', 'M&M24APR2000CE'),
];

function engine(records: Instrument[] = CORPUS, pinned: string[] = []): InstrumentSearchEngine {
  const built = new InstrumentSearchEngine({ pinned });
  built.build(records);
  return built;
}

const ids = (result: SearchResult) => result.items.map((hit) => hit.instrument.id);

describe('ranking', () => {
  const index = engine();

  test('exact symbol first, NSE before BSE, then other matches', () => {
    assert.deepEqual(ids(index.search({ q: 'reliance' }, NOW)).slice(0, 2), ['NSE:RELIANCE', 'BSE:RELIANCE']);
    // Contracts whose symbol starts with the query are symbol-prefix matches; company-name matches follow.
    assert.deepEqual(ids(index.search({ q: 'RELIANCE' }, NOW)).slice(2, 5), ['NFO:RELIANCE24APR2900PE', 'NFO:RELIANCE24DEC2900PE', 'NSE:RPOWER']);
  });

  test('aliases count as symbols: NIFTY is the NIFTY 50 index, BANKNIFTY the NIFTY BANK index', () => {
    assert.equal(ids(index.search({ q: 'nifty' }, NOW))[0], 'NSE:NIFTY 50');
    assert.equal(ids(index.search({ q: 'NIFTY 50' }, NOW))[0], 'NSE:NIFTY 50');
    assert.equal(ids(index.search({ q: 'banknifty' }, NOW))[0], 'NSE:NIFTY BANK');
  });

  test('symbol prefix: cash and index before futures before options, nearest unexpired expiry first', () => {
    const result = ids(index.search({ q: 'nift', limit: 50 }, NOW));
    assert.deepEqual(result.slice(0, 3), ['NSE:NIFTY 50', 'NSE:NIFTY BANK', 'NSE:NIFTYBEES']);
    assert.deepEqual(result.slice(3, 6), ['NFO:NIFTY24APRFUT', 'NFO:NIFTY24MAYFUT', 'NFO:NIFTY24MARFUT']);
    assert.equal(result[6], 'NFO:NIFTY2440422000CE');
  });

  test('a swapped or missing letter is forgiven in long words; short words and numbers are not fuzzed', () => {
    assert.equal(ids(index.search({ q: 'relaince' }, NOW))[0], 'NSE:RELIANCE');
    assert.equal(ids(index.search({ q: 'infosis' }, NOW))[0], 'NSE:INFY');
    assert.equal(ids(index.search({ q: 'reliane industries' }, NOW))[0], 'NSE:RELIANCE');
    assert.deepEqual(ids(index.search({ q: 'tsc' }, NOW)), []);
    assert.equal(index.search({ q: 'nifty 22001 ce' }, NOW).total, 0);
  });

  test('company-name words, ISIN exact and prefix', () => {
    assert.equal(ids(index.search({ q: 'tata consultancy' }, NOW))[0], 'NSE:TCS');
    assert.deepEqual(ids(index.search({ q: 'INE002A01018' }, NOW)), ['NSE:RELIANCE', 'BSE:RELIANCE']);
    assert.deepEqual(ids(index.search({ q: 'ine467' }, NOW)), ['NSE:TCS']);
  });

  test('of text matches otherwise equal, the name the query covers more of comes first', () => {
    const names = engine([
      makeInstrument({ symbol: 'AAACAP', exchange: 'BSE', name: 'Aaa Capital and Finance Services Limited' }),
      makeInstrument({ symbol: 'ZZZFIN', exchange: 'BSE', name: 'Zzz Finance Limited' }),
    ]);
    assert.deepEqual(ids(names.search({ q: 'finance limited' }, NOW)), ['BSE:ZZZFIN', 'BSE:AAACAP']);
    // Symbol matches keep their own order (popularity, then symbol): `a` and `z` prefixes are not names.
    assert.deepEqual(ids(names.search({ q: 'aaacap' }, NOW)), ['BSE:AAACAP']);
  });

  test('a word followed by another was typed in full: the word itself before longer words it begins, whatever the exchange', () => {
    const networks = engine([
      makeInstrument({ symbol: 'TEJASNET', name: 'TEJAS NETWORKS LIMITED' }),
      makeInstrument({ symbol: 'SEATV', exchange: 'BSE', name: 'SEA TV Network Limited' }),
      makeInstrument({ symbol: 'NETWORK18', name: 'NETWORK18 MEDIA LIMITED' }),
    ]);
    // `network` is complete: SEA TV (BSE) has the word; TEJAS and NETWORK18 only longer words starting with
    // it (NSE, but partial).
    assert.deepEqual(ids(networks.search({ q: 'network limited' }, NOW)), ['BSE:SEATV', 'NSE:NETWORK18', 'NSE:TEJASNET']);
    // The last word may still be being typed, so its prefixes are not demoted: NSE first again.
    assert.deepEqual(ids(networks.search({ q: 'limited network' }, NOW)).slice(0, 3), ['NSE:NETWORK18', 'NSE:TEJASNET', 'BSE:SEATV']);
  });

  test('of BSE shares otherwise equal, group A before B before the trade-for-trade and other groups', () => {
    const groups = engine([
      makeInstrument({ symbol: 'AAAPROJ', exchange: 'BSE', name: 'Aaa Projects Limited', series: 'XT' }),
      makeInstrument({ symbol: 'BBBPROJ', exchange: 'BSE', name: 'Bbb Projects Limited', series: 'B' }),
      makeInstrument({ symbol: 'CCCPROJ', exchange: 'BSE', name: 'Ccc Projects Limited', series: 'Z' }),
      makeInstrument({ symbol: 'DDDPROJ', exchange: 'BSE', name: 'Ddd Projects Limited', series: 'A' }),
      makeInstrument({ symbol: 'EEEPROJ', name: 'Eee Projects Limited', series: 'EQ' }),
    ]);
    assert.deepEqual(ids(groups.search({ q: 'projects limited' }, NOW)), ['NSE:EEEPROJ', 'BSE:DDDPROJ', 'BSE:BBBPROJ', 'BSE:AAAPROJ', 'BSE:CCCPROJ']);
  });

  test('Devanagari names are searchable', () => {
    assert.deepEqual(ids(index.search({ q: 'रिलायंस' }, NOW)), ['NSE:DEVA']);
  });
});

describe('F&O phrases', () => {
  const index = engine();

  test('underlying + strike + type: that strike, nearest unexpired expiry first, expired last', () => {
    const result = index.search({ q: 'nifty 22000 ce' }, NOW);
    assert.deepEqual(ids(result), ['NFO:NIFTY2440422000CE', 'NFO:NIFTY24APR22000CE', 'NFO:NIFTY24MAR22000CE']);
    assert.deepEqual(result.derivative, { underlying: 'NIFTY', strike: 22000, types: ['CE'], expiry: null });
    assert.deepEqual(result.items[0]?.matched.find((m) => m.field === 'symbol'), { field: 'symbol', start: 0, end: 5 });
  });

  test('futures by expiry; an index alias names the underlying', () => {
    assert.deepEqual(ids(index.search({ q: 'banknifty fut' }, NOW)), ['NFO:BANKNIFTY24APRFUT', 'NFO:BANKNIFTY24MAYFUT']);
    assert.deepEqual(ids(index.search({ q: 'nifty bank fut' }, NOW)), ['NFO:BANKNIFTY24APRFUT', 'NFO:BANKNIFTY24MAYFUT']);
    assert.deepEqual(ids(index.search({ q: 'NIFTY 50 fut' }, NOW)).slice(0, 1), ['NFO:NIFTY24APRFUT']);
  });

  test('month and day: `reliance 2900 pe 26 dec`; a full contract symbol is first', () => {
    assert.deepEqual(ids(index.search({ q: 'reliance 2900 pe 26 dec' }, NOW)), ['NFO:RELIANCE24DEC2900PE']);
    assert.deepEqual(ids(index.search({ q: 'nifty 24 apr 22000 ce', expiryTo: '2024-04-10' }, NOW)), ['NFO:NIFTY2440422000CE']);
    // Spelled out, it is also the Kite symbol NIFTY24APR22000CE, which as an exact symbol comes first.
    assert.deepEqual(ids(index.search({ q: 'nifty 24 apr 22000 ce' }, NOW)), ['NFO:NIFTY24APR22000CE', 'NFO:NIFTY2440422000CE']);
    assert.equal(ids(index.search({ q: 'NIFTY24APR22000CE' }, NOW))[0], 'NFO:NIFTY24APR22000CE');
    assert.deepEqual(ids(index.search({ q: 'm&m 2000 ce' }, NOW)), ['NFO:M&M24APR2000CE']);
  });

  test('an explicit phrase with no such contract answers none, saying how it was read', () => {
    const result = index.search({ q: 'banknifty sep fut' }, NOW);
    assert.equal(result.total, 0);
    assert.deepEqual(result.derivative, { underlying: 'BANKNIFTY', strike: null, types: ['FUT'], expiry: 'SEP' });
  });
});

describe('F&O phrases: a number after a month', () => {
  const index = engine([
    ...CORPUS,
    option('IDEA', '2024-06-27', 12, 'CE', 'IDEA24JUN12CE'),
    option('IDEA', '2024-06-27', 13, 'CE', 'IDEA24JUN13CE'),
    option('IDEA', '2024-05-30', 12, 'CE', 'IDEA24MAY12CE'),
    option('ASTRAL', '2024-04-25', 2020, 'PE', 'ASTRAL24APR2020PE'),
    option('NIFTY', '2024-06-13', 22000, 'CE', 'NIFTY2461322000CE'),
  ]);

  test('`idea jun 12 ce`: no IDEA contract expires on 12 June (or in June 2012), so 12 is the strike', () => {
    const result = index.search({ q: 'idea jun 12 ce' }, NOW);
    assert.deepEqual(ids(result), ['NFO:IDEA24JUN12CE']);
    assert.deepEqual(result.derivative, { underlying: 'IDEA', strike: 12, types: ['CE'], expiry: 'JUN' });
    assert.deepEqual(ids(index.search({ q: 'IDEA24JUN12CE' }, NOW)), ['NFO:IDEA24JUN12CE']);
    assert.deepEqual(ids(index.search({ q: 'astral apr 2020 pe' }, NOW)), ['NFO:ASTRAL24APR2020PE']);
  });

  test('a day the underlying does expire on stays a day: `nifty jun 13 ce` is the 13 June weekly', () => {
    const result = index.search({ q: 'nifty jun 13 ce' }, NOW);
    assert.deepEqual(ids(result), ['NFO:NIFTY2461322000CE']);
    assert.equal(result.derivative?.strike, null);
  });

  test('`reliance 2900 pe 26 dec` still reads 26 December', () => {
    const result = index.search({ q: 'reliance 2900 pe 26 dec' }, NOW);
    assert.deepEqual(ids(result), ['NFO:RELIANCE24DEC2900PE']);
    assert.deepEqual(result.derivative, { underlying: 'RELIANCE', strike: 2900, types: ['PE'], expiry: '26 DEC or DEC 2026' });
  });
});

describe('typos among words that also match as typed', () => {
  const index = engine([
    ...CORPUS,
    makeInstrument({ symbol: 'MEDICO', name: 'MEDICO REMEDIES' }),
    makeInstrument({ symbol: 'MEDIORG-SM', name: 'MEDI ORGANICS' }),
    makeInstrument({ symbol: 'MEDIOL', exchange: 'BSE', name: 'MEDIO LABS' }),
    makeInstrument({ symbol: 'RELTD', name: 'RELTD LIMITED' }),
    makeInstrument({ symbol: 'RECLTD', name: 'REC LIMITED' }),
  ]);

  test('a typo that is also a symbol prefix still finds the word one edit away, after the literal matches', () => {
    // MEDIO prefixes MEDIORG (NSE) and MEDIOL (BSE): both first; MEDICO is one edit away and follows.
    assert.deepEqual(ids(index.search({ q: 'medio' }, NOW)), ['NSE:MEDIORG-SM', 'BSE:MEDIOL', 'NSE:MEDICO']);
    assert.deepEqual(ids(index.search({ q: 'reltd' }, NOW)), ['NSE:RELTD', 'NSE:RECLTD']);
  });

  test('matches needing a typo rank after every match as typed, whatever their exchange', () => {
    const sunrise = engine([
      makeInstrument({ symbol: 'SRL', exchange: 'BSE', name: 'SUNRISE LIMITED' }),
      makeInstrument({ symbol: 'SUNRSE', name: 'SUNRSE AGRO' }),
    ]);
    // NSE ranks before BSE among equals, but SUNRSE is only one edit from `sunrise`.
    assert.deepEqual(ids(sunrise.search({ q: 'sunrise' }, NOW)), ['BSE:SRL', 'NSE:SUNRSE']);
    assert.deepEqual(ids(sunrise.search({ q: 'sunrse' }, NOW)), ['NSE:SUNRSE', 'BSE:SRL']);
  });
});

describe('matched spans for highlighting', () => {
  const index = engine([
    ...CORPUS,
    makeInstrument({ symbol: 'NIFTY FIN SERVICE', name: 'Nifty Financial Services', segment: 'INDICES', instrumentType: 'INDEX', aliases: ['FINNIFTY', 'NIFTYFIN'] }),
  ]);
  const matchedOf = (q: string, id: string) => {
    const hit = index.search({ q, limit: 100 }, NOW).items.find((h) => h.instrument.id === id);
    assert.ok(hit, `${q} finds ${id}`);
    return hit.matched;
  };

  test('name words: each query word spans its word, every time it occurs; a last word being typed spans what was typed', () => {
    assert.deepEqual(matchedOf('tata consultancy', 'NSE:TCS'), [{ field: 'name', start: 0, end: 4 }, { field: 'name', start: 5, end: 16 }]);
    assert.deepEqual(matchedOf('tata consul', 'NSE:TCS'), [{ field: 'name', start: 0, end: 4 }, { field: 'name', start: 5, end: 11 }]);
    assert.deepEqual(matchedOf('mahindra', 'NSE:M&M'), [{ field: 'name', start: 0, end: 8 }, { field: 'name', start: 11, end: 19 }]);
    // Case is ignored, and a word of the symbol spans the symbol too.
    assert.deepEqual(matchedOf('reliance industries', 'BSE:RELIANCE'), [
      { field: 'symbol', start: 0, end: 8 }, { field: 'name', start: 0, end: 8 }, { field: 'name', start: 9, end: 19 },
    ]);
    // A typo spans the whole word it was read as.
    assert.deepEqual(matchedOf('infosis', 'NSE:INFY'), [{ field: 'name', start: 0, end: 7 }]);
  });

  test('underlying: a contract found through its underlying spans it, by phrase or by text', () => {
    assert.deepEqual(matchedOf('reliance 2900 pe', 'NFO:RELIANCE24DEC2900PE'), [
      { field: 'symbol', start: 0, end: 8 }, { field: 'name', start: 0, end: 8 }, { field: 'underlying', start: 0, end: 8 },
    ]);
    assert.deepEqual(matchedOf('banknifty', 'NFO:BANKNIFTY24APRFUT').filter((m) => m.field === 'underlying'), [{ field: 'underlying', start: 0, end: 9 }]);
  });

  test('aliases: the span names which alias, by index', () => {
    assert.deepEqual(matchedOf('banknifty', 'NSE:NIFTY BANK'), [{ field: 'aliases', start: 0, end: 9, index: 0 }]);
    assert.deepEqual(matchedOf('banknif', 'NSE:NIFTY BANK'), [{ field: 'aliases', start: 0, end: 7, index: 0 }]);
    // The symbol's compact prefix spans the space inside it; the second alias matches, not the first.
    assert.deepEqual(matchedOf('niftyfin', 'NSE:NIFTY FIN SERVICE'), [{ field: 'symbol', start: 0, end: 9 }, { field: 'aliases', start: 0, end: 8, index: 1 }]);
  });

  test('ISIN: the whole code, or the prefix typed (from five characters)', () => {
    assert.deepEqual(matchedOf('INE467B01029', 'NSE:TCS'), [{ field: 'isin', start: 0, end: 12 }]);
    assert.deepEqual(matchedOf('ine467', 'NSE:TCS'), [{ field: 'isin', start: 0, end: 6 }]);
    assert.deepEqual(matchedOf('ine002a01018', 'BSE:RELIANCE'), [{ field: 'isin', start: 0, end: 12 }]);
  });

  test('spans are the text they claim: each lies inside its field and folds to part of the query (typos aside)', () => {
    for (const q of ['tata consul', 'mahindra', 'reliance industries', 'banknif', 'niftyfin', 'ine467', 'reliance 2900 pe', '2885']) {
      for (const { instrument, matched } of index.search({ q, limit: 100 }, NOW).items) {
        for (const span of matched) {
          const value = span.field === 'aliases' ? instrument.aliases[span.index ?? -1] : instrument[span.field];
          assert.equal(typeof value, 'string', `${q}: ${instrument.id} ${span.field}`);
          const text = value as string;
          assert.ok(span.start >= 0 && span.start < span.end && span.end <= text.length, `${q}: ${instrument.id} ${JSON.stringify(span)}`);
          const covered = compactKey(text.slice(span.start, span.end));
          assert.ok(covered.length > 0 && compactKey(q).includes(covered), `${q}: ${instrument.id} ${span.field} "${covered}"`);
        }
      }
    }
  });
});

describe('exchange tokens', () => {
  const index = engine([
    ...CORPUS,
    makeInstrument({ symbol: 'XYZ', name: 'XYZ LIMITED', token: '22000' }),
    makeInstrument({ symbol: '360ONE', name: '360 ONE WAM LIMITED', token: '13061' }),
    makeInstrument({ symbol: 'TINYCO', exchange: 'BSE', name: 'TINY COMPANY LIMITED', token: '360' }),
  ]);

  test('digits alone that are a token or BSE scrip code find its instruments first, as exact matches', () => {
    const shared = index.search({ q: '2885' }, NOW);
    assert.deepEqual(ids(shared).sort(), ['NSE:RELIANCE', 'NSE:SBIN'], 'a token repeats across instruments: all of them');
    assert.equal(shared.total, 2);
    for (const hit of shared.items) assert.deepEqual(hit.matched, [{ field: 'token', start: 0, end: 4 }]);
    assert.deepEqual(ids(index.search({ q: '500325' }, NOW)), ['BSE:RELIANCE']);
    assert.deepEqual(ids(index.search({ q: ' 15259 ' }, NOW)), ['NSE:RPOWER']);
    assert.deepEqual(ids(index.search({ q: '2885', exchange: 'BSE' }, NOW)), [], 'filters still apply');
    assert.deepEqual(ids(index.search({ q: '4242' }, NOW)), [], 'no such token: nothing');
  });

  test('where symbols begin with the digits, they were being typed too: they lead, the token\'s instruments follow', () => {
    const result = index.search({ q: '360' }, NOW);
    assert.deepEqual(ids(result), ['NSE:360ONE', 'BSE:TINYCO']);
    assert.deepEqual(result.items[1]?.matched, [{ field: 'token', start: 0, end: 3 }]);
    assert.deepEqual(ids(index.search({ q: '360o' }, NOW)), ['NSE:360ONE'], 'digits and letters are no token');
    // Without such symbols the token's instruments are exact matches: before an NSE share with 360 in its name.
    const alone = engine([makeInstrument({ symbol: 'TINYCO', exchange: 'BSE', name: 'TINY COMPANY LIMITED', token: '360' }), makeInstrument({ symbol: 'ONE360', name: 'ONE 360 LIMITED' })]);
    assert.deepEqual(ids(alone.search({ q: '360' }, NOW)), ['BSE:TINYCO', 'NSE:ONE360']);
  });

  test('a token that is also a strike leaves F&O phrases as they were', () => {
    assert.deepEqual(ids(index.search({ q: '22000' }, NOW)), ['NSE:XYZ']);
    assert.deepEqual(ids(index.search({ q: 'nifty 22000 ce' }, NOW)), ['NFO:NIFTY2440422000CE', 'NFO:NIFTY24APR22000CE', 'NFO:NIFTY24MAR22000CE']);
  });

  test('writes move tokens: a replaced token finds nothing, the new one finds the instrument, a removed one is gone', () => {
    const written = engine();
    written.upsert([makeInstrument({ symbol: 'RPOWER', name: 'RELIANCE POWER', token: '99999' })]);
    assert.deepEqual(ids(written.search({ q: '15259' }, NOW)), []);
    assert.deepEqual(ids(written.search({ q: '99999' }, NOW)), ['NSE:RPOWER']);
    written.remove(['NSE:RPOWER']);
    assert.deepEqual(ids(written.search({ q: '99999' }, NOW)), []);
  });
});

describe('filters and facets', () => {
  const index = engine();

  test('filters narrow; each facet ignores its own filter', () => {
    const result = index.search({ q: 'reliance', exchange: 'bse' }, NOW);
    assert.deepEqual(ids(result), ['BSE:RELIANCE']);
    assert.equal(result.total, 1);
    assert.deepEqual(result.facets.exchange, { NSE: 2, BSE: 1, NFO: 2 });
    assert.deepEqual(result.facets.type, { EQ: 1 });
    const options = index.search({ q: 'nifty', type: 'OPT', expiryFrom: '2024-04-01', expiryTo: '2024-04-30' }, NOW);
    assert.ok(options.items.every((hit) => ['CE', 'PE'].includes(hit.instrument.instrumentType) && hit.instrument.expiry?.startsWith('2024-04')));
    assert.equal(options.total, 4);
    assert.deepEqual(ids(index.search({ q: 'bank', sector: 'financial services' }, NOW)), ['NSE:HDFCBANK']);
  });

  test('unknown filter values match nothing and are named', () => {
    const result = index.search({ q: 'reliance', exchange: 'LSE', expiryFrom: 'soon' }, NOW);
    assert.equal(result.total, 0);
    assert.equal(result.warnings.length, 2);
    assert.match(result.warnings[0] ?? '', /unknown exchange "LSE"/);
  });

  test('limit and offset page through a stable order', () => {
    const all = ids(index.search({ q: 'nifty', limit: 100 }, NOW));
    const pages = [0, 3, 6, 9].flatMap((offset) => ids(index.search({ q: 'nifty', limit: 3, offset }, NOW)));
    assert.deepEqual(pages, all.slice(0, pages.length));
    assert.equal(index.search({ q: 'nifty', limit: 1e9, offset: -5 }, NOW).items.length, Math.min(all.length, 100));
  });
});

describe('popular list, lookups and writes', () => {
  test('empty and one-character queries answer from the popular list: F&O indices, large caps, pinned first', () => {
    const index = engine();
    assert.deepEqual(ids(index.search({ q: '' }, NOW)).slice(0, 4), ['NSE:NIFTY 50', 'NSE:NIFTY BANK', 'NSE:RELIANCE', 'NSE:HDFCBANK']);
    assert.deepEqual(ids(index.search({ q: 'r' }, NOW)).slice(0, 2), ['NSE:RELIANCE', 'BSE:RELIANCE']);
    assert.deepEqual(ids(index.search({ q: ' ', type: 'FUT' }, NOW)), []);
    assert.equal(ids(engine(CORPUS, ['NSE:SBIN']).search({ q: '' }, NOW))[0], 'NSE:SBIN');
  });

  test('ISIN and token lookups list every listing, NSE first', () => {
    const index = engine();
    assert.deepEqual(index.getByIsin('ine002a01018').map((i) => i.id), ['NSE:RELIANCE', 'BSE:RELIANCE']);
    assert.deepEqual(index.getByToken('2885').map((i) => i.id), ['NSE:RELIANCE', 'NSE:SBIN']);
    assert.equal(index.get('NSE:TCS')?.name, 'TATA CONSULTANCY SERV');
    assert.equal(index.get('NSE:NOPE'), undefined);
  });

  test('upsert replaces by id and new instruments are searchable at once; remove forgets them', () => {
    const index = engine();
    index.upsert([makeInstrument({ symbol: 'TCS', name: 'TATA CONSULTANCY SERVICES', isin: 'INE467B01029' }), makeInstrument({ symbol: 'ZOMATO', name: 'ZOMATO LIMITED' })]);
    assert.equal(index.size, CORPUS.length + 1);
    assert.equal(index.get('NSE:TCS')?.name, 'TATA CONSULTANCY SERVICES');
    assert.deepEqual(ids(index.search({ q: 'tata consultancy services' }, NOW)), ['NSE:TCS']);
    assert.deepEqual(ids(index.search({ q: 'zomato' }, NOW)), ['NSE:ZOMATO']);
    assert.equal(index.remove(['NSE:ZOMATO', 'NSE:NOPE']), 1);
    assert.deepEqual(ids(index.search({ q: 'zomato' }, NOW)), []);
    assert.deepEqual(index.getByIsin('INE467B01029').map((i) => i.name), ['TATA CONSULTANCY SERVICES']);
  });

  test('many writes compact without changing answers', () => {
    const index = engine();
    const before = ids(index.search({ q: 'nifty', limit: 100 }, NOW));
    for (let round = 0; round < 5; round++) index.upsert(Array.from({ length: 400 }, (_, i) => makeInstrument({ symbol: `TEMP${i}` })));
    index.remove(Array.from({ length: 400 }, (_, i) => `NSE:TEMP${i}`));
    assert.equal(index.size, CORPUS.length);
    assert.deepEqual(ids(index.search({ q: 'nifty', limit: 100 }, NOW)), before);
  });
});

describe('bad input', () => {
  const index = engine();

  test('huge, hostile and odd queries get defined answers quickly', () => {
    for (const q of ['x'.repeat(10_000), "'; DROP TABLE instruments; --", '.*+?()[]{}|\\^$', '%_%', '\u0000\uffff', '🙂🙂', 'नमस्ते']) {
      const started = performance.now();
      const result = index.search({ q }, NOW);
      assert.ok(performance.now() - started < 50, q.slice(0, 20));
      assert.ok(Array.isArray(result.items) && Number.isInteger(result.total));
    }
    // Untyped callers: the engine coerces rather than throws.
    const loose = index.search({ q: 42 as unknown as string, limit: 'x' as unknown as number, exchange: [null] as unknown as string[] }, new Date(Number.NaN));
    assert.ok(loose.warnings.some((w) => /invalid clock/.test(w)));
  });

  test('property: any text and any filters never throw and always satisfy the filters', () => {
    const exchanges = ['NSE', 'BSE', 'NFO', 'nse', 'LSE'];
    const types = ['EQ', 'FUT', 'CE', 'INDEX', 'OPT', 'WARRANT'];
    const segments = ['CASH', 'FO', 'INDICES', 'MOON'];
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }),
        fc.option(fc.constantFrom(...exchanges), { nil: undefined }),
        fc.option(fc.constantFrom(...types), { nil: undefined }),
        fc.option(fc.constantFrom(...segments), { nil: undefined }),
        (q, exchange, type, segment) => {
          const result = index.search({ q, exchange, type, segment, limit: 50 }, NOW);
          const unknown = exchange === 'LSE' || type === 'WARRANT' || segment === 'MOON';
          if (unknown) assert.equal(result.total, 0);
          for (const { instrument } of result.items) {
            if (exchange !== undefined) assert.equal(instrument.exchange, exchange.toUpperCase());
            if (type === 'OPT') assert.ok(instrument.instrumentType === 'CE' || instrument.instrumentType === 'PE');
            else if (type !== undefined) assert.equal(instrument.instrumentType, type);
            if (segment !== undefined) assert.equal(instrument.segment, segment);
          }
          assert.ok(result.items.length <= result.total);
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (q) => void index.search({ q }, NOW)), { numRuns: 200 });
  });

  test('property: searching any symbol or alias puts an instrument with that symbol or alias first', () => {
    const names = [...new Set(CORPUS.flatMap((i) => [i.symbol, ...i.aliases]))];
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.boolean(), (name, lower) => {
        const top = index.search({ q: lower ? name.toLowerCase() : name }, NOW).items[0]?.instrument;
        assert.ok(top, name);
        assert.ok([top.symbol, ...top.aliases].some((s) => compactKey(s) === compactKey(name)), `${name} → ${top.id}`);
      }),
    );
  });
});

describe('records held by the index', () => {
  test('hold exactly the Instrument fields in their order, whatever else the given object carried', () => {
    const given = { ...makeInstrument({ symbol: 'ZOMATO', name: 'ZOMATO LIMITED' }), updatedAt: '2024-04-01', source: 'upload' } as Instrument;
    const held = engine([given]);
    const viaGet = held.get('NSE:ZOMATO');
    const viaSearch = held.search({ q: 'zomato' }, NOW).items[0]?.instrument;
    for (const record of [viaGet, viaSearch]) {
      assert.deepEqual(Object.keys(record ?? {}), [...INSTRUMENT_FIELDS]);
      assert.equal(record?.name, 'ZOMATO LIMITED');
    }
    // A record already in that shape is held as it is, not copied.
    const exact = exactInstrument(given);
    assert.equal(engine([exact]).get('NSE:ZOMATO'), exact);
  });
});
