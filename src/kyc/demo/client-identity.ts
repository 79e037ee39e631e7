// Who a synthetic client is: holder type, region-appropriate names, age, residency, PAN and client
// code (both unique per sequence number), guardian for a minor.
import type { ClientRecord, Guardian, PersonNameParts } from '../client-record.ts';
import { YEAR_DAYS, fromEpochDay } from './calendar.ts';
import { createPersonPan } from './client-accounts.ts';
import type { FactoryContext, FamilyRing } from './client-factory.ts';
import type { ForeignPlace } from './client-places.ts';
import { cities, entityStems, entitySuffixes, foreignPlaces, namesByRegion, type City, type RegionNames } from './indian-data.ts';
import { createWeighted, type Random } from './prng.ts';

export type IdentityShape = { holder?: string; minor?: boolean; residency?: ClientRecord['residentialStatus'] };

export type FamilyLink = { entry: FamilyRing['entries'][number]; relation: 'SPOUSE' | 'DEPENDENT_CHILD' | 'DEPENDENT_PARENT' };

export type Identity = {
  seq: number;
  /** A recent client whose mobile (and email) this one shares, and how they are related. */
  family?: FamilyLink;
  individual: boolean;
  minor: boolean;
  ageYears: number;
  openDay: number;
  city: City;
  cityIndex: number;
  foreign?: ForeignPlace;
  residentialStatus: ClientRecord['residentialStatus'];
  name: PersonNameParts;
  fullName: string;
  occupation: NonNullable<ClientRecord['occupation']>;
  riskCategory: ClientRecord['riskCategory'];
  fields: Pick<ClientRecord, 'clientCode' | 'pan' | 'name' | 'fatherOrSpouseName' | 'gender' | 'dob' | 'maritalStatus' | 'nationality' | 'residentialStatus' | 'ckycKin' | 'guardian'>;
};

const pickCityIndex = createWeighted(cities.map((city, i) => [i, city.weight] as const));
const pickEntityHolder = createWeighted<string>([['C', 40], ['F', 25], ['H', 20], ['T', 10], ['A', 5]]);
const pickAdultAge = createWeighted<readonly [number, number]>([[[21, 40], 55], [[41, 60], 30], [[18, 20], 5], [[61, 80], 10]]);
const pickOccupation = createWeighted<Identity['occupation']>([['01', 40], ['03', 20], ['04', 12], ['02', 8], ['10', 6], ['05', 4], ['99', 5], ['09', 0.2]]);
const PAN_SPACE = 175_760_000; // 26^3 letter triples × 10^4 digit blocks

// Letters 1-3 and the digits of a PAN from the sequence number: a bijection (7919 is coprime with
// the space), so two clients never share a PAN however many are generated (up to 175 million).
function createPan(ctx: FactoryContext, seq: number, holder: string, fifth: string): string {
  const n = (seq * 7919 + ctx.panOffset) % PAN_SPACE;
  const triple = Math.floor(n / 10_000);
  const letters = String.fromCharCode(65 + Math.floor(triple / 676), 65 + (Math.floor(triple / 26) % 26), 65 + (triple % 26));
  return `${letters}${holder}${fifth}${String(n % 10_000).padStart(4, '0')}${ctx.random.letters(1)}`;
}

function pickResidency(random: Random, shape: IdentityShape, individual: boolean): ClientRecord['residentialStatus'] {
  if (shape.residency !== undefined) return shape.residency;
  if (!individual || shape.minor) return 'RESIDENT';
  const roll = random.float();
  return roll < 0.04 ? 'NRI' : roll < 0.043 ? 'FOREIGN_NATIONAL' : 'RESIDENT';
}

function pickMiddle(random: Random, region: string, male: boolean, fatherFirst: string): string | undefined {
  if (region === 'WEST' && random.chance(0.6)) return fatherFirst; // Maharashtrian/Gujarati style: the father's name
  if ((region === 'NORTH' || region === 'EAST') && male && random.chance(0.18)) return random.pick(['Kumar', 'Prasad', 'Chandra']);
  return undefined;
}

function pickPersonOccupation(random: Random, age: number, female: boolean, married: boolean): Identity['occupation'] {
  if (age < 18 || (age < 23 && random.chance(0.6))) return '08';
  if (age > 60 && random.chance(0.6)) return '06';
  if (female && married && random.chance(0.25)) return '07';
  return pickOccupation(random);
}

type Person = { name: PersonNameParts; gender: 'M' | 'F' | 'T'; fatherOrSpouseName: string; maritalStatus: ClientRecord['maritalStatus']; age: number };

