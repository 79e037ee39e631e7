// Accounts: bank accounts (one primary, types matching residency), demat accounts, segments and
// the MTF agreement an active MTF segment needs.
import { bankAccountTypes, depositories, segmentCodes, segmentStatuses } from '../codes.ts';
import type { Bank, ClientRecord, Demat, Segment } from '../client-record.ts';
import { validateBankAccount, validateBoId, validateIfsc } from './identifiers.ts';
import { dropUndefined, get, readBoolean, readChecked, readDate, readEnum, readList, readObject, type Obj } from './read.ts';
import { addIssue, type Issues } from './rules.ts';

export type AccountsDraft = Partial<Pick<ClientRecord, 'banks' | 'demat' | 'segments' | 'mtfAgreementDate'>>;

type BankDraft = Partial<Bank>;

function readBank(value: unknown, field: string, issues: Issues): BankDraft {
  const obj = readObject(value, field, issues, true);
  if (obj === undefined) return {};
  return {
    ifsc: readChecked(obj, 'ifsc', `${field}.ifsc`, issues, true, validateIfsc),
    accountNumber: readChecked(obj, 'accountNumber', `${field}.accountNumber`, issues, true, validateBankAccount),
    type: readEnum(get(obj, 'type'), `${field}.type`, issues, bankAccountTypes, true),
    primary: readBoolean(get(obj, 'primary'), `${field}.primary`, issues, false),
  };
}

// At least one bank; exactly one primary (a lone account with no flag is the primary); NRE/NRO for
// non-residents only, SB/CA for residents only.
function readBanks(input: Obj, issues: Issues, nonResident: boolean | undefined): Bank[] | undefined {
  const raw = get(input, 'banks');
  const entries = readList(raw, 'banks', issues);
  if (entries.length === 0) {
    if (raw === undefined || raw === null || raw === '' || Array.isArray(raw)) addIssue(issues, 'banks', 'field.required');
    return undefined;
  }
  const errorsBefore = issues.errors.length;
  const banks = entries.map((entry) => readBank(entry.value, entry.path, issues));
  banks.forEach((bank, index) => {
    if (bank.type === undefined || nonResident === undefined) return;
    const nriType = bank.type === 'NRE' || bank.type === 'NRO';
    if (nriType !== nonResident) addIssue(issues, `${entries[index]!.path}.type`, 'banks.type_residency');
  });
  const lone = banks.length === 1 && banks[0]!.primary === undefined;
  if (!lone && banks.filter((bank) => bank.primary === true).length !== 1) addIssue(issues, 'banks', 'banks.primary');
  if (issues.errors.length > errorsBefore) return undefined;
  return banks.map((bank) => ({ ifsc: bank.ifsc!, accountNumber: bank.accountNumber!, type: bank.type!, primary: lone || bank.primary === true }));
}

function readDemat(input: Obj, issues: Issues): Demat[] | undefined {
  const out: Demat[] = [];
  let ok = true;
  for (const entry of readList(get(input, 'demat'), 'demat', issues)) {
    const obj = readObject(entry.value, entry.path, issues, true);
    if (obj === undefined) { ok = false; continue; }
    const depository = readEnum(get(obj, 'depository'), `${entry.path}.depository`, issues, depositories, true);
    const boId = depository === undefined ? undefined
      : readChecked(obj, 'boId', `${entry.path}.boId`, issues, true, (raw) => validateBoId(depository, raw));
    const ddpi = readBoolean(get(obj, 'ddpi'), `${entry.path}.ddpi`, issues, false) ?? false;
    if (depository === undefined || boId === undefined) ok = false;
    else out.push({ depository, boId, ddpi });
  }
  return ok ? out : undefined;
}

function readSegments(input: Obj, issues: Issues, today: string): Segment[] | undefined {
  const out: Segment[] = [];
  const seen = new Set<string>();
  let ok = true;
  for (const entry of readList(get(input, 'segments'), 'segments', issues)) {
    const obj = readObject(entry.value, entry.path, issues, true);
    if (obj === undefined) { ok = false; continue; }
    const segment = readEnum(get(obj, 'segment'), `${entry.path}.segment`, issues, segmentCodes, true);
    const status = readEnum(get(obj, 'status'), `${entry.path}.status`, issues, segmentStatuses, false) ?? 'ACTIVE';
    const activatedOn = readDate(get(obj, 'activatedOn'), `${entry.path}.activatedOn`, issues, today, false);
    if (segment !== undefined && seen.has(segment)) addIssue(issues, `${entry.path}.segment`, 'segments.duplicate');
    if (segment === undefined || seen.has(segment)) { ok = false; continue; }
    seen.add(segment);
    out.push(dropUndefined({ segment, status, activatedOn }));
  }
  return ok ? out : undefined;
}

/** Banks, demat accounts, segments and the MTF agreement date; `nonResident` undefined when unknown. */
export function readAccounts(input: Obj, issues: Issues, today: string, nonResident: boolean | undefined): AccountsDraft {
  const segments = readSegments(input, issues, today);
  const mtfAgreementDate = readDate(get(input, 'mtfAgreementDate'), 'mtfAgreementDate', issues, today, false);
  const mtfActive = segments?.some((s) => s.segment === 'MTF' && s.status === 'ACTIVE') ?? false;
  if (mtfActive && mtfAgreementDate === undefined && !issues.errors.some((e) => e.field === 'mtfAgreementDate')) {
    addIssue(issues, 'mtfAgreementDate', 'mtf.agreement_missing');
  }
  return { banks: readBanks(input, issues, nonResident), demat: readDemat(input, issues), segments, mtfAgreementDate };
}
