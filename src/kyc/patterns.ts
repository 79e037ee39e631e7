// Canonical-form patterns (DOMAIN.md §2), shared by the TypeBox schemas and the validators. They
// describe values after normalisation: uppercase, no separators.

export const patterns = {
  clientCode: /^[A-Z0-9]{1,10}$/,
  pan: /^[A-Z]{3}[PCHFATBLJG][A-Z][0-9]{4}[A-Z]$/,
  aadhaar: /^[2-9][0-9]{11}$/,
  aadhaarLast4: /^[0-9]{4}$/,
  ifsc: /^[A-Z]{4}0[A-Z0-9]{6}$/,
  bankAccount: /^[0-9]{9,18}$/,
  indianMobile: /^[6-9][0-9]{9}$/,
  e164: /^\+[1-9][0-9]{7,14}$/,
  pincode: /^[1-9][0-9]{5}$/,
  /** Postal codes outside India: letters, digits, a space or a hyphen. */
  foreignPostalCode: /^[A-Z0-9][A-Z0-9 -]{1,8}[A-Z0-9]$/,
  cdslBoId: /^[0-9]{16}$/,
  nsdlBoId: /^IN[0-9]{14}$/,
  ckycKin: /^[0-9]{14}$/,
  gstin: /^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/,
  /** Indian driving licence, separators removed: state, RTO, then 11-13 more (formats vary by state and year). */
  drivingLicence: /^[A-Z]{2}[0-9]{2}[0-9A-Z]{9,13}$/,
  countryCode: /^[A-Z]{2}$/,
  isoDate: /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/,
  isoTimestamp: /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})$/,
  purpose: /^[A-Z][A-Z0-9_]{1,39}$/,
} as const;

export const limits = {
  nameLength: 100,
  addressLineLength: 120,
  addressLines: 3,
  cityLength: 30,
  emailLength: 100,
  sourceSystemLength: 40,
  taxIdLength: 30,
} as const;
