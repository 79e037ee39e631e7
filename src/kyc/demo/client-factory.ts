// One valid synthetic client. Every choice is drawn from the seeded generator, so a seed fixes the
// whole stream; the shape options let the noise layer ask for the kind of client a broken rule needs.
import type { ClientRecord, Consent } from '../client-record.ts';
import { encodeKraStatus, kraStatusNames, type Kra, type KraStatusSuffix } from '../kra-status.ts';
import { findStateByCode } from '../india-states.ts';
import { computeGstinCheckChar } from '../validate/gstin.ts';
import { fromEpochDay, timestampOn } from './calendar.ts';
import { createAadhaar, createBanks, createDemat, createNominees, createSegments } from './client-accounts.ts';
import { createIdentity, type Identity, type IdentityShape } from './client-identity.ts';
import { createEmail, createForeignAddress, createForeignMobile, createIndianAddress, createIndianMobile, pickCity } from './client-places.ts';
import { createWeighted, type Random } from './prng.ts';

/** A generated row: the record plus, sometimes, a full Aadhaar (which validation reduces to four digits). */
export type ClientInput = ClientRecord & { aadhaar?: string };

export type ClientShape = IdentityShape & { withNominees?: boolean; withEmail?: boolean; withMtf?: boolean; withAadhaar?: boolean };

export type FactoryContext = { random: Random; todayDay: number; panOffset: number; family: FamilyRing };

/** Recent adults whose mobile and email a spouse, child or parent may share. */
export type FamilyRing = { entries: Array<{ mobile: string; email?: string; surname?: string; cityIndex: number; fatherName: string }>; next: number };

/** An empty ring; it keeps the last 256 resident adults, so memory stays flat. */
export function createFamilyRing(): FamilyRing {
  return { entries: [], next: 0 };
}

function remember(ring: FamilyRing, entry: FamilyRing['entries'][number]): void {
  if (ring.entries.length < 256) ring.entries.push(entry);
  else ring.entries[ring.next] = entry;
  ring.next = (ring.next + 1) % 256;
}

const pickKra = createWeighted<Kra>([['CVL', 55], ['NDML', 20], ['CAMS', 10], ['KFIN', 10], ['DOTEX', 5]]);
const pickStatus = createWeighted<string>([['07', 55], ['02', 24], ['01', 6], ['12', 4], ['11', 2], ['03', 4], ['13', 1], ['04', 1], ['05', 1], ['06', 1], ['14', 1]]);
const pickKycMode = createWeighted<ClientRecord['kycMode']>([[0, 20], [1, 30], [2, 3], [3, 25], [4, 7], [5, 12], [6, 3]]);
const pickIncome = createWeighted<NonNullable<ClientRecord['incomeRange']>>([['01', 12], ['02', 38], ['03', 24], ['04', 15], ['05', 8], ['06', 3]]);

function createKra(random: Random, todayDay: number, openDay: number): Pick<ClientRecord, 'kra' | 'kraStatus' | 'kraStatusDate' | 'kycMode'> {
  const kra = pickKra(random);
  const suffix = pickStatus(random);
  const existing = suffix.startsWith('1');
  const status = kraStatusNames[(existing ? `0${suffix[1]}` : suffix) as KraStatusSuffix];
  // Holds are mostly stale: raised years ago and never cleared.
  const statusDay = status === 'ON_HOLD' ? todayDay - random.int(700, 2000) : Math.min(todayDay, openDay + random.int(-20, 200));
  return { kra, kraStatus: encodeKraStatus(kra, status, existing), kraStatusDate: fromEpochDay(statusDay), kycMode: pickKycMode(random) };
}

function createGstin(random: Random, pan: string, stateCode: string): string {
  const first14 = `${findStateByCode(stateCode)?.gstCode ?? '27'}${pan}${random.int(1, 3)}Z`;
  return `${first14}${computeGstinCheckChar(first14)}`;
}

function createConsents(random: Random, openDay: number, todayDay: number): Consent[] {
  const at = (day: number) => timestampOn(Math.min(day, todayDay), random.int(9 * 3600, 20 * 3600));
  const out: Consent[] = [{ purpose: 'KYC_PROCESSING', channel: 'ALL', givenAt: at(openDay) }];
  if (random.chance(0.6)) out.push({ purpose: 'TRADE_ALERTS', channel: 'WHATSAPP', givenAt: at(openDay + 1) });
  if (random.chance(0.3)) {
    const consent: Consent = { purpose: 'MARKETING', channel: 'SMS', givenAt: at(openDay) };
    if (random.chance(0.2)) consent.withdrawnAt = at(openDay + random.int(30, 300));
    out.push(consent);
  }
  return out;
}

/** A valid client with sequence number `seq` (unique client code and PAN per sequence number). */
export function createClient(ctx: FactoryContext, seq: number, shape: ClientShape = {}): ClientInput {
  const identity = createIdentity(ctx, seq, shape);
  const record = assemble(ctx, identity, shape);
  if (identity.individual && !identity.minor && identity.residentialStatus === 'RESIDENT') {
    remember(ctx.family, { mobile: record.mobile.number, email: record.email?.address, surname: identity.name.last, cityIndex: identity.cityIndex, fatherName: identity.fullName });
  }
  return record;
}

