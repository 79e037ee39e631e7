// Nomination: up to ten nominees whose shares add up to 100, each identified and, when a minor,
// with a guardian; or an explicit opt-out. Individuals must choose one of the two.
import { maxNominees, nomineeIdentifierTypes, nomineeRelations } from '../codes.ts';
import type { Nominee } from '../client-record.ts';
import { computeAge } from './dates.ts';
import { validateAadhaar, validateDrivingLicence, validatePan, type Checked } from './identifiers.ts';
import { readGuardian, readName } from './people.ts';
import { dropUndefined, get, readBoolean, readChecked, readDate, readList, readNumber, readObject, readString, type Obj } from './read.ts';
import { addIssue, type Issues } from './rules.ts';
import { normalizeCode, normalizeIdentifier } from './text.ts';

type IdentifierType = (typeof nomineeIdentifierTypes)[number];

// AADHAAR_LAST4 also takes a full (or masked) Aadhaar, which is reduced like the client's.
function checkIdentifier(type: IdentifierType, raw: string): Checked {
  if (type === 'PAN') return validatePan(raw);
  if (type === 'DL') return validateDrivingLicence(raw);
  const digits = normalizeIdentifier(raw);
  return /^[0-9]{4}$/.test(digits) ? { ok: true, value: digits } : validateAadhaar(raw);
}

function readIdentifier(value: unknown, field: string, issues: Issues): Nominee['identifier'] | undefined {
  const obj = readObject(value, field, issues, true);
  if (obj === undefined) return undefined;
  let typeText = readString(get(obj, 'type'), `${field}.type`, issues, true, normalizeCode);
  if (typeText === 'AADHAAR') typeText = 'AADHAAR_LAST4';
  if (typeText !== undefined && !(nomineeIdentifierTypes as readonly string[]).includes(typeText)) {
    addIssue(issues, `${field}.type`, 'field.enum');
    return undefined;
  }
  if (typeText === undefined) return undefined;
  const type = typeText as IdentifierType;
  const identifierValue = readChecked(obj, 'value', `${field}.value`, issues, true, (raw) => checkIdentifier(type, raw));
  return identifierValue === undefined ? undefined : { type, value: identifierValue };
}

function readNominee(value: unknown, field: string, issues: Issues, today: string): { nominee?: Nominee; sharePct?: number } {
  const obj = readObject(value, field, issues, true);
  if (obj === undefined) return {};
  const errorsBefore = issues.errors.length;
  const name = readName(get(obj, 'name'), `${field}.name`, issues, true);
  const relationText = readString(get(obj, 'relation'), `${field}.relation`, issues, true, normalizeCode);
  if (relationText !== undefined && !(nomineeRelations as readonly string[]).includes(relationText)) addIssue(issues, `${field}.relation`, 'field.enum');
  const sharePct = readNumber(get(obj, 'sharePct'), `${field}.sharePct`, issues, true);
  if (sharePct !== undefined && !(sharePct > 0 && sharePct <= 100)) addIssue(issues, `${field}.sharePct`, 'nominees.share_range');
  const identifier = readIdentifier(get(obj, 'identifier'), `${field}.identifier`, issues);
  const dob = readDate(get(obj, 'dob'), `${field}.dob`, issues, today, false);
  const guardian = readGuardian(get(obj, 'guardian'), `${field}.guardian`, issues, false);
  if (dob !== undefined && computeAge(dob, today) < 18 && guardian === undefined && !issues.errors.some((e) => e.field.startsWith(`${field}.guardian`))) {
    addIssue(issues, `${field}.guardian`, 'nominees.minor_without_guardian');
  }
  if (issues.errors.length > errorsBefore) return { sharePct };
  const nominee = dropUndefined({ name: name!, relation: relationText as Nominee['relation'], sharePct: sharePct!, identifier: identifier!, dob, guardian });
  return { nominee, sharePct };
}

/** Nominees and the opt-out flag, with the share, count and choice rules. */
export function readNomination(input: Obj, issues: Issues, today: string, individual: boolean): { nominees?: Nominee[]; nominationOptOut?: boolean } {
  const entries = readList(get(input, 'nominees'), 'nominees', issues);
  const optOut = readBoolean(get(input, 'nominationOptOut'), 'nominationOptOut', issues, false) ?? false;
  const errorsBefore = issues.errors.length;
  if (entries.length > maxNominees) addIssue(issues, 'nominees', 'nominees.too_many');
  const read = entries.slice(0, maxNominees).map((entry) => readNominee(entry.value, entry.path, issues, today));
  const shares = read.map((r) => r.sharePct);
  // The sum is judged whenever every share could be read, even if another nominee field is bad
  // (but not over a list already too long: which ten would count is anyone's guess).
  if (shares.length > 0 && entries.length <= maxNominees && shares.every((share) => share !== undefined)) {
    const total = shares.reduce((sum, share) => sum + share, 0);
    if (Math.abs(total - 100) > 0.005) addIssue(issues, 'nominees', 'nominees.share_sum');
  }
  if (entries.length > 0 && optOut) addIssue(issues, 'nominationOptOut', 'nomination.conflict');
  if (individual && entries.length === 0 && !optOut) addIssue(issues, 'nominees', 'nomination.required');
  if (issues.errors.length > errorsBefore) return {};
  return { nominees: read.map((r) => r.nominee!), nominationOptOut: optOut };
}
