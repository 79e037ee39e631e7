// The building blocks of the client record: small TypeBox schemas for the nested objects. Each
// schema describes the canonical (validated, normalised) form, so it doubles as an API schema.
import { Type } from 'typebox';
import {
  bankAccountTypes, consentChannels, contactRelations, depositories, guardianRelations, nomineeIdentifierTypes,
  nomineeRelations, segmentCodes, segmentStatuses,
} from './codes.ts';
import { limits, patterns } from './patterns.ts';

export const IsoDate = Type.String({ pattern: patterns.isoDate.source, format: 'date' });
/** Stored as UTC `toISOString()` output. */
export const IsoTimestamp = Type.String({ format: 'date-time' });
export const PersonName = Type.String({ minLength: 1, maxLength: limits.nameLength });
export const CountryCode = Type.String({ pattern: patterns.countryCode.source, description: 'ISO 3166-1 alpha-2' });
export const Pan = Type.String({ pattern: patterns.pan.source });

export const NameSchema = Type.Object({
  first: PersonName,
  middle: Type.Optional(PersonName),
  last: Type.Optional(PersonName),
}, { additionalProperties: false, description: 'Non-individuals carry the registered name in `first`.' });

export const MobileSchema = Type.Object({
  number: Type.String({ pattern: patterns.e164.source, description: 'E.164; +91 for Indian numbers' }),
  relation: Type.Enum(contactRelations),
}, { additionalProperties: false });

export const EmailSchema = Type.Object({
  address: Type.String({ maxLength: limits.emailLength }),
  relation: Type.Enum(contactRelations),
}, { additionalProperties: false });

export const AddressSchema = Type.Object({
  lines: Type.Array(Type.String({ minLength: 1, maxLength: limits.addressLineLength }), { minItems: 1, maxItems: limits.addressLines }),
  city: Type.String({ minLength: 1, maxLength: limits.cityLength }),
  stateCode: Type.Optional(Type.String({ description: 'Canonical Indian state code (india-states.ts); absent abroad' })),
  pincode: Type.String({ description: 'Six-digit pincode in India, the postal code abroad' }),
  country: CountryCode,
}, { additionalProperties: false });

export const AddressesSchema = Type.Object({
  correspondence: AddressSchema,
  permanent: Type.Optional(AddressSchema),
}, { additionalProperties: false });

export const TaxResidencySchema = Type.Object({
  country: CountryCode,
  taxId: Type.Optional(Type.String({ minLength: 1, maxLength: limits.taxIdLength })),
}, { additionalProperties: false });

export const FatcaSchema = Type.Object({
  applicable: Type.Boolean(),
  taxResidencies: Type.Array(TaxResidencySchema),
}, { additionalProperties: false });

export const BankSchema = Type.Object({
  ifsc: Type.String({ pattern: patterns.ifsc.source }),
  accountNumber: Type.String({ pattern: patterns.bankAccount.source }),
  type: Type.Enum(bankAccountTypes),
  primary: Type.Boolean(),
}, { additionalProperties: false });

export const DematSchema = Type.Object({
  depository: Type.Enum(depositories),
  boId: Type.String({ description: 'CDSL: 16 digits; NSDL: IN + 14 digits' }),
  ddpi: Type.Boolean(),
}, { additionalProperties: false });

export const SegmentSchema = Type.Object({
  segment: Type.Enum(segmentCodes),
  status: Type.Enum(segmentStatuses),
  activatedOn: Type.Optional(IsoDate),
}, { additionalProperties: false });

export const NomineeIdentifierSchema = Type.Object({
  type: Type.Enum(nomineeIdentifierTypes),
  value: Type.String({ minLength: 4, maxLength: 16 }),
}, { additionalProperties: false });

export const GuardianSchema = Type.Object({
  name: PersonName,
  relation: Type.Enum(guardianRelations),
  pan: Type.Optional(Pan),
}, { additionalProperties: false });

export const NomineeSchema = Type.Object({
  name: PersonName,
  relation: Type.Enum(nomineeRelations),
  sharePct: Type.Number({ exclusiveMinimum: 0, maximum: 100 }),
  identifier: NomineeIdentifierSchema,
  dob: Type.Optional(IsoDate),
  guardian: Type.Optional(GuardianSchema),
}, { additionalProperties: false });

export const ConsentSchema = Type.Object({
  purpose: Type.String({ pattern: patterns.purpose.source }),
  channel: Type.Enum(consentChannels),
  givenAt: IsoTimestamp,
  withdrawnAt: Type.Optional(IsoTimestamp),
}, { additionalProperties: false });

export const SourceSchema = Type.Object({
  system: Type.String({ minLength: 1, maxLength: limits.sourceSystemLength }),
  version: Type.Integer({ minimum: 1, description: 'Monotonically increasing per client within a source' }),
  asOf: IsoTimestamp,
}, { additionalProperties: false });
