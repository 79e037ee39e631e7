// KRA status, profile (occupation, income, PEP, FATCA) and governance (risk, consents, source).
import { consentChannels, incomeRanges, kras, occupationCodes, pepStatuses, riskCategories } from '../codes.ts';
import type { ClientRecord, Consent } from '../client-record.ts';
import { decodeKraStatus, type Kra } from '../kra-status.ts';
import { limits, patterns } from '../patterns.ts';
import { dropUndefined, get, isBlank, readBoolean, readDate, readEnum, readInteger, readList, readObject, readString, readTimestamp, type Obj } from './read.ts';
import { addIssue, type Issues } from './rules.ts';
import { normalizeCode, normalizeIdentifier } from './text.ts';

// Spreadsheets drop leading zeros: 7 was "007", 1 was "01".
function readDigitCode(value: unknown, field: string, issues: Issues, width: number, required: boolean): string | undefined {
  const text = readString(value, field, issues, required, normalizeIdentifier);
  return text !== undefined && /^\d+$/.test(text) && text.length < width ? text.padStart(width, '0') : text;
}

/** KRA, status code (consistent with the KRA), status date and KYC mode; a hold is a warning. */
export function readKra(input: Obj, issues: Issues, today: string): Partial<Pick<ClientRecord, 'kra' | 'kraStatus' | 'kraStatusDate' | 'kycMode'>> {
  const statusText = readDigitCode(get(input, 'kraStatus'), 'kraStatus', issues, 3, true);
  const decoded = statusText === undefined ? null : decodeKraStatus(statusText);
  if (statusText !== undefined && decoded === null) addIssue(issues, 'kraStatus', 'kra_status.format');
  // A feed that sends only the status code still names the KRA: its first digit.
  const kraRaw = get(input, 'kra');
  const kra: Kra | undefined = isBlank(kraRaw) ? decoded?.kra : readEnum(kraRaw, 'kra', issues, kras, false);
  if (kra !== undefined && decoded !== null && decoded.kra !== kra) addIssue(issues, 'kraStatus', 'kra_status.kra_mismatch');
  if (decoded?.onHold) addIssue(issues, 'kraStatus', 'kra_status.on_hold');
  const kycMode = readInteger(get(input, 'kycMode'), 'kycMode', issues, true, 'kyc_mode.range');
  if (kycMode !== undefined && !(kycMode >= 0 && kycMode <= 6)) addIssue(issues, 'kycMode', 'kyc_mode.range');
  return {
    kra,
    kraStatus: decoded === null ? undefined : statusText,
    kraStatusDate: readDate(get(input, 'kraStatusDate'), 'kraStatusDate', issues, today, false),
    kycMode: kycMode as ClientRecord['kycMode'] | undefined,
  };
}

function readCodeIn<T extends string>(value: unknown, field: string, issues: Issues, allowed: readonly T[], width: number): T | undefined {
  const code = readDigitCode(value, field, issues, width, false);
  if (code === undefined) return undefined;
  if ((allowed as readonly string[]).includes(code)) return code as T;
  addIssue(issues, field, 'field.enum');
  return undefined;
}

function readFatca(input: Obj, issues: Issues): ClientRecord['fatca'] {
  const obj = readObject(get(input, 'fatca'), 'fatca', issues, false) ?? {};
  const applicable = readBoolean(get(obj, 'applicable'), 'fatca.applicable', issues, false) ?? false;
  const taxResidencies: ClientRecord['fatca']['taxResidencies'] = [];
  for (const entry of readList(get(obj, 'taxResidencies'), 'fatca.taxResidencies', issues)) {
    const residency = readObject(entry.value, entry.path, issues, true);
    if (residency === undefined) continue;
    const country = readString(get(residency, 'country'), `${entry.path}.country`, issues, true, normalizeCode);
    if (country !== undefined && !patterns.countryCode.test(country)) addIssue(issues, `${entry.path}.country`, 'country.format');
    const taxId = readString(get(residency, 'taxId'), `${entry.path}.taxId`, issues, false, normalizeIdentifier);
    if (taxId !== undefined && taxId.length > limits.taxIdLength) addIssue(issues, `${entry.path}.taxId`, 'field.too_long');
    if (country !== undefined) taxResidencies.push(dropUndefined({ country, taxId }));
  }
  return { applicable, taxResidencies };
}

/** Occupation and income codes, PEP status (required) and FATCA (not applicable when absent). */
export function readProfile(input: Obj, issues: Issues): Partial<Pick<ClientRecord, 'occupation' | 'incomeRange' | 'pep' | 'fatca'>> {
  return {
    occupation: readCodeIn(get(input, 'occupation'), 'occupation', issues, occupationCodes, 2),
    incomeRange: readCodeIn(get(input, 'incomeRange'), 'incomeRange', issues, incomeRanges, 2),
    pep: readEnum(get(input, 'pep'), 'pep', issues, pepStatuses, true),
    fatca: readFatca(input, issues),
  };
}

function readConsent(value: unknown, field: string, issues: Issues): Consent | undefined {
  const obj = readObject(value, field, issues, true);
  if (obj === undefined) return undefined;
  const purpose = readString(get(obj, 'purpose'), `${field}.purpose`, issues, true, normalizeCode)?.replace(/ /g, '_');
  if (purpose !== undefined && !patterns.purpose.test(purpose)) addIssue(issues, `${field}.purpose`, 'consent.purpose_format');
  const channel = readEnum(get(obj, 'channel'), `${field}.channel`, issues, consentChannels, false) ?? 'ALL';
  const givenAt = readTimestamp(get(obj, 'givenAt'), `${field}.givenAt`, issues, true);
  const withdrawnAt = readTimestamp(get(obj, 'withdrawnAt'), `${field}.withdrawnAt`, issues, false);
  if (givenAt !== undefined && withdrawnAt !== undefined && withdrawnAt < givenAt) {
    addIssue(issues, `${field}.withdrawnAt`, 'consent.withdrawn_before_given');
  }
  if (purpose === undefined || givenAt === undefined) return undefined;
  return dropUndefined({ purpose, channel, givenAt, withdrawnAt });
}

function readSource(input: Obj, issues: Issues): ClientRecord['source'] | undefined {
  const obj = readObject(get(input, 'source'), 'source', issues, true);
  if (obj === undefined) return undefined;
  const system = readString(get(obj, 'system'), 'source.system', issues, true, normalizeCode);
  if (system !== undefined && system.length > limits.sourceSystemLength) addIssue(issues, 'source.system', 'field.too_long');
  const version = readInteger(get(obj, 'version'), 'source.version', issues, true, 'source.version');
  if (version !== undefined && version < 1) addIssue(issues, 'source.version', 'source.version');
  const asOf = readTimestamp(get(obj, 'asOf'), 'source.asOf', issues, true);
  if (system === undefined || version === undefined || asOf === undefined) return undefined;
  return { system, version, asOf };
}

/** Risk category (required), consents and the source {system, version, asOf} (required). */
export function readGovernance(input: Obj, issues: Issues): Partial<Pick<ClientRecord, 'riskCategory' | 'consents' | 'source'>> {
  const consents = readList(get(input, 'consents'), 'consents', issues)
    .map((entry) => readConsent(entry.value, entry.path, issues))
    .filter((consent) => consent !== undefined);
  return {
    riskCategory: readEnum(get(input, 'riskCategory'), 'riskCategory', issues, riskCategories, true),
    consents,
    source: readSource(input, issues),
  };
}
