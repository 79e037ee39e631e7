// A complete, valid client input (a resident adult trading F&O with two nominees), for tests to
// break one field at a time.

export const TODAY = '2025-03-31';

export function createValidInput(): Record<string, unknown> {
  return {
    clientCode: 'RS100001',
    pan: 'ABCPS1234K',
    name: { first: 'Ravi', middle: 'Kumar', last: 'Sharma' },
    fatherOrSpouseName: 'Mohan Sharma',
    gender: 'M',
    dob: '1985-08-15',
    maritalStatus: 'MARRIED',
    nationality: 'IN',
    residentialStatus: 'RESIDENT',
    aadhaarLast4: '2346',
    ckycKin: '10012345678901',
    kra: 'CVL',
    kraStatus: '007',
    kraStatusDate: '2023-01-02',
    kycMode: 1,
    mobile: { number: '+919876543210', relation: 'SELF' },
    email: { address: 'ravi.sharma@example.in', relation: 'SELF' },
    addresses: {
      correspondence: { lines: ['Flat 302, Sai Residency', 'MG Road'], city: 'Pune', stateCode: 'MH', pincode: '411001', country: 'IN' },
      permanent: { lines: ['12 Civil Lines'], city: 'Lucknow', stateCode: 'UP', pincode: '226001', country: 'IN' },
    },
    occupation: '01',
    incomeRange: '03',
    pep: 'NA',
    fatca: { applicable: false, taxResidencies: [] },
    banks: [
      { ifsc: 'HDFC0001234', accountNumber: '50100123456789', type: 'SB', primary: true },
      { ifsc: 'SBIN0004567', accountNumber: '30123456789', type: 'SB', primary: false },
    ],
    demat: [{ depository: 'CDSL', boId: '1208160012345678', ddpi: true }],
    segments: [
      { segment: 'CM', status: 'ACTIVE', activatedOn: '2023-01-05' },
      { segment: 'FO', status: 'ACTIVE', activatedOn: '2023-02-01' },
      { segment: 'MTF', status: 'ACTIVE', activatedOn: '2023-02-01' },
    ],
    mtfAgreementDate: '2023-01-30',
    nominees: [
      { name: 'Sita Sharma', relation: 'SPOUSE', sharePct: 60, identifier: { type: 'PAN', value: 'BCDPS2345L' }, dob: '1987-02-11' },
      { name: 'Arjun Sharma', relation: 'SON', sharePct: 40, identifier: { type: 'AADHAAR_LAST4', value: '4321' }, dob: '2015-06-01', guardian: { name: 'Sita Sharma', relation: 'MOTHER' } },
    ],
    nominationOptOut: false,
    riskCategory: 'L',
    consents: [{ purpose: 'KYC_PROCESSING', channel: 'ALL', givenAt: '2023-01-02T10:00:00.000Z' }],
    source: { system: 'KRA', version: 3, asOf: '2025-03-30T18:00:00.000Z' },
  };
}

/** Sets a value at a dotted path (numeric parts index arrays), creating nothing: the path must exist up to its parent. */
export function setAt(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = obj as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  const last = parts[parts.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}
