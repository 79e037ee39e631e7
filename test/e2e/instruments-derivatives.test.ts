// The Instruments page with futures and options, on a platform whose clock the test holds (a weekday
// morning, market open): an F&O phrase finds the nearest contract and shows its expiry and strike,
// filter chips narrow and widen the results and survive a reload, ↑/↓/PageUp/PageDown walk the list,
// and the detail's last price follows the quote stream as the clock moves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { createSimulatedQuoteSource } from '../../src/instruments/quotes.ts';
import { createManualClock, DAY, MINUTE, SECOND } from '../../src/platform/time.ts';
import { startTestPlatform } from '../helpers/platform.ts';
import { launchChromium, signInAt, waitForText, openPage } from '../helpers/browser.ts';

/**
 * 10:00 IST on a weekday after today. In the future on purpose: the refresh cookie expires by the
 * platform's clock, and a reload restores the session from it.
 */
function tradingMorningAfter(ms: number): Date {
  const morning = new Date(ms + DAY);
  morning.setUTCHours(4, 30, 0, 0);
  while (morning.getUTCDay() === 0 || morning.getUTCDay() === 6) morning.setTime(morning.getTime() + DAY);
  return morning;
}

const start = tradingMorningAfter(Date.now());
const clock = createManualClock(start);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const nearExpiry = isoDay(start.getTime() + 3 * DAY);
const farExpiry = isoDay(start.getTime() + 31 * DAY);

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** `2026-12-10` → `10 Dec 2026`, as the page writes expiries. */
function shownExpiry(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number);
  const name = MONTHS[(month ?? 1) - 1] ?? '';
  return `${day} ${name.charAt(0)}${name.slice(1).toLowerCase()} ${year}`;
}

/** Kite's trading symbols: weekly contracts carry the day (`NIFTY2612122000CE`), monthly ones the month. */
function kiteSymbol(underlying: string, expiry: string, weekly: boolean, suffix: string): string {
  const [year, month, day] = expiry.split('-');
  const yy = (year ?? '').slice(2);
  if (weekly) return `${underlying}${yy}${'123456789OND'.charAt(Number(month) - 1)}${day}${suffix}`;
  return `${underlying}${yy}${MONTHS[Number(month) - 1]}${suffix}`;
}

type Contract = { symbol: string; underlying: string; expiry: string; strike: number; type: 'FUT' | 'CE' | 'PE'; lot: number };

function contract(underlying: string, expiry: string, type: Contract['type'], strike: number, lot: number): Contract {
  const suffix = type === 'FUT' ? 'FUT' : `${strike}${type}`;
  return { symbol: kiteSymbol(underlying, expiry, expiry === nearExpiry && type !== 'FUT', suffix), underlying, expiry, strike, type, lot };
}

const NIFTY_STRIKES = [21_600, 21_700, 21_800, 21_900, 22_000, 22_100, 22_200, 22_300, 22_400];
const contracts: Contract[] = [
  contract('NIFTY', nearExpiry, 'FUT', 0, 50),
  contract('NIFTY', farExpiry, 'FUT', 0, 50),
  ...[nearExpiry, farExpiry].flatMap((expiry) =>
    NIFTY_STRIKES.flatMap((strike) => (['CE', 'PE'] as const).map((type) => contract('NIFTY', expiry, type, strike, 50))),
  ),
  contract('RELIANCE', nearExpiry, 'FUT', 0, 250),
  contract('RELIANCE', farExpiry, 'FUT', 0, 250),
  contract('RELIANCE', nearExpiry, 'CE', 2900, 250),
];
const niftyCount = contracts.filter((c) => c.underlying === 'NIFTY').length;

function findContract(underlying: string, expiry: string, type: Contract['type'], strike = 0): Contract {
  const found = contracts.find((c) => c.underlying === underlying && c.expiry === expiry && c.type === type && c.strike === strike);
  assert.ok(found !== undefined, `no ${underlying} ${expiry} ${strike} ${type} in the test file`);
  return found;
}