function createPerson(random: Random, names: RegionNames, region: string, minor: boolean, link: FamilyLink | undefined): Person {
  const family = link?.entry;
  const age = minor ? random.int(3, 17) : random.int(...pickAdultAge(random));
  const genderRoll = random.float();
  const gender = genderRoll < 0.58 ? 'M' : genderRoll < 0.99 ? 'F' : 'T';
  const female = gender === 'F' || (gender === 'T' && random.chance(0.5));
  const surname = family !== undefined ? family.surname : region === 'SOUTH' && random.chance(0.12) ? undefined : random.pick(names.surnames);
  const fatherFirst = random.pick(names.male);
  const maritalStatus = link?.relation === 'SPOUSE' ? 'MARRIED'
    : age < 23 ? (random.chance(0.9) ? 'UNMARRIED' : 'MARRIED') : random.chance(0.78) ? 'MARRIED' : random.chance(0.8) ? 'UNMARRIED' : 'OTHER';
  const middle = pickMiddle(random, region, !female, fatherFirst);
  const name: PersonNameParts = { first: random.pick(female ? names.female : names.male) };
  if (middle !== undefined) name.middle = middle;
  if (surname !== undefined) name.last = surname;
  const spouse = female && maritalStatus === 'MARRIED' && random.chance(0.7);
  const relative = spouse ? random.pick(names.male) : fatherFirst;
  // A minor's father, or the spouse whose mobile is shared, is the family client themselves.
  const fatherOrSpouseName = family !== undefined && (minor || link?.relation === 'SPOUSE') ? family.fatherName
    : surname === undefined ? relative : `${relative} ${surname}`;
  return { name, gender, fatherOrSpouseName, maritalStatus: minor ? 'UNMARRIED' : maritalStatus, age };
}

function createEntityName(random: Random, holder: string, names: RegionNames): string {
  if (holder === 'H') return `${random.pick(names.male)} ${random.pick(names.surnames)} HUF`;
  const kind = random.pick(['Investments', 'Traders', 'Holdings', 'Enterprises', 'Capital']);
  return `${random.pick(entityStems)} ${kind} ${random.pick(entitySuffixes[holder] ?? ['Limited'])}`;
}

function pickOpenDay(random: Random, todayDay: number, ageDays: number, adult: boolean): number {
  const maxBack = Math.max(10, Math.min(2900, ageDays - (adult ? Math.ceil(18 * YEAR_DAYS) + 1 : 30)));
  return todayDay - random.int(Math.min(10, maxBack), maxBack);
}

// Most minors use a parent's mobile; a few adults share a spouse's or a child's.
function pickFamily(random: Random, ring: FamilyRing, individual: boolean, resident: boolean, minor: boolean): FamilyLink | undefined {
  if (!individual || !resident || ring.entries.length === 0 || !random.chance(minor ? 0.8 : 0.03)) return undefined;
  const relation = minor ? 'DEPENDENT_CHILD' : random.chance(0.6) ? 'SPOUSE' : 'DEPENDENT_PARENT';
  return { entry: random.pick(ring.entries), relation };
}

/** The identity part of a client, sometimes a relative of a recent client (same surname, city, mobile). */
export function createIdentity(ctx: FactoryContext, seq: number, shape: IdentityShape): Identity {
  const { random, todayDay } = ctx;
  const holder = shape.holder ?? (random.chance(0.04) ? pickEntityHolder(random) : 'P');
  const individual = holder === 'P';
  const residentialStatus = pickResidency(random, shape, individual);
  const minor = individual && residentialStatus === 'RESIDENT' && (shape.minor ?? random.chance(0.02));
  const family = pickFamily(random, ctx.family, individual, residentialStatus === 'RESIDENT', minor);
  const cityIndex = family?.entry.cityIndex ?? pickCityIndex(random);
  const city = cities[cityIndex]!;
  const names = namesByRegion[city.region];
  const foreign = residentialStatus === 'RESIDENT' ? undefined : random.pick(foreignPlaces);
  const person = individual ? createPerson(random, names, city.region, minor, family) : undefined;
  const entityName = individual ? undefined : createEntityName(random, holder, names);
  const name: PersonNameParts = person?.name ?? { first: entityName! };
  const ageYears = person?.age ?? random.int(2, 40);
  const ageDays = Math.floor(ageYears * YEAR_DAYS) + random.int(1, 360);
  const initial = (name.last ?? name.first)[0]!.toUpperCase();
  const fifth = individual && random.chance(0.02) ? String.fromCharCode(65 + ((initial.charCodeAt(0) - 64) % 26)) : initial;
  const fullName = [name.first, name.middle, name.last].filter(Boolean).join(' ');
  const fields: Identity['fields'] = {
    clientCode: `${name.first[0]!.toUpperCase()}${initial}${100_000 + seq}`,
    pan: createPan(ctx, seq, holder, fifth),
    name,
    dob: fromEpochDay(todayDay - ageDays),
    nationality: residentialStatus === 'FOREIGN_NATIONAL' ? foreign!.country : 'IN',
    residentialStatus,
  };
  if (person !== undefined) Object.assign(fields, { fatherOrSpouseName: person.fatherOrSpouseName, gender: person.gender, maritalStatus: person.maritalStatus });
  if (random.chance(0.5)) fields.ckycKin = `${random.int(1, 9)}${random.digits(13)}`;
  if (minor && person !== undefined) fields.guardian = { name: person.fatherOrSpouseName, relation: 'FATHER', pan: createPersonPan(random, initial) } satisfies Guardian;
  const married = person?.maritalStatus === 'MARRIED';
  return {
    seq, family, individual, minor, ageYears, city, cityIndex, foreign, residentialStatus, name, fullName, fields,
    openDay: pickOpenDay(random, todayDay, ageDays, !minor),
    occupation: person ? pickPersonOccupation(random, ageYears, person.gender === 'F', married) : '03',
    riskCategory: residentialStatus !== 'RESIDENT' ? 'M' : random.chance(0.7) ? 'L' : random.chance(0.83) ? 'M' : 'H',
  };
}
