// Accounts and nominees of synthetic clients: banks with real IFSC prefixes, CDSL/NSDL BO ids,
// segments with activation dates, and nominees whose shares add up to 100.
import type { Bank, Demat, Guardian, Nominee, Segment } from '../client-record.ts';
import { computeVerhoeffDigit } from '../validate/verhoeff.ts';
import { fromEpochDay, YEAR_DAYS } from './calendar.ts';
import { banks as bankList, cdslDpIds, nsdlDpIds, namesByRegion, type Region } from './indian-data.ts';
import { createWeighted, type Random } from './prng.ts';

const pickBank = createWeighted(bankList.map((bank) => [bank, bank.weight] as const));

function createBank(random: Random, type: Bank['type'], primary: boolean): Bank {
  const bank = pickBank(random);
  const branch = random.chance(0.9) ? random.digits(6) : `${random.letters(2)}${random.digits(4)}`;
  return { ifsc: `${bank.code}0${branch}`, accountNumber: `${random.int(1, 9)}${random.digits(bank.accountLength - 1)}`, type, primary };
}

/** One or two accounts: NRE (+ NRO) for non-residents, SB or CA otherwise; exactly one primary. */
export function createBanks(random: Random, nonResident: boolean, entity: boolean): Bank[] {
  if (nonResident) return random.chance(0.7) ? [createBank(random, 'NRE', true), createBank(random, 'NRO', false)] : [createBank(random, 'NRE', true)];
  const type = entity || random.chance(0.04) ? 'CA' : 'SB';
  const out = [createBank(random, type, true)];
  if (random.chance(0.2)) out.push(createBank(random, type, false));
  return out;
}

/** A demat account (CDSL 16 digits or NSDL IN + 14), sometimes a second one. */
export function createDemat(random: Random): Demat[] {
  const one = (): Demat => (random.chance(0.6)
    ? { depository: 'CDSL', boId: `${random.pick(cdslDpIds)}${random.digits(8)}`, ddpi: random.chance(0.55) }
    : { depository: 'NSDL', boId: `${random.pick(nsdlDpIds)}${random.digits(8)}`, ddpi: random.chance(0.55) });
  return random.chance(0.9) ? [one()] : [one(), one()];
}

const optionalSegments: ReadonlyArray<readonly [Segment['segment'], number]> = [['FO', 0.35], ['CD', 0.08], ['COM', 0.1], ['MTF', 0.12], ['SLB', 0.02]];

/** CM always; F&O, currency, commodity, MTF, SLB by take-up; minors CM only. */
export function createSegments(random: Random, openDay: number, todayDay: number, minor: boolean): Segment[] {
  const on = (day: number) => fromEpochDay(Math.min(day, todayDay));
  const out: Segment[] = [{ segment: 'CM', status: 'ACTIVE', activatedOn: on(openDay) }];
  if (minor) return out;
  for (const [segment, share] of optionalSegments) {
    if (!random.chance(share)) continue;
    const status = random.chance(0.94) ? 'ACTIVE' : random.chance(0.6) ? 'INACTIVE' : 'SUSPENDED';
    out.push({ segment, status, activatedOn: on(openDay + random.int(0, 400)) });
  }
  return out;
}

/** A random Aadhaar number with a valid Verhoeff check digit. */
export function createAadhaar(random: Random): string {
  const body = `${random.int(2, 9)}${random.digits(10)}`;
  return `${body}${computeVerhoeffDigit(body)}`;
}

/** A PAN of an individual whose fifth letter is `initial`. */
export function createPersonPan(random: Random, initial: string): string {
  return `${random.letters(3)}P${initial}${random.digits(4)}${random.letters(1)}`;
}

export type NomineeContext = {
  region: Region;
  surname: string | undefined;
  ageYears: number;
  married: boolean;
  clientGender: 'M' | 'F' | 'T';
  clientName: string;
  stateCode: string;
  todayDay: number;
};

const shareSplits: Record<number, ReadonlyArray<readonly number[]>> = {
  1: [[100]],
  2: [[50, 50], [60, 40], [70, 30], [75, 25]],
  3: [[34, 33, 33], [40, 30, 30], [50, 25, 25], [33.33, 33.33, 33.34]],
};

function nomineePlan(random: Random, ctx: NomineeContext, count: number): Array<{ relation: Nominee['relation']; age: number }> {
  const plan: Array<{ relation: Nominee['relation']; age: number }> = [];
  if (ctx.married) plan.push({ relation: 'SPOUSE', age: Math.max(18, ctx.ageYears + random.int(-6, 4)) });
  while (plan.length < count) {
    const childAge = ctx.ageYears - random.int(24, 34);
    if (ctx.married && childAge >= 1) plan.push({ relation: random.chance(0.5) ? 'SON' : 'DAUGHTER', age: childAge });
    else plan.push({ relation: random.pick(['FATHER', 'MOTHER', 'BROTHER', 'SISTER'] as const), age: Math.max(18, ctx.ageYears + random.int(-8, 30)) });
  }
  return plan.slice(0, count);
}

function createIdentifier(random: Random, ctx: NomineeContext, adult: boolean, initial: string): Nominee['identifier'] {
  const roll = random.float();
  if (!adult || roll < 0.4) return { type: 'AADHAAR_LAST4', value: random.digits(4) };
  if (roll < 0.9) return { type: 'PAN', value: createPersonPan(random, initial) };
  return { type: 'DL', value: `${ctx.stateCode}${String(random.int(1, 50)).padStart(2, '0')}${random.int(1995, 2023)}${random.digits(7)}` };
}

const pickNomineeCount = createWeighted<number>([[1, 60], [2, 30], [3, 10]]);

/** One to three nominees, with dates of birth by relation and a guardian for a minor child. */
export function createNominees(random: Random, ctx: NomineeContext): Nominee[] {
  const count = pickNomineeCount(random);
  const split = random.pick(shareSplits[count]!);
  const names = namesByRegion[ctx.region];
  return nomineePlan(random, ctx, count).map(({ relation, age }, i) => {
    const female = relation === 'DAUGHTER' || relation === 'MOTHER' || relation === 'SISTER' || (relation === 'SPOUSE' && ctx.clientGender === 'M');
    const first = random.pick(female ? names.female : names.male);
    const name = ctx.surname === undefined ? first : `${first} ${ctx.surname}`;
    const dob = fromEpochDay(ctx.todayDay - Math.floor(age * YEAR_DAYS) - random.int(1, 360));
    const guardian: Guardian | undefined = age < 18 ? { name: ctx.clientName, relation: ctx.clientGender === 'F' ? 'MOTHER' : 'FATHER' } : undefined;
    const nominee: Nominee = { name, relation, sharePct: split[i]!, identifier: createIdentifier(random, ctx, age >= 18, (ctx.surname ?? first)[0]!.toUpperCase()), dob };
    if (guardian !== undefined) nominee.guardian = guardian;
    return nominee;
  });
}