function createContacts(ctx: FactoryContext, identity: Identity, shape: ClientShape): Pick<ClientRecord, 'mobile' | 'email'> {
  const { random } = ctx;
  const familyEntry = identity.family?.entry;
  const relation: ClientRecord['mobile']['relation'] = identity.family?.relation ?? 'SELF';
  const mobile = familyEntry !== undefined
    ? { number: familyEntry.mobile, relation }
    : { number: identity.foreign !== undefined && random.chance(0.5) ? createForeignMobile(random, identity.foreign) : createIndianMobile(random), relation: 'SELF' as const };
  const wantEmail = shape.withEmail ?? random.chance(0.92);
  if (!wantEmail) return { mobile };
  const email = familyEntry?.email !== undefined
    ? { address: familyEntry.email, relation }
    : { address: createEmail(random, identity.name.first, identity.name.last, identity.seq), relation: 'SELF' as const };
  return { mobile, email };
}

// Non-residents live abroad (foreign nationals entirely), most residents keep one address for both.
function createAddresses(random: Random, identity: Identity): ClientRecord['addresses'] {
  const home = createIndianAddress(random, identity.city);
  const abroad = identity.foreign === undefined ? undefined : createForeignAddress(random, identity.foreign);
  const foreignNational = identity.residentialStatus === 'FOREIGN_NATIONAL';
  const correspondence = abroad !== undefined && (foreignNational || random.chance(0.6)) ? abroad : home;
  const permanent = foreignNational ? abroad : random.chance(0.7) ? home : random.chance(0.66) ? createIndianAddress(random, pickCity(random)) : undefined;
  return permanent === undefined ? { correspondence } : { correspondence, permanent };
}

function createFatca(random: Random, identity: Identity): ClientRecord['fatca'] {
  const country = identity.foreign?.country;
  if (country === undefined) return { applicable: false, taxResidencies: [] };
  return { applicable: country === 'US' || random.chance(0.5), taxResidencies: [{ country, taxId: `${random.letters(2)}${random.digits(7)}` }] };
}

function assemble(ctx: FactoryContext, identity: Identity, shape: ClientShape): ClientInput {
  const { random, todayDay } = ctx;
  const segments = createSegments(random, identity.openDay, todayDay, identity.minor || !identity.individual);
  if (shape.withMtf && !segments.some((s) => s.segment === 'MTF')) segments.push({ segment: 'MTF', status: 'ACTIVE', activatedOn: fromEpochDay(identity.openDay) });
  const mtf = segments.find((s) => s.segment === 'MTF');
  const wantNominees = identity.individual && !identity.minor && (shape.withNominees ?? random.chance(0.75));
  const pep: ClientRecord['pep'] = random.chance(0.995) ? 'NA' : random.chance(0.6) ? 'PEP' : 'RPEP';
  const { fields, city } = identity;
  const record: ClientInput = {
    ...fields,
    ...createKra(random, todayDay, identity.openDay),
    ...createContacts(ctx, identity, shape),
    addresses: createAddresses(random, identity),
    occupation: identity.occupation,
    incomeRange: identity.minor ? '01' : pickIncome(random),
    pep,
    fatca: createFatca(random, identity),
    banks: createBanks(random, identity.residentialStatus !== 'RESIDENT', !identity.individual),
    demat: createDemat(random),
    segments,
    nominees: wantNominees ? createNominees(random, {
      region: city.region, surname: identity.name.last, ageYears: identity.ageYears, married: fields.maritalStatus === 'MARRIED',
      clientGender: fields.gender ?? 'M', clientName: identity.fullName, stateCode: city.stateCode, todayDay,
    }) : [],
    nominationOptOut: identity.individual && !wantNominees,
    riskCategory: pep === 'NA' ? identity.riskCategory : 'H',
    consents: createConsents(random, identity.openDay, todayDay),
    source: { system: 'KRA', version: random.int(1, 3), asOf: timestampOn(todayDay - random.int(0, 20), random.int(0, 86_399)) },
  };
  if (mtf !== undefined) record.mtfAgreementDate = mtf.activatedOn ?? fromEpochDay(identity.openDay);
  if (!identity.individual && random.chance(0.7)) record.gstin = createGstin(random, fields.pan, city.stateCode);
  if (identity.residentialStatus === 'RESIDENT' && identity.individual) addAadhaar(random, record, shape.withAadhaar);
  return record;
}

// Residents: most have the last four on file, some sources send the full number (reduced on ingest).
function addAadhaar(random: Random, record: ClientInput, force: boolean | undefined): void {
  const roll = force ? 0.7 : random.float();
  if (roll < 0.6) record.aadhaarLast4 = random.digits(4);
  else if (roll < 0.85) record.aadhaar = createAadhaar(random);
}
