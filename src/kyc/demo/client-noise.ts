// The noise of a real feed, applied to valid clients: rows broken in exactly one known rule, later
// versions of a client (a changed KRA status, mobile or segment), stale copies (a lower version
// arriving late) and valid values spelt the way feeds spell them.
import type { RuleCode } from '../validate/rules.ts';
import { computeGstinCheckChar } from '../validate/gstin.ts';
import { findStateByCode, indiaStates } from '../india-states.ts';
import { fromEpochDay } from './calendar.ts';
import { createAadhaar } from './client-accounts.ts';
import type { ClientInput, ClientShape } from './client-factory.ts';
import { createIndianMobile, respellMobile } from './client-places.ts';
import type { Random } from './prng.ts';

export type Breaker = { rule: RuleCode; shape: ClientShape; apply: (record: ClientInput, random: Random, todayDay: number) => void };

const adult: ClientShape = { holder: 'P', minor: false, residency: 'RESIDENT' };
const entity: ClientShape = { holder: 'C' };

function otherStatePincode(random: Random, stateCode: string): string {
  const own = findStateByCode(stateCode)?.pinPrefixes ?? [];
  const prefixes = indiaStates.flatMap((s) => s.pinPrefixes).filter((p) => !own.includes(p));
  return `${random.pick(prefixes)}${random.digits(4)}`;
}

/** One entry per rule the generator breaks on purpose; each leaves every other rule intact. */
export const breakers: readonly Breaker[] = [
  { rule: 'pan.format', shape: adult, apply: (r) => { r.pan = `${r.pan.slice(0, 9)}9`; } },
  { rule: 'aadhaar.verhoeff', shape: { ...adult, withAadhaar: true }, apply: (r, random) => {
    const good = createAadhaar(random);
    r.aadhaar = `${good.slice(0, 11)}${(Number(good[11]) + 1) % 10}`;
    delete r.aadhaarLast4;
  } },
  { rule: 'aadhaar.vid_not_aadhaar', shape: adult, apply: (r, random) => { r.aadhaar = `${random.int(2, 9)}${random.digits(15)}`; delete r.aadhaarLast4; } },
  { rule: 'ifsc.format', shape: adult, apply: (r) => { r.banks[0]!.ifsc = `${r.banks[0]!.ifsc.slice(0, 4)}1${r.banks[0]!.ifsc.slice(5)}`; } },
  { rule: 'bank_account.format', shape: adult, apply: (r, random) => { r.banks[0]!.accountNumber = `${random.int(1, 9)}${random.digits(5)}`; } },
  { rule: 'mobile.format', shape: adult, apply: (r, random) => { r.mobile = { number: `5${random.digits(9)}`, relation: 'SELF' }; } },
  { rule: 'pincode.format', shape: adult, apply: (r, random) => { r.addresses.correspondence.pincode = `0${random.digits(5)}`; } },
  { rule: 'pincode.state_mismatch', shape: adult, apply: (r, random) => {
    r.addresses.correspondence.pincode = otherStatePincode(random, r.addresses.correspondence.stateCode ?? 'MH');
  } },
  { rule: 'email.format', shape: { ...adult, withEmail: true }, apply: (r) => { r.email = { address: r.email!.address.replace('@', '.at.'), relation: 'SELF' }; } },
  { rule: 'dob.future', shape: adult, apply: (r, random, todayDay) => { r.dob = fromEpochDay(todayDay + random.int(5, 400)); } },
  { rule: 'dob.format', shape: adult, apply: (r) => { r.dob = `${r.dob.slice(0, 4)}-02-30`; } },
  { rule: 'bo_id.format', shape: adult, apply: (r) => { r.demat[0]!.boId = r.demat[0]!.boId.slice(0, -1); } },
  { rule: 'ckyc_kin.format', shape: adult, apply: (r, random) => { r.ckycKin = `${random.int(1, 9)}${random.digits(12)}`; } },
  { rule: 'gstin.checksum', shape: entity, apply: (r, random) => {
    const first14 = `27${r.pan}1Z`;
    const good = computeGstinCheckChar(first14);
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.replace(good, '');
    r.gstin = `${first14}${alphabet[random.int(0, alphabet.length - 1)]}`;
  } },
  { rule: 'gstin.pan_mismatch', shape: entity, apply: (r) => {
    const first14 = `27${r.pan.slice(0, 5)}${String((Number(r.pan.slice(5, 9)) + 1) % 10_000).padStart(4, '0')}${r.pan[9]}1Z`;
    r.gstin = `${first14}${computeGstinCheckChar(first14)}`;
  } },
  { rule: 'nominees.share_sum', shape: { ...adult, withNominees: true }, apply: (r) => { r.nominees[0]!.sharePct -= 5; } },
  { rule: 'nominees.minor_without_guardian', shape: { ...adult, withNominees: true }, apply: (r, random, todayDay) => {
    r.nominees[0]!.dob = fromEpochDay(todayDay - random.int(400, 3000));
    r.nominees[0]!.identifier = { type: 'AADHAAR_LAST4', value: random.digits(4) };
    delete r.nominees[0]!.guardian;
  } },
  { rule: 'dob.minor_without_guardian', shape: { holder: 'P', minor: true, residency: 'RESIDENT' }, apply: (r) => { delete r.guardian; } },
  { rule: 'dob.under_18_segment', shape: { holder: 'P', minor: true, residency: 'RESIDENT' }, apply: (r) => {
    r.segments.push({ segment: 'FO', status: 'ACTIVE', activatedOn: r.segments[0]!.activatedOn! });
  } },
  { rule: 'name.too_long', shape: adult, apply: (r) => { r.name = { ...r.name, middle: 'Venkata Lakshmi Narasimha Satya Sai Subrahmanya Sri Rama Chandra Murthy Krishna Swamy Venkateswara' }; } },
  { rule: 'name.characters', shape: adult, apply: (r, random) => {
    r.name = { ...r.name, first: random.pick(['<script>alert(1)</script>', "Robert'); DROP TABLE clients;--", '=HYPERLINK("http://x")']) };
  } },
  { rule: 'address.line_too_long', shape: adult, apply: (r) => { r.addresses.correspondence.lines[0] += ', Near Old Shiv Temple Behind The Municipal Corporation Water Tank And Opposite The Primary Health Centre Lane'; } },
  { rule: 'address.city_too_long', shape: adult, apply: (r) => { r.addresses.correspondence.city = 'Thiruvananthapuram Cantonment North'; } },
  { rule: 'client_code.format', shape: adult, apply: (r) => { r.clientCode = `${r.clientCode}#`; } },
  { rule: 'kra_status.format', shape: adult, apply: (r) => { r.kraStatus = `${r.kraStatus[0]}09`; } },
  { rule: 'kra_status.kra_mismatch', shape: adult, apply: (r) => { r.kraStatus = `${(Number(r.kraStatus[0]) + 1) % 5}${r.kraStatus.slice(1)}`; } },
  { rule: 'banks.type_residency', shape: adult, apply: (r) => { r.banks[0]!.type = 'NRE'; } },
  { rule: 'mtf.agreement_missing', shape: { ...adult, withMtf: true }, apply: (r) => {
    delete r.mtfAgreementDate;
    for (const s of r.segments) if (s.segment === 'MTF') s.status = 'ACTIVE';
  } },
  { rule: 'nomination.required', shape: adult, apply: (r) => { r.nominees = []; r.nominationOptOut = false; } },
  { rule: 'field.required', shape: adult, apply: (r) => { r.mobile = { number: '', relation: 'SELF' }; } },
];

