// The stream of synthetic KYC rows: mostly new clients, with the noise of a real day's feed
// mixed in. Memory stays flat: only a bounded window of recent clients is kept for repeats.
import type { RuleCode } from '../validate/rules.ts';
import { toEpochDay } from './calendar.ts';
import { createClient, createFamilyRing, type ClientInput, type FactoryContext } from './client-factory.ts';
import { breakers, createStaleCopy, createUpdate, respell } from './client-noise.ts';
import { createRandom } from './prng.ts';

/** The date the demo data is "as of" unless told otherwise: fixed, so a seed fixes the output. */
export const DEFAULT_DEMO_TODAY = '2025-03-31';

export type GenerateClientOptions = { seed: number | string; count: number; today?: string };

export type ClientRowKind = 'new' | 'resend' | 'update' | 'stale' | 'invalid';

export type GeneratedClientRow = {
  kind: ClientRowKind;
  record: ClientInput;
  /** For `invalid` rows: the one rule the row breaks. */
  brokenRule?: RuleCode;
};

const INVALID_EVERY = 50; // one invalid row in every block of 50: 2%, exactly, at a random position
const WINDOW = 1024;

type Window = { records: ClientInput[]; next: number };

function keep(window: Window, record: ClientInput): number {
  const slot = window.records.length < WINDOW ? window.records.length : window.next;
  window.records[slot] = record;
  window.next = (slot + 1) % WINDOW;
  return slot;
}

/**
 * Rows of a synthetic KYC feed, deterministic by seed (no Math.random, no clock): about 93% new
 * valid clients (some with feed-style spellings), 2% re-sends (same client, same version), 2%
 * updates (higher version), 1% stale copies (lower version, arriving later) and exactly one
 * invalid row per 50 (2%), each breaking one known rule. Minors with guardians, NRIs with
 * NRE/NRO banks, non-individual PANs with GSTINs, family-shared mobiles, stale KRA holds and
 * PAN/surname mismatches come from the client factory.
 */
export function* generateClientRows(options: GenerateClientOptions): Generator<GeneratedClientRow> {
  const random = createRandom(options.seed);
  const todayDay = toEpochDay(options.today ?? DEFAULT_DEMO_TODAY);
  const ctx: FactoryContext = { random, todayDay, panOffset: random.int(0, 175_759_999), family: createFamilyRing() };
  const window: Window = { records: [], next: 0 };
  let seq = 0;
  let invalidAt = 0;
  for (let i = 0; i < options.count; i++) {
    if (i % INVALID_EVERY === 0) invalidAt = i + random.int(0, INVALID_EVERY - 1);
    if (i === invalidAt) {
      const breaker = random.pick(breakers);
      const record = createClient(ctx, ++seq, breaker.shape);
      breaker.apply(record, random, todayDay);
      yield { kind: 'invalid', record, brokenRule: breaker.rule };
      continue;
    }
    yield createValidRow(ctx, window, () => ++seq);
  }
}

function createValidRow(ctx: FactoryContext, window: Window, nextSeq: () => number): GeneratedClientRow {
  const { random, todayDay } = ctx;
  const roll = random.float();
  if (window.records.length > 16 && roll < 0.055) {
    const slot = random.int(0, window.records.length - 1);
    const previous = window.records[slot]!;
    if (roll < 0.02) return { kind: 'resend', record: previous };
    if (roll < 0.04) {
      const update = createUpdate(random, previous, todayDay);
      window.records[slot] = update;
      return { kind: 'update', record: update };
    }
    if (previous.source.version >= 2) return { kind: 'stale', record: createStaleCopy(random, previous) };
  }
  const record = createClient(ctx, nextSeq());
  keep(window, record);
  if (!random.chance(0.08)) return { kind: 'new', record };
  // Re-spelt rows are emitted as sent; the window keeps the canonical spelling for repeats.
  return { kind: 'new', record: respell(random, record) };
}

/** Just the records of `generateClientRows`. */
export function* generateClientRecords(options: GenerateClientOptions): Generator<ClientInput> {
  for (const row of generateClientRows(options)) yield row.record;
}