const nearCall = findContract('NIFTY', nearExpiry, 'CE', 22_000);
const farCall = findContract('NIFTY', farExpiry, 'CE', 22_000);
const relianceNearFuture = findContract('RELIANCE', nearExpiry, 'FUT');

/** A Kite instrument dump: three NSE equities and the NFO contracts above. */
function kiteCsv(): string {
  const kiteDate = (iso: string) => iso.split('-').reverse().join('-');
  const rows = [
    'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange',
    '738561,2885,RELIANCE,RELIANCE INDUSTRIES,0,,0,0.05,1,EQ,NSE,NSE',
    '408065,1594,INFY,INFOSYS,0,,0,0.05,1,EQ,NSE,NSE',
    '2953217,11536,TCS,TATA CONSULTANCY SERV LT,0,,0,0.05,1,EQ,NSE,NSE',
    ...contracts.map((c, i) => {
      const token = 50_000 + i;
      const segment = c.type === 'FUT' ? 'NFO-FUT' : 'NFO-OPT';
      return `${token * 256},${token},${c.symbol},${c.underlying},0,${kiteDate(c.expiry)},${c.strike},0.05,${c.lot},${c.type},${segment},NFO`;
    }),
  ];
  return `${rows.join('\n')}\n`;
}

let platform: Awaited<ReturnType<typeof startTestPlatform>> | undefined;
let browser: Browser | undefined;
let workDir: string | undefined;

before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'pravah-derivatives-e2e-'));
  platform = await startTestPlatform({ platform: { clock } });
  const file = path.join(workDir, 'kite-instruments.csv');
  await writeFile(file, kiteCsv());
  const summary = await platform.platform.instruments.imports.run({ path: file }, { sourceName: 'kite-instruments.csv', createdBy: 'test' });
  assert.equal(summary.status, 'completed', summary.error ?? '');
  assert.equal(summary.inserted, 3 + contracts.length);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await platform?.stop();
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

function searchBox(page: Page): Locator {
  return page.getByRole('combobox', { name: 'Search instruments' });
}

function resultRows(page: Page): Locator {
  return page.getByRole('grid', { name: 'Instruments' }).locator('tbody tr');
}

