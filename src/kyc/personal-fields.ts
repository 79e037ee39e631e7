// Which fields of the client record are personal data, and how storage should treat each: encrypt
// under the client's data key (every field listed here), keep a blind index for exact lookup, and
// which masked form to show. Fields not listed (codes, statuses, relations, dates of KRA events)
// stay in clear so ingestion can compare, filter and report without decrypting.
import { maskEmail, maskMobile, maskTail } from '../crypto/mask.ts';

export type MaskKind = 'tail4' | 'mobile' | 'email' | 'name' | 'date' | 'hidden' | 'none';

export type PersonalField = {
  /** Dotted path; `[]` stands for every element of an array (`banks[].accountNumber`). */
  path: string;
  /** Exact lookup by this field goes through a blind index (issue #3: PAN, mobile, email, client code). */
  blindIndex: boolean;
  mask: MaskKind;
};

export const personalFields: readonly PersonalField[] = [
  { path: 'clientCode', blindIndex: true, mask: 'none' },
  { path: 'pan', blindIndex: true, mask: 'tail4' },
  { path: 'name.first', blindIndex: false, mask: 'name' },
  { path: 'name.middle', blindIndex: false, mask: 'name' },
  { path: 'name.last', blindIndex: false, mask: 'name' },
  { path: 'fatherOrSpouseName', blindIndex: false, mask: 'name' },
  { path: 'dob', blindIndex: false, mask: 'date' },
  { path: 'aadhaarLast4', blindIndex: false, mask: 'none' },
  { path: 'ckycKin', blindIndex: false, mask: 'tail4' },
  { path: 'gstin', blindIndex: false, mask: 'tail4' },
  { path: 'guardian.name', blindIndex: false, mask: 'name' },
  { path: 'guardian.pan', blindIndex: false, mask: 'tail4' },
  { path: 'mobile.number', blindIndex: true, mask: 'mobile' },
  { path: 'email.address', blindIndex: true, mask: 'email' },
  ...['correspondence', 'permanent'].flatMap((kind) => [
    { path: `addresses.${kind}.lines[]`, blindIndex: false, mask: 'hidden' as const },
    { path: `addresses.${kind}.city`, blindIndex: false, mask: 'none' as const },
    { path: `addresses.${kind}.pincode`, blindIndex: false, mask: 'hidden' as const },
  ]),
  { path: 'fatca.taxResidencies[].taxId', blindIndex: false, mask: 'tail4' },
  { path: 'banks[].accountNumber', blindIndex: false, mask: 'tail4' },
  { path: 'demat[].boId', blindIndex: false, mask: 'tail4' },
  { path: 'nominees[].name', blindIndex: false, mask: 'name' },
  { path: 'nominees[].identifier.value', blindIndex: false, mask: 'tail4' },
  { path: 'nominees[].dob', blindIndex: false, mask: 'date' },
  { path: 'nominees[].guardian.name', blindIndex: false, mask: 'name' },
  { path: 'nominees[].guardian.pan', blindIndex: false, mask: 'tail4' },
];

const byPath = new Map(personalFields.map((field) => [field.path, field]));

/** `banks[0].accountNumber` → `banks[].accountNumber`: the form `personalFields` lists. */
export function toPatternPath(path: string): string {
  return path.replace(/\[\d+\]/g, '[]');
}

/** The classification of a concrete or pattern path, or undefined when the field is not personal. */
export function findPersonalField(path: string): PersonalField | undefined {
  return byPath.get(toPatternPath(path));
}

/** The masked display form of a personal value; never returns more of it than the mask allows. */
export function maskPersonalValue(mask: MaskKind, value: string): string {
  switch (mask) {
    case 'tail4': return maskTail(value, 4);
    case 'mobile': return maskMobile(value);
    case 'email': return maskEmail(value);
    case 'name': return value.split(' ').map((word) => (word === '' ? '' : `${[...word][0]}***`)).join(' ');
    case 'date': return `${value.slice(0, 4)}-XX-XX`;
    case 'hidden': return '****';
    case 'none': return value;
  }
}