// Versions of a client share the nested objects they do not change: nothing mutates a record once
// it has been emitted, so copying only what changes is safe and keeps repeats cheap.

/** The next version of a client: a KRA status settled, a new mobile or email, or an address line. */
export function createUpdate(random: Random, previous: ClientInput, todayDay: number): ClientInput {
  const next: ClientInput = { ...previous, source: { ...previous.source, version: previous.source.version + 1, asOf: later(previous.source.asOf, random) } };
  const roll = random.float();
  if (roll < 0.4) {
    next.kraStatus = `${next.kraStatus[0]}07`;
    next.kraStatusDate = fromEpochDay(todayDay - random.int(0, 5));
  } else if (roll < 0.7) next.mobile = { number: createIndianMobile(random), relation: 'SELF' };
  else if (next.name.last !== undefined && roll < 0.85) next.email = { address: `${next.name.first}.${next.name.last}.${random.digits(3)}@gmail.com`.toLowerCase(), relation: 'SELF' };
  else {
    const correspondence = { ...next.addresses.correspondence, lines: [...next.addresses.correspondence.lines.slice(0, 2), 'Near New Metro Station'] };
    next.addresses = { ...next.addresses, correspondence };
  }
  return next;
}

/** A stale copy: one version lower, an earlier timestamp, the KRA status as it was before. */
export function createStaleCopy(random: Random, current: ClientInput): ClientInput {
  const asOfMs = Date.parse(current.source.asOf) - random.int(1, 30) * 86_400_000;
  return {
    ...current,
    source: { ...current.source, version: current.source.version - 1, asOf: new Date(asOfMs).toISOString() },
    kraStatus: `${current.kraStatus[0]}01`,
  };
}

function later(asOf: string, random: Random): string {
  return new Date(Date.parse(asOf) + random.int(3600, 5 * 86_400) * 1000).toISOString();
}

/**
 * The same client with one valid value spelt as feeds spell it (mobile prefixes, lowercase PAN,
 * state name, DD/MM/YYYY, stray spaces). Copies only what it changes; the rest is shared.
 */
export function respell(random: Random, original: ClientInput): ClientInput {
  const record = { ...original };
  const correspondence = { ...record.addresses.correspondence };
  const roll = random.float();
  if (roll < 0.35 && record.mobile.number.startsWith('+91')) record.mobile = { ...record.mobile, number: respellMobile(random, record.mobile.number) };
  else if (roll < 0.5) record.pan = record.pan.toLowerCase();
  else if (roll < 0.7) {
    const state = findStateByCode(correspondence.stateCode ?? '');
    if (state) correspondence.stateCode = state.name;
    record.addresses = { ...record.addresses, correspondence };
  } else if (roll < 0.85) record.dob = `${record.dob.slice(8, 10)}/${record.dob.slice(5, 7)}/${record.dob.slice(0, 4)}`;
  else record.name = { ...record.name, first: `  ${record.name.first} ` };
  return record;
}
