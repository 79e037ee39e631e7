// Valid client records for ingestion tests, varied by index; `overrides` patch one record.
import { writeFile } from 'node:fs/promises';

const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

export function clientCode(i: number): string {
  return `T${String(i).padStart(6, '0')}`;
}

export function panFor(i: number): string {
  const a = letters[i % 24]!;
  const b = letters[Math.floor(i / 24) % 24]!;
  const c = letters[Math.floor(i / 576) % 24]!;
  return `${a}${b}${c}PV${String(i % 10_000).padStart(4, '0')}${letters[(i * 7) % 24]}`;
}

export function mobileFor(i: number): string {
  return `9${String(800_000_000 + i).padStart(9, '0')}`;
}

export function clientInput(i: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    clientCode: clientCode(i),
    pan: panFor(i),
    name: { first: 'Asha', last: 'Verma' },
    gender: 'F',
    dob: '1988-04-12',
    nationality: 'IN',
    residentialStatus: 'RESIDENT',
    kra: 'CVL',
    kraStatus: '007',
    kycMode: 1,
    mobile: { number: mobileFor(i), relation: 'SELF' },
    email: { address: `client${i}@example.in`, relation: 'SELF' },
    addresses: { correspondence: { lines: [`${i} MG Road`], city: 'Pune', stateCode: 'MH', pincode: '411001', country: 'IN' } },
    pep: 'NA',
    fatca: { applicable: false, taxResidencies: [] },
    banks: [{ ifsc: 'HDFC0001234', accountNumber: String(100_000_000_000 + i), type: 'SB', primary: true }],
    demat: [{ depository: 'CDSL', boId: String(1_208_160_000_000_000 + i), ddpi: true }],
    segments: [{ segment: 'CM', status: 'ACTIVE', activatedOn: '2024-01-02' }],
    nominees: [],
    nominationOptOut: true,
    riskCategory: 'L',
    consents: [],
    source: { system: 'KRA', version: 1, asOf: '2026-11-20T10:00:00Z' },
    ...overrides,
  };
}

export async function writeJsonl(file: string, records: unknown[]): Promise<void> {
  await writeFile(file, records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n');
}
