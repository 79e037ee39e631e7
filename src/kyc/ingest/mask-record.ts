// The masked view of a client record stored beside the ciphertext, so lists and detail pages never
// need to decrypt: identifiers show their last four characters, names their initials.
import { maskPersonalValue } from '../personal-fields.ts';
import type { ClientRecord } from '../client-record.ts';

export type MaskedClient = {
  clientCode: string;
  name: string;
  pan: string;
  mobile: string;
  email: string | null;
  dob: string;
  city: string;
  stateCode: string;
  banks: Array<{ ifsc: string; accountNumber: string; type: string; primary: boolean }>;
  demat: Array<{ depository: string; boId: string }>;
  nominees: Array<{ name: string; relation: string; sharePct: number }>;
};

export function maskClientRecord(r: ClientRecord): MaskedClient {
  const fullName = [r.name.first, r.name.middle, r.name.last].filter(Boolean).join(' ');
  const home = r.addresses.correspondence;
  return {
    clientCode: r.clientCode,
    name: maskPersonalValue('name', fullName),
    pan: maskPersonalValue('tail4', r.pan),
    mobile: maskPersonalValue('mobile', r.mobile.number),
    email: r.email ? maskPersonalValue('email', r.email.address) : null,
    dob: maskPersonalValue('date', r.dob),
    city: home.city,
    stateCode: home.stateCode ?? '',
    banks: r.banks.map((b) => ({ ifsc: b.ifsc, accountNumber: maskPersonalValue('tail4', b.accountNumber), type: b.type, primary: b.primary })),
    demat: r.demat.map((d) => ({ depository: d.depository, boId: maskPersonalValue('tail4', d.boId) })),
    nominees: r.nominees.map((n) => ({ name: maskPersonalValue('name', n.name), relation: n.relation, sharePct: n.sharePct })),
  };
}
