// The one entry point of client-record validation: normalise, check every rule of DOMAIN.md §2,
// and either build the canonical record or list every problem of the row.
import { adultOnlySegments } from '../codes.ts';
import type { ClientRecord } from '../client-record.ts';
import { computeAge } from './dates.ts';
import { assignDefined, isObject, type Obj } from './read.ts';
import { addIssue, createIssues, type Issues, type ValidationIssue } from './rules.ts';
import { readAccounts, type AccountsDraft } from './validate-accounts.ts';
import { readAddresses, readContacts } from './validate-contacts.ts';
import { readIdentity, type IdentityDraft } from './validate-identity.ts';
import { readNomination } from './validate-nominees.ts';
import { readGovernance, readKra, readProfile } from './validate-profile.ts';

export type ValidationContext = {
  /** The date age and "not in the future" rules are judged on (ISO `YYYY-MM-DD`, India's date). */
  today: string;
};

export type ValidationResult =
  | { ok: true; record: ClientRecord; warnings: ValidationIssue[] }
  | { ok: false; errors: ValidationIssue[]; warnings: ValidationIssue[] };

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

// Individuals under 18 need a guardian and cannot have F&O or MTF active.
function checkAgeRules(individual: boolean, identity: IdentityDraft, accounts: AccountsDraft, issues: Issues, today: string): void {
  if (!individual || identity.dob === undefined) return;
  if (computeAge(identity.dob, today) >= 18) return;
  if (identity.guardian === undefined && !issues.errors.some((e) => e.field.startsWith('guardian'))) {
    addIssue(issues, 'guardian', 'dob.minor_without_guardian');
  }
  accounts.segments?.forEach((segment, index) => {
    if (segment.status === 'ACTIVE' && adultOnlySegments.has(segment.segment)) addIssue(issues, `segments[${index}]`, 'dob.under_18_segment');
  });
}

/**
 * Validates one client row (nested input, as from `mapRow` or JSON). Guarantees: never throws on
 * any input value; reports every error of the row, each naming the field (a dotted path such as
 * `banks[0].ifsc`) and a stable rule code; messages are fixed texts that never contain the input;
 * a full Aadhaar number never reaches the record (only its last four digits); an `ok` record
 * conforms to `ClientRecordSchema`. Warnings (PAN/surname mismatch, KRA hold) never reject.
 * Throws only for a malformed `context.today`, a programming error.
 */
export function validateClientRecord(input: unknown, context: ValidationContext): ValidationResult {
  const today = context.today;
  if (!isoDay.test(today)) throw new TypeError('validateClientRecord: context.today must be YYYY-MM-DD');
  const issues = createIssues();
  if (!isObject(input)) {
    addIssue(issues, '', 'record.not_object');
    return { ok: false, errors: issues.errors, warnings: issues.warnings };
  }
  const { individual, fields: identity } = readIdentity(input, issues, today);
  const nonResident = identity.residentialStatus === undefined ? undefined : identity.residentialStatus !== 'RESIDENT';
  const kra = readKra(input, issues, today);
  const contacts = readContacts(input, issues, nonResident ?? false);
  const addresses = readAddresses(input, issues);
  const profile = readProfile(input, issues);
  const accounts = readAccounts(input, issues, today, nonResident);
  const nomination = readNomination(input, issues, today, individual);
  const governance = readGovernance(input, issues);
  checkAgeRules(individual, identity, accounts, issues, today);
  if (issues.errors.length > 0) return { ok: false, errors: issues.errors, warnings: issues.warnings };
  // Every required field is present here: a missing one would have been an error above.
  const record: Obj = {};
  for (const part of [identity, kra, contacts, { addresses }, profile, accounts, nomination, governance]) assignDefined(record, part);
  return { ok: true, record: record as ClientRecord, warnings: issues.warnings };
}
