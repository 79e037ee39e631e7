// Contacts: mobile (E.164) and email, each with whose it is, and the two addresses.
import { contactRelations } from '../codes.ts';
import type { Address, ClientRecord } from '../client-record.ts';
import { limits, patterns } from '../patterns.ts';
import { resolveStateCode } from '../india-states.ts';
import { isPincodeConsistent, validateEmail, validateForeignPostalCode, validateMobile, validatePincode } from './contact.ts';
import type { Checked } from './identifiers.ts';
import { dropUndefined, get, isObject, readEnum, readList, readObject, readString, type Obj } from './read.ts';
import { addIssue, type Issues } from './rules.ts';
import { normalizeCode } from './text.ts';

type Relation = (typeof contactRelations)[number];

// A contact arrives as bare text or as {number|address, relation}; relation defaults to SELF.
function readContact(
  value: unknown, field: string, valueKey: string, issues: Issues, required: boolean, check: (raw: string) => Checked,
): { value: string; relation: Relation } | undefined {
  const obj: Obj | undefined = isObject(value) ? value : value === undefined || value === null ? undefined : { [valueKey]: value };
  if (obj === undefined) {
    if (required) addIssue(issues, field, 'field.required');
    return undefined;
  }
  const path = isObject(value) ? `${field}.${valueKey}` : field;
  const text = readString(get(obj, valueKey), path, issues, required);
  const relation = readEnum(get(obj, 'relation'), `${field}.relation`, issues, contactRelations, false) ?? 'SELF';
  if (text === undefined) return undefined;
  const checked = check(text);
  if (!checked.ok) {
    addIssue(issues, path, checked.rule);
    return undefined;
  }
  return { value: checked.value, relation };
}

/** Mobile (required) and email (optional); non-residents may give a foreign E.164 mobile. */
export function readContacts(input: Obj, issues: Issues, nonResident: boolean): Partial<Pick<ClientRecord, 'mobile' | 'email'>> {
  const mobile = readContact(get(input, 'mobile'), 'mobile', 'number', issues, true, (raw) => validateMobile(raw, nonResident));
  const email = readContact(get(input, 'email'), 'email', 'address', issues, false, validateEmail);
  return {
    mobile: mobile && { number: mobile.value, relation: mobile.relation },
    email: email && { address: email.value, relation: email.relation },
  };
}

function readLines(obj: Obj, field: string, issues: Issues): string[] | undefined {
  const lines: string[] = [];
  let ok = true;
  for (const entry of readList(get(obj, 'lines'), `${field}.lines`, issues)) {
    const line = readString(entry.value, entry.path, issues, false);
    if (line === undefined) continue;
    if (line.length > limits.addressLineLength) {
      addIssue(issues, entry.path, 'address.line_too_long');
      ok = false;
    }
    lines.push(line);
  }
  if (lines.length < 1 || lines.length > limits.addressLines) {
    addIssue(issues, `${field}.lines`, 'address.lines');
    return undefined;
  }
  return ok ? lines : undefined;
}

function readCity(obj: Obj, field: string, issues: Issues): string | undefined {
  const city = readString(get(obj, 'city'), `${field}.city`, issues, true);
  if (city !== undefined && city.length > limits.cityLength) {
    addIssue(issues, `${field}.city`, 'address.city_too_long');
    return undefined;
  }
  return city;
}

// India: a known state and a six-digit pincode of that state's postal circle.
function readIndianPlace(obj: Obj, field: string, issues: Issues): { stateCode?: string; pincode?: string } {
  const stateText = readString(get(obj, 'stateCode'), `${field}.stateCode`, issues, true, normalizeCode);
  const stateCode = stateText === undefined ? undefined : resolveStateCode(stateText);
  if (stateText !== undefined && stateCode === undefined) addIssue(issues, `${field}.stateCode`, 'address.state_unknown');
  const pincodeText = readString(get(obj, 'pincode'), `${field}.pincode`, issues, true);
  if (pincodeText === undefined) return { stateCode };
  const pincode = validatePincode(pincodeText);
  if (!pincode.ok) {
    addIssue(issues, `${field}.pincode`, pincode.rule);
    return { stateCode };
  }
  if (stateCode !== undefined && !isPincodeConsistent(pincode.value, stateCode)) {
    addIssue(issues, `${field}.pincode`, 'pincode.state_mismatch');
  }
  return { stateCode, pincode: pincode.value };
}

/** One address; the country defaults to IN, where state and pincode must agree. */
export function readAddress(value: unknown, field: string, issues: Issues, required: boolean): Address | undefined {
  const obj = readObject(value, field, issues, required);
  if (obj === undefined) return undefined;
  const errorsBefore = issues.errors.length;
  const country = readString(get(obj, 'country'), `${field}.country`, issues, false, normalizeCode) ?? 'IN';
  if (!patterns.countryCode.test(country)) addIssue(issues, `${field}.country`, 'country.format');
  const lines = readLines(obj, field, issues);
  const city = readCity(obj, field, issues);
  let place: { stateCode?: string; pincode?: string };
  if (country === 'IN') place = readIndianPlace(obj, field, issues);
  else {
    const postal = readString(get(obj, 'pincode'), `${field}.pincode`, issues, true);
    const checked = postal === undefined ? undefined : validateForeignPostalCode(postal);
    if (checked !== undefined && !checked.ok) addIssue(issues, `${field}.pincode`, checked.rule);
    place = { pincode: checked?.ok ? checked.value : undefined };
  }
  if (issues.errors.length > errorsBefore || lines === undefined || city === undefined || place.pincode === undefined) return undefined;
  return dropUndefined({ lines, city, stateCode: place.stateCode, pincode: place.pincode, country });
}

/** Correspondence address (required) and permanent address (optional). */
export function readAddresses(input: Obj, issues: Issues): ClientRecord['addresses'] | undefined {
  const obj = readObject(get(input, 'addresses'), 'addresses', issues, true);
  if (obj === undefined) return undefined;
  const correspondence = readAddress(get(obj, 'correspondence'), 'addresses.correspondence', issues, true);
  const permanent = readAddress(get(obj, 'permanent'), 'addresses.permanent', issues, false);
  if (correspondence === undefined) return undefined;
  return dropUndefined({ correspondence, permanent });
}
