// The stable rule codes a rejection or warning names, each with a fixed message. Messages are
// constants, so no input value can ever reach a reject report (DOMAIN.md §2, issue #3 item 7).

export const ruleCatalogue = {
  'record.not_object': 'The row is not an object.',
  'field.required': 'A required field is missing.',
  'field.type': 'The field has the wrong type.',
  'field.enum': 'The value is not one of the allowed codes.',
  'field.too_long': 'The value is longer than allowed.',
  'field.format': 'The value does not have the required format.',
  'field.range': 'The value is outside the allowed range.',
  'field.unknown': 'The record has a field its kind does not define.',
  'record.kind_unknown': 'The record kind is not one of the back-office kinds.',
  'contract.mismatch': 'Expiry, strike and option type do not fit the instrument type (futures: expiry; options: expiry, strike, CE/PE; equity: none).',
  'client_code.format': 'Client code must be 1-10 uppercase letters or digits.',
  'pan.format': 'PAN must be three letters, a holder-type letter, a letter, four digits and a letter.',
  'pan.surname_mismatch': "The PAN's fifth letter is not the initial of the surname.",
  'name.too_long': 'A name is longer than 100 characters.',
  'name.characters': 'A name holds characters a name cannot have.',
  'aadhaar.format': 'Aadhaar must be 12 digits, the first 2-9.',
  'aadhaar.verhoeff': 'Aadhaar check digit (Verhoeff) does not match.',
  'aadhaar.vid_not_aadhaar': 'A 16-digit Virtual ID was sent where an Aadhaar number was expected.',
  'aadhaar_last4.format': 'Aadhaar last four must be four digits.',
  'ckyc_kin.format': 'CKYC KIN must be 14 digits.',
  'gstin.format': 'GSTIN must be 2 digits, a PAN, an entity digit or letter, Z and a check character.',
  'gstin.checksum': 'GSTIN check character (mod 36) does not match.',
  'gstin.state_code': 'GSTIN does not start with a known GST state code.',
  'gstin.pan_mismatch': 'GSTIN characters 3-12 are not the PAN.',
  'country.format': 'Country must be an ISO 3166 two-letter code.',
  'dob.format': 'Date of birth is not a real date.',
  'dob.future': 'Date of birth is in the future.',
  'dob.under_18_segment': 'F&O and MTF need an individual of 18 or older.',
  'dob.minor_without_guardian': 'A minor needs a guardian.',
  'gender.required': 'Gender is required for an individual.',
  'date.format': 'The date is not a real date.',
  'date.future': 'The date is in the future.',
  'timestamp.format': 'The timestamp is not an ISO 8601 date-time with a time zone.',
  'kra_status.format': 'KRA status must be a KRA digit 0-4 and a status 00-07 or 11-14.',
  'kra_status.kra_mismatch': "The KRA status code's first digit names a different KRA.",
  'kra_status.on_hold': 'The KRA has the record on hold: the client cannot transact.',
  'kyc_mode.range': 'KYC mode must be a number from 0 to 6.',
  'mobile.format': 'Mobile must be an Indian mobile (10 digits from 6-9, optional +91/91/0) or, for non-residents, E.164.',
  'email.format': 'Email address is malformed.',
  'email.too_long': 'Email address is longer than 100 characters.',
  'address.lines': 'An address needs one to three lines.',
  'address.line_too_long': 'An address line is longer than 120 characters.',
  'address.city_too_long': 'City is longer than 30 characters.',
  'address.state_unknown': 'State is not a known Indian state or union territory.',
  'pincode.format': 'Pincode must be six digits, not starting with 0.',
  'pincode.state_mismatch': "Pincode's postal circle does not belong to the state.",
  'postal_code.format': 'Foreign postal code is malformed.',
  'ifsc.format': 'IFSC must be four letters, 0 and six letters or digits.',
  'bank_account.format': 'Bank account number must be 9-18 digits.',
  'banks.primary': 'Exactly one bank account must be primary.',
  'banks.type_residency': 'NRE/NRO accounts are for non-residents, SB/CA for residents.',
  'bo_id.format': 'BO id must be 16 digits (CDSL) or IN and 14 digits (NSDL).',
  'segments.duplicate': 'A segment is listed twice.',
  'mtf.agreement_missing': 'An active MTF segment needs the MTF agreement date.',
  'nominees.too_many': 'At most 10 nominees.',
  'nominees.share_range': 'A nominee share must be more than 0 and at most 100.',
  'nominees.share_sum': 'Nominee shares must add up to 100.',
  'nominees.minor_without_guardian': 'A minor nominee needs a guardian.',
  'nomination.conflict': 'Nominees and a nomination opt-out cannot both be given.',
  'nomination.required': 'An individual needs nominees or a nomination opt-out.',
  'driving_licence.format': 'Driving licence number is malformed.',
  'consent.purpose_format': 'Consent purpose must be an uppercase code.',
  'consent.withdrawn_before_given': 'A consent is withdrawn before it was given.',
  'source.version': 'Source version must be a whole number of 1 or more.',
} as const;

export type RuleCode = keyof typeof ruleCatalogue;
export const ruleCodes = Object.keys(ruleCatalogue) as RuleCode[];

/** Rules that warn and never reject a row. */
export const warningRules: ReadonlySet<RuleCode> = new Set<RuleCode>(['pan.surname_mismatch', 'kra_status.on_hold']);

export type ValidationIssue = { field: string; rule: RuleCode; message: string };

/** Collects every error and warning of one row; validation never stops at the first. */
export type Issues = { errors: ValidationIssue[]; warnings: ValidationIssue[] };

/** An empty collector for one row. */
export function createIssues(): Issues {
  return { errors: [], warnings: [] };
}

/** Records that `field` broke `rule`; the message is the catalogue's, never the value. */
export function addIssue(issues: Issues, field: string, rule: RuleCode): void {
  const issue = { field, rule, message: ruleCatalogue[rule] };
  if (warningRules.has(rule)) issues.warnings.push(issue);
  else issues.errors.push(issue);
}