/** Polls until `read` gives a value `accept` takes: the page answers after a debounce and a request. */
async function waitUntil<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeout = 10 * SECOND): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: T = await read();
  while (!accept(last)) {
    if (Date.now() > deadline) assert.fail(`${what}: last saw ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
  return last;
}

async function isPressed(chip: Locator, on: boolean): Promise<void> {
  await waitUntil(() => chip.getAttribute('aria-pressed'), (pressed) => pressed === String(on), `the chip is ${on ? 'on' : 'off'}`);
}

/** The table as text, one record per row keyed by the column headers. */
async function readTable(page: Page): Promise<Array<Record<string, string>>> {
  return page.getByRole('grid', { name: 'Instruments' }).evaluate((grid) => {
    const headers = [...grid.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '');
    return [...grid.querySelectorAll('tbody tr')].map((tr) =>
      Object.fromEntries([...tr.querySelectorAll('td')].map((td, i) => [headers[i] ?? String(i), td.textContent?.trim() ?? ''])),
    );
  });
}

/** Searches and waits for the answer to that text, whatever the results. */
async function searchFor(page: Page, text: string): Promise<void> {
  await searchBox(page).fill(text);
  await waitForText(page.getByTestId('results-count'), new RegExp(`for “${text}” ·`));
}

/** The row the keyboard is on: its place in the table, whether it is in sight (scrolled into view), its symbol. */
async function activeRow(page: Page): Promise<{ index: number; inView: boolean; symbol: string; selected: number }> {
  const id = await searchBox(page).getAttribute('aria-activedescendant');
  if (id === null || id === '') return { index: -1, inView: false, symbol: '', selected: 0 };
  return page.locator(`[id="${id}"]`).evaluate((row) => {
    const box = row.getBoundingClientRect();
    const view = row.closest('.results-scroll')?.getBoundingClientRect();
    // The header row stays at the top of the scrolling table: a row under it is out of sight.
    const head = row.closest('table')?.querySelector('thead th')?.getBoundingClientRect();
    const top = Math.max(view?.top ?? 0, head?.bottom ?? 0);
    return {
      index: [...(row.parentElement?.children ?? [])].indexOf(row),
      inView: view !== undefined && box.top >= top - 1 && box.bottom <= view.bottom + 1,
      symbol: row.querySelector('td')?.textContent?.trim() ?? '',
      selected: row.parentElement?.querySelectorAll('tr[aria-selected="true"]').length ?? 0,
    };
  });
}

const rupees = new Intl.NumberFormat('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** The last price exactly as the page writes it. */
const shownPrice = (price: number) => new RegExp(`^${rupees.format(price).replace(/\./g, '\\.')}$`);
const istTime = new Intl.DateTimeFormat('en-IN', { timeZone: 'Asia/Kolkata', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

test('instruments page with derivatives: F&O columns, filter chips, keyboard paging, a live quote', { timeout: 120 * SECOND }, async (t) => {
  assert.ok(platform !== undefined && browser !== undefined);
  const { url, admin, platform: app } = platform;
  const { context, page, pageErrors } = await openPage(browser, { viewport: { width: 1440, height: 900 } });

  try {
    await signInAt(page, url, '/instruments', admin);
    await searchBox(page).waitFor();

    await t.test('an equity-only answer has no expiry or strike columns', async () => {
      await searchFor(page, 'infosys');
      const rows = await readTable(page);
      assert.deepEqual(rows.map((row) => `${row.Symbol} ${row.Type}`), ['INFY EQ']);
      assert.deepEqual(Object.keys(rows[0] ?? {}), ['Symbol', 'Name', 'Exch', 'Type', 'Lot']);
    });

    await t.test('“nifty 22000 ce” puts the nearest 22000 call first, with its expiry and strike', async () => {
      await searchFor(page, 'nifty 22000 ce');
      await waitForText(page.locator('.parsed-phrase'), /^Read as NIFTY · 22,000 · CE$/);
      const rows = await readTable(page);
      assert.deepEqual(rows.slice(0, 2), [
        { Symbol: nearCall.symbol, Name: rows[0]?.Name, Exch: 'NFO', Type: 'CE', Expiry: shownExpiry(nearExpiry), Strike: '22,000 CE', Lot: '50' },
        { Symbol: farCall.symbol, Name: rows[1]?.Name, Exch: 'NFO', Type: 'CE', Expiry: shownExpiry(farExpiry), Strike: '22,000 CE', Lot: '50' },
      ]);
      assert.equal(rows.length, 2, `only the two 22000 calls, got ${rows.map((row) => row.Symbol).join(', ')}`);
    });

    await t.test('exchange, type and expiry chips narrow the results, survive a reload, and widen again when removed', async () => {
      const exchanges = async () => (await readTable(page)).map((row) => row.Exch);
      const nfoChip = page.getByRole('group', { name: 'Exchange' }).getByRole('button', { name: /^NFO/ });
      const futuresChip = page.getByRole('group', { name: 'Type' }).getByRole('button', { name: /^Futures/ });
      const expiryTo = page.getByLabel('Expiry to');

      await searchFor(page, 'reliance');
      await waitUntil(exchanges, (seen) => seen.includes('NSE') && seen.includes('NFO'), 'reliance finds the equity and its derivatives');
      assert.equal(await nfoChip.getAttribute('aria-pressed'), 'false');

      await nfoChip.click();
      await isPressed(nfoChip, true);
      await waitUntil(exchanges, (seen) => seen.length === 3 && seen.every((exchange) => exchange === 'NFO'), 'only the 3 NFO contracts');
      await page.waitForURL((target) => target.searchParams.get('exchange') === 'NFO' && target.searchParams.get('q') === 'reliance');

      await page.reload();
      await waitUntil(() => searchBox(page).inputValue(), (value) => value === 'reliance', 'the reload keeps the search text');
      await isPressed(nfoChip, true);
      await waitUntil(exchanges, (seen) => seen.length === 3 && seen.every((exchange) => exchange === 'NFO'), 'the reload keeps the results narrowed');

      await futuresChip.click();
      await isPressed(futuresChip, true);
      await waitUntil(async () => (await readTable(page)).map((row) => row.Type), (seen) => seen.length === 2 && seen.every((type) => type === 'FUT'), 'only the 2 futures');
      await expiryTo.fill(nearExpiry);
      const nearOnly = await waitUntil(() => readTable(page), (rows) => rows.length === 1, 'only the near future');
      assert.equal(nearOnly[0]?.Symbol, relianceNearFuture.symbol);
      assert.equal(nearOnly[0]?.Expiry, shownExpiry(nearExpiry));
      await page.waitForURL((target) => target.searchParams.get('expiryTo') === nearExpiry && target.searchParams.get('type') === 'FUT');

      await expiryTo.fill('');
      await waitUntil(() => readTable(page), (rows) => rows.length === 2, 'both futures again');
      await futuresChip.click();
      await isPressed(futuresChip, false);
      await waitUntil(exchanges, (seen) => seen.length === 3, 'the 3 NFO contracts again');
      await nfoChip.click();
      await isPressed(nfoChip, false);
      await waitUntil(exchanges, (seen) => seen.length === 4 && seen.includes('NSE'), 'the equity is back');
      await page.waitForURL((target) => [...target.searchParams.keys()].join(',') === 'q');
    });

    await t.test('↑ from the box goes to the last row; PageUp/PageDown step by ten; rows scroll into view; Enter opens', async () => {
      await searchFor(page, 'nifty');
      const rows = await waitUntil(() => resultRows(page).count(), (n) => n === niftyCount, `all ${niftyCount} NIFTY contracts`);
      const search = searchBox(page);
      const expectActive = async (index: number, key: string) => {
        const active = await waitUntil(() => activeRow(page), (row) => row.index === index, `after ${key} row ${index} is active`, 2 * SECOND);
        assert.equal(active.selected, 1, 'exactly one row is marked selected');
        assert.ok(active.inView, `row ${index} is scrolled into view`);
      };

      const steps: Array<[string, number]> = [
        ['ArrowUp', rows - 1],
        ['ArrowDown', rows - 1],
        ['PageUp', rows - 11],
        ['PageUp', rows - 21],
        ['PageUp', rows - 31],
        ['PageUp', 0],
        ['ArrowUp', 0],
        ['PageDown', 10],
        ['ArrowDown', 11],
        ['ArrowUp', 10],
      ];
      for (const [key, index] of steps) {
        await search.press(key);
        await expectActive(index, key);
      }
      const { symbol } = await activeRow(page);
      await search.press('Enter');
      await page.getByRole('complementary', { name: `${symbol} detail` }).waitFor();
    });

    await t.test('the open detail’s last price follows the stream as the market clock moves', async () => {
      await searchFor(page, 'nifty 22000 ce');
      await searchBox(page).press('Enter');
      const detail = page.getByRole('complementary', { name: `${nearCall.symbol} detail` });
      await detail.waitFor();
      await waitForText(detail.locator('.status-badge'), /^Live$/);

      const instrument = await app.instruments.index.get(`NFO:${nearCall.symbol}`);
      assert.ok(instrument !== undefined);
      const source = createSimulatedQuoteSource();
      let shown = source.quote(instrument, clock.now()).last;
      await waitForText(detail.getByTestId('quote-last'), shownPrice(shown));

      for (let move = 1; move <= 2; move++) {
        // The price path is known in advance: step to the first minute at which it differs.
        let minutes = 1;
        while (source.quote(instrument, new Date(clock.now().getTime() + minutes * MINUTE)).last === shown && minutes < 60) minutes++;
        clock.advance(minutes * MINUTE);
        const next = source.quote(instrument, clock.now());
        await waitForText(detail.getByTestId('quote-last'), shownPrice(next.last), 10 * SECOND);
        const asOf = detail.locator('.ohlc div', { hasText: 'As of' }).locator('dd');
        assert.equal(await asOf.textContent(), `${istTime.format(clock.now())} IST`);
        shown = next.last;
      }
    });

    assert.deepEqual(pageErrors, [], 'the page threw no uncaught errors');
  } finally {
    await context.close();
  }
});
