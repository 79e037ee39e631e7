// Identity fields: client code, PAN and holder type, name, demographics, Aadhaar (reduced to the
// last four digits), CKYC KIN, GSTIN and the guardian of a minor.
import { genders, maritalStatuses, residentialStatuses } from '../codes.ts';
import type { Guardian, PersonNameParts } from '../client-record.ts';
import { patterns } from '../patterns.ts';
import { validateAadhaar, validateCkycKin, validateGstin, validatePan, isIndividualPan, isPanSurnameConsistent } from './identifiers.ts';
import { readGuardian, readName, readNameParts } from './people.ts';
import { get, isBlank, readChecked, readDate, readEnum, readString, type Obj } from './read.ts';
import { addIssue, type Issues } from './rules.ts';
import { normalizeCode, normalizeIdentifier } from './text.ts';

export type IdentityDraft = {
  clientCode?: string;
  pan?: string;
  name?: PersonNameParts;
  fatherOrSpouseName?: string;
  gender?: (typeof genders)[number];
  dob?: string;
  maritalStatus?: (typeof maritalStatuses)[number];
  nationality?: string;
  residentialStatus?: (typeof residentialStatuses)[number];
  aadhaarLast4?: string;
  ckycKin?: string;
  gstin?: string;
  guardian?: Guardian;
};

function readClientCode(input: Obj, issues: Issues): string | undefined {
  const code = readString(get(input, 'clientCode'), 'clientCode', issues, true, normalizeIdentifier);
  if (code !== undefined && !patterns.clientCode.test(code)) {
    addIssue(issues, 'clientCode', 'client_code.format');
    return undefined;
  }
  return code;
}

function readCountry(input: Obj, key: string, issues: Issues): string | undefined {
  const country = readString(get(input, key), key, issues, true, normalizeCode);
  if (country !== undefined && !patterns.countryCode.test(country)) {
    addIssue(issues, key, 'country.format');
    return undefined;
  }
  return country;
}

function readAadhaarLast4(input: Obj, issues: Issues): string | undefined {
  const fromFull = readChecked(input, 'aadhaar', 'aadhaar', issues, false, validateAadhaar);
  const last4 = readString(get(input, 'aadhaarLast4'), 'aadhaarLast4', issues, false, normalizeIdentifier);
  if (last4 !== undefined && !patterns.aadhaarLast4.test(last4)) {
    addIssue(issues, 'aadhaarLast4', 'aadhaar_last4.format');
    return fromFull;
  }
  return fromFull ?? last4;
}

/**
 * Reads and checks the identity fields; cross-field rules that need other sections run later.
 * `individual` comes from the PAN's 4th letter, assumed true when the PAN is unreadable so that
 * the person rules still run.
 */
export function readIdentity(input: Obj, issues: Issues, today: string): { individual: boolean; fields: IdentityDraft } {
  const pan = readChecked(input, 'pan', 'pan', issues, true, validatePan);
  const individual = pan === undefined || isIndividualPan(pan);
  const name = readNameParts(get(input, 'name'), 'name', issues, !individual);
  if (pan !== undefined && name !== undefined && !isPanSurnameConsistent(pan, name.last ?? name.first)) {
    addIssue(issues, 'pan', 'pan.surname_mismatch');
  }
  const fields: IdentityDraft = {
    clientCode: readClientCode(input, issues),
    pan,
    name,
    fatherOrSpouseName: readName(get(input, 'fatherOrSpouseName'), 'fatherOrSpouseName', issues, false),
    gender: readGender(input, issues, individual),
    dob: readDate(get(input, 'dob'), 'dob', issues, today, true, { format: 'dob.format', future: 'dob.future' }),
    maritalStatus: readEnum(get(input, 'maritalStatus'), 'maritalStatus', issues, maritalStatuses, false),
    nationality: readCountry(input, 'nationality', issues),
    residentialStatus: readEnum(get(input, 'residentialStatus'), 'residentialStatus', issues, residentialStatuses, true),
    aadhaarLast4: readAadhaarLast4(input, issues),
    ckycKin: readChecked(input, 'ckycKin', 'ckycKin', issues, false, validateCkycKin),
    gstin: readChecked(input, 'gstin', 'gstin', issues, false, (raw) => validateGstin(raw, pan)),
    guardian: readGuardian(get(input, 'guardian'), 'guardian', issues, false),
  };
  return { individual, fields };
}

function readGender(input: Obj, issues: Issues, individual: boolean): IdentityDraft['gender'] {
  const raw = get(input, 'gender');
  if (individual && isBlank(raw)) {
    addIssue(issues, 'gender', 'gender.required');
    return undefined;
  }
  return readEnum(raw, 'gender', issues, genders, false);
}
