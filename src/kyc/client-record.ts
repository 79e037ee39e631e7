// The canonical client record (DOMAIN.md §1): what the validator emits and storage keeps. The
// schema is grouped by concern (identity, KRA, contacts, profile, accounts, nomination, governance)
// but the record itself is flat at the top level, so field paths read `banks[0].ifsc`.
import { Type, type Static } from 'typebox';
import {
  genders, incomeRanges, kras, kycModes, maritalStatuses, maxNominees, occupationCodes, pepStatuses,
  residentialStatuses, riskCategories,
} from './codes.ts';
import {
  AddressesSchema, BankSchema, ConsentSchema, CountryCode, DematSchema, EmailSchema, FatcaSchema, GuardianSchema,
  IsoDate, MobileSchema, NameSchema, NomineeSchema, Pan, PersonName, SegmentSchema, SourceSchema,
} from './client-record-parts.ts';
import { patterns } from './patterns.ts';

export const identityProperties = {
  clientCode: Type.String({ pattern: patterns.clientCode.source, description: 'UCC' }),
  pan: Pan,
  name: NameSchema,
  fatherOrSpouseName: Type.Optional(PersonName),
  gender: Type.Optional(Type.Enum(genders, { description: 'Required for individuals' })),
  dob: IsoDate,
  maritalStatus: Type.Optional(Type.Enum(maritalStatuses)),
  nationality: CountryCode,
  residentialStatus: Type.Enum(residentialStatuses),
  aadhaarLast4: Type.Optional(Type.String({ pattern: patterns.aadhaarLast4.source, description: 'Never the full number' })),
  ckycKin: Type.Optional(Type.String({ pattern: patterns.ckycKin.source })),
  gstin: Type.Optional(Type.String({ pattern: patterns.gstin.source, description: 'Non-individuals; characters 3-12 equal the PAN' })),
  guardian: Type.Optional(GuardianSchema),
};

export const kraProperties = {
  kra: Type.Enum(kras),
  kraStatus: Type.String({ pattern: '^[0-4](0[0-7]|1[1-4])$', description: 'See kra-status.ts' }),
  kraStatusDate: Type.Optional(IsoDate),
  kycMode: Type.Enum(kycModes),
};

export const contactProperties = {
  mobile: MobileSchema,
  email: Type.Optional(EmailSchema),
  addresses: AddressesSchema,
};

export const profileProperties = {
  occupation: Type.Optional(Type.Enum(occupationCodes)),
  incomeRange: Type.Optional(Type.Enum(incomeRanges)),
  pep: Type.Enum(pepStatuses),
  fatca: FatcaSchema,
};

export const accountProperties = {
  banks: Type.Array(BankSchema, { minItems: 1, description: 'Exactly one is primary' }),
  demat: Type.Array(DematSchema),
  segments: Type.Array(SegmentSchema),
  mtfAgreementDate: Type.Optional(IsoDate),
};

export const nominationProperties = {
  nominees: Type.Array(NomineeSchema, { maxItems: maxNominees, description: 'Shares sum to 100' }),
  nominationOptOut: Type.Boolean(),
};

export const governanceProperties = {
  riskCategory: Type.Enum(riskCategories),
  consents: Type.Array(ConsentSchema),
  source: SourceSchema,
};

export const ClientRecordSchema = Type.Object({
  ...identityProperties,
  ...kraProperties,
  ...contactProperties,
  ...profileProperties,
  ...accountProperties,
  ...nominationProperties,
  ...governanceProperties,
}, { additionalProperties: false, $id: 'ClientRecord' });

export type ClientRecord = Static<typeof ClientRecordSchema>;
export type PersonNameParts = Static<typeof NameSchema>;
export type Address = ClientRecord['addresses']['correspondence'];
export type Bank = Static<typeof BankSchema>;
export type Demat = Static<typeof DematSchema>;
export type Segment = Static<typeof SegmentSchema>;
export type Nominee = Static<typeof NomineeSchema>;
export type Guardian = Static<typeof GuardianSchema>;
export type Consent = Static<typeof ConsentSchema>;
export type RecordSource = Static<typeof SourceSchema>;
