// The closed value lists of the client record (DOMAIN.md §1). One `as const` list per field, so the
// TypeBox schemas, the validator and the generator cannot disagree about what a field may hold.

export const genders = ['M', 'F', 'T'] as const;
/** KRA `APP_MAR_STATUS` 01/02/03 map to these. */
export const maritalStatuses = ['MARRIED', 'UNMARRIED', 'OTHER'] as const;
export const residentialStatuses = ['RESIDENT', 'NRI', 'FOREIGN_NATIONAL'] as const;

/** The order is the KRA digit of a status code: 0 CVL, 1 NDML, 2 DotEx, 3 CAMS, 4 KFintech. */
export const kras = ['CVL', 'NDML', 'DOTEX', 'CAMS', 'KFIN'] as const;
/** 0 normal, 1 e-KYC OTP, 2 e-KYC biometric, 3 online + IPV, 4 offline Aadhaar, 5 DigiLocker, 6 SARAL. */
export const kycModes = [0, 1, 2, 3, 4, 5, 6] as const;

export const contactRelations = ['SELF', 'SPOUSE', 'DEPENDENT_CHILD', 'DEPENDENT_PARENT'] as const;

/** KRA `APP_OCC` codes. */
export const occupations = {
  '01': 'Private sector service',
  '02': 'Public sector service',
  '03': 'Business',
  '04': 'Professional',
  '05': 'Agriculturist',
  '06': 'Retired',
  '07': 'Housewife',
  '08': 'Student',
  '09': 'Forex dealer',
  '10': 'Government service',
  '99': 'Others',
} as const;
export const occupationCodes = Object.keys(occupations) as Array<keyof typeof occupations>;

/** 01 <1L, 02 1-5L, 03 5-10L, 04 10-25L, 05 25L-1Cr, 06 >1Cr (gross annual income, rupees). */
export const incomeRanges = ['01', '02', '03', '04', '05', '06'] as const;
export const pepStatuses = ['NA', 'PEP', 'RPEP'] as const;

export const bankAccountTypes = ['SB', 'CA', 'NRE', 'NRO'] as const;
export const depositories = ['CDSL', 'NSDL'] as const;
export const segmentCodes = ['CM', 'FO', 'CD', 'COM', 'MTF', 'SLB'] as const;
export const segmentStatuses = ['ACTIVE', 'INACTIVE', 'SUSPENDED'] as const;
/** Segments an individual may trade only at 18 or older (DOMAIN.md §2). */
export const adultOnlySegments: ReadonlySet<string> = new Set(['FO', 'MTF']);

export const nomineeRelations = [
  'SPOUSE', 'SON', 'DAUGHTER', 'FATHER', 'MOTHER', 'BROTHER', 'SISTER', 'GRANDSON', 'GRANDDAUGHTER', 'OTHER',
] as const;
export const nomineeIdentifierTypes = ['PAN', 'DL', 'AADHAAR_LAST4'] as const;
export const guardianRelations = ['FATHER', 'MOTHER', 'COURT_APPOINTED', 'OTHER'] as const;
export const maxNominees = 10;

export const riskCategories = ['L', 'M', 'H'] as const;
/** The channel a consent covers; ALL for consents that are not channel-specific (KYC processing). */
export const consentChannels = ['SMS', 'WHATSAPP', 'EMAIL', 'PUSH', 'VOICE', 'ALL'] as const;

/** PAN 4th letter → holder type. Only P is an individual. */
export const panHolderTypes = {
  P: 'INDIVIDUAL',
  C: 'COMPANY',
  H: 'HUF',
  F: 'FIRM_LLP',
  A: 'AOP',
  T: 'TRUST',
  B: 'BOI',
  L: 'LOCAL_AUTHORITY',
  J: 'ARTIFICIAL_JURIDICAL_PERSON',
  G: 'GOVERNMENT',
} as const;
export type PanHolderLetter = keyof typeof panHolderTypes;
export type PanHolderType = (typeof panHolderTypes)[PanHolderLetter];
