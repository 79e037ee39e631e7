// The KRA `APP_*` column names (the schema the KRAs share) mapped onto the client record, with the
// KRA value encodings: DD/MM/YYYY dates, 01/02/03 marital codes, R/N/P residency, CVLKRA-style KRA
// names, masked Aadhaar. Fields KRAs do not carry (client code, banks, demat, segments, nominees,
// consents, source) keep our own column names.
import {
  buildClientColumns, encodeCell, type Column,
} from './flat-layout.ts';

function invert(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [v, k]));
}

function translate(encodeMap: Record<string, string>, synonyms: Record<string, string> = {}): Pick<Column, 'encode' | 'decode'> {
  const decodeMap = { ...invert(encodeMap), ...synonyms };
  return {
    encode: (value) => encodeMap[encodeCell(value)] ?? encodeCell(value),
    decode: (cell) => {
      const key = cell.trim().toUpperCase();
      return decodeMap[key] ?? decodeMap[key.padStart(2, '0')] ?? cell;
    },
  };
}

const kraDate: Pick<Column, 'encode' | 'decode'> = {
  encode: (value) => {
    const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
    return m ? `${m[3]}/${m[2]}/${m[1]}` : encodeCell(value);
  },
  // KRA date-times ("01/02/2023 10:20:30") carry a time we do not keep.
  decode: (cell) => cell.trim().split(' ')[0],
};

const kraNames = translate(
  { CVL: 'CVLKRA', NDML: 'NDMLKRA', DOTEX: 'DOTEXKRA', CAMS: 'CAMSKRA', KFIN: 'KARVYKRA' },
  { CVL: 'CVL', NDML: 'NDML', NSDLKRA: 'NDML', DOTEX: 'DOTEX', CAMS: 'CAMS', KARVY: 'KFIN', KFIN: 'KFIN', KFINKRA: 'KFIN', KFINTECH: 'KFIN' },
);
const country = translate({}, { '101': 'IN', IND: 'IN', INDIA: 'IN' });

function kraAddress(prefix: string, kind: string): Column[] {
  const base = `addresses.${kind}`;
  return [
    ...[1, 2, 3].map((n) => ({ header: `APP_${prefix}_ADD${n}`, path: `${base}.lines.${n - 1}` })),
    { header: `APP_${prefix}_CITY`, path: `${base}.city` },
    { header: `APP_${prefix}_PINCD`, path: `${base}.pincode` },
    { header: `APP_${prefix}_STATE`, path: `${base}.stateCode` },
    { header: `APP_${prefix}_CTRY`, path: `${base}.country`, ...country },
  ];
}

function joinName(value: unknown): string {
  if (value === null || typeof value !== 'object') return encodeCell(value);
  const { first, middle, last } = value as Record<string, unknown>;
  return [first, middle, last].filter((part) => typeof part === 'string' && part !== '').join(' ');
}

/** Columns whose KRA name replaces ours, keyed by our record path. */
const kraByPath: Record<string, Column[]> = {
  pan: [{ header: 'APP_PAN_NO', path: 'pan' }],
  'name.first': [{ header: 'APP_NAME', path: 'name', encode: joinName }],
  fatherOrSpouseName: [{ header: 'APP_F_NAME', path: 'fatherOrSpouseName' }],
  gender: [{ header: 'APP_GEN', path: 'gender' }],
  dob: [{ header: 'APP_DOB_DT', path: 'dob', ...kraDate }, { header: 'APP_COMMENCE_DT', path: 'dob', ...kraDate, fallback: true, pick: () => undefined }],
  maritalStatus: [{ header: 'APP_MAR_STATUS', path: 'maritalStatus', ...translate({ MARRIED: '01', UNMARRIED: '02', OTHER: '03' }) }],
  nationality: [
    { header: 'APP_NATIONALITY', path: 'nationality', encode: (v) => (v === 'IN' ? '01' : '02'), decode: (cell) => (cell.trim() === '01' ? 'IN' : undefined) },
    { header: 'APP_OTH_NATIONALITY', path: 'nationality', pick: (r) => (r.nationality === 'IN' ? '' : r.nationality), fallback: true, ...country },
  ],
  residentialStatus: [{ header: 'APP_RES_STATUS', path: 'residentialStatus', ...translate({ RESIDENT: 'R', NRI: 'N', FOREIGN_NATIONAL: 'P' }) }],
  aadhaar: [{
    header: 'APP_UID_NO', path: 'aadhaar',
    pick: (r) => r.aadhaar ?? (typeof r.aadhaarLast4 === 'string' ? `XXXXXXXX${r.aadhaarLast4}` : undefined),
  }],
  kra: [{ header: 'APP_KRA_INFO', path: 'kra', ...kraNames }],
  kraStatus: [{ header: 'APP_STATUS', path: 'kraStatus' }],
  kraStatusDate: [{ header: 'APP_STATUSDT', path: 'kraStatusDate', ...kraDate }],
  kycMode: [{ header: 'APP_KYC_MODE', path: 'kycMode' }],
  'mobile.number': [{ header: 'APP_MOB_NO', path: 'mobile.number' }],
  'email.address': [{ header: 'APP_EMAIL', path: 'email.address' }],
  'addresses.correspondence.lines.0': kraAddress('COR', 'correspondence'),
  'addresses.permanent.lines.0': kraAddress('PER', 'permanent'),
  occupation: [{ header: 'APP_OCC', path: 'occupation' }],
  incomeRange: [{ header: 'APP_INCOME', path: 'incomeRange' }],
  pep: [{ header: 'APP_POL_CONN', path: 'pep' }],
};

// Our columns the KRA ones above make redundant.
const replacedPaths = new Set([
  'name.middle', 'name.last', 'aadhaarLast4',
  ...['correspondence', 'permanent'].flatMap((k) => ['lines.1', 'lines.2', 'city', 'stateCode', 'pincode', 'country'].map((p) => `addresses.${k}.${p}`)),
]);

/** The KRA-header layout: APP_* names where KRAs have the field, ours elsewhere. */
export function buildKraColumns(slots?: { banks: number; demat: number; nominees: number }): Column[] {
  return buildClientColumns(slots).flatMap((column) => kraByPath[column.path] ?? (replacedPaths.has(column.path) ? [] : [column]));
}

/** KRA columns the record does not carry (IPV, proofs, batch fields): recognised, then ignored. */
export function isKraHeader(header: string): boolean {
  return /^\s*APP_/i.test(header);
}
