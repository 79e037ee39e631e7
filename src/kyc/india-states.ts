// States and union territories: our canonical two-letter code, the GST state code and the postal
// circle prefixes (first two pincode digits) their pincodes fall under. The prefixes are broad on
// purpose: a rejection must mean "this pincode cannot be in this state", never "we are not sure".

export type IndiaState = {
  code: string;
  name: string;
  /** GST state code, the first two digits of a GSTIN registered there. */
  gstCode: string;
  /** First two pincode digits found in the state. */
  pinPrefixes: readonly string[];
  /** Other spellings seen in feeds (old ISO codes, old names). */
  aliases: readonly string[];
};

export const indiaStates: readonly IndiaState[] = [
  { code: 'AN', name: 'Andaman and Nicobar Islands', gstCode: '35', pinPrefixes: ['74'], aliases: [] },
  { code: 'AP', name: 'Andhra Pradesh', gstCode: '37', pinPrefixes: ['50', '51', '52', '53'], aliases: [] },
  { code: 'AR', name: 'Arunachal Pradesh', gstCode: '12', pinPrefixes: ['79'], aliases: [] },
  { code: 'AS', name: 'Assam', gstCode: '18', pinPrefixes: ['78'], aliases: [] },
  { code: 'BR', name: 'Bihar', gstCode: '10', pinPrefixes: ['80', '81', '82', '84', '85'], aliases: [] },
  { code: 'CG', name: 'Chhattisgarh', gstCode: '22', pinPrefixes: ['49'], aliases: ['CT', 'CHATTISGARH'] },
  { code: 'CH', name: 'Chandigarh', gstCode: '04', pinPrefixes: ['16'], aliases: [] },
  { code: 'DH', name: 'Dadra and Nagar Haveli and Daman and Diu', gstCode: '26', pinPrefixes: ['36', '39'], aliases: ['DD', 'DN', 'DAMAN AND DIU', 'DADRA AND NAGAR HAVELI'] },
  { code: 'DL', name: 'Delhi', gstCode: '07', pinPrefixes: ['11'], aliases: ['NCT OF DELHI', 'NEW DELHI'] },
  { code: 'GA', name: 'Goa', gstCode: '30', pinPrefixes: ['40'], aliases: [] },
  { code: 'GJ', name: 'Gujarat', gstCode: '24', pinPrefixes: ['36', '37', '38', '39'], aliases: [] },
  { code: 'HP', name: 'Himachal Pradesh', gstCode: '02', pinPrefixes: ['17'], aliases: [] },
  { code: 'HR', name: 'Haryana', gstCode: '06', pinPrefixes: ['12', '13'], aliases: [] },
  { code: 'JH', name: 'Jharkhand', gstCode: '20', pinPrefixes: ['81', '82', '83'], aliases: [] },
  { code: 'JK', name: 'Jammu and Kashmir', gstCode: '01', pinPrefixes: ['18', '19'], aliases: [] },
  { code: 'KA', name: 'Karnataka', gstCode: '29', pinPrefixes: ['56', '57', '58', '59'], aliases: [] },
  { code: 'KL', name: 'Kerala', gstCode: '32', pinPrefixes: ['67', '68', '69'], aliases: [] },
  { code: 'LA', name: 'Ladakh', gstCode: '38', pinPrefixes: ['19'], aliases: [] },
  { code: 'LD', name: 'Lakshadweep', gstCode: '31', pinPrefixes: ['68'], aliases: [] },
  { code: 'MH', name: 'Maharashtra', gstCode: '27', pinPrefixes: ['40', '41', '42', '43', '44'], aliases: [] },
  { code: 'ML', name: 'Meghalaya', gstCode: '17', pinPrefixes: ['79'], aliases: [] },
  { code: 'MN', name: 'Manipur', gstCode: '14', pinPrefixes: ['79'], aliases: [] },
  { code: 'MP', name: 'Madhya Pradesh', gstCode: '23', pinPrefixes: ['45', '46', '47', '48'], aliases: [] },
  { code: 'MZ', name: 'Mizoram', gstCode: '15', pinPrefixes: ['79'], aliases: [] },
  { code: 'NL', name: 'Nagaland', gstCode: '13', pinPrefixes: ['79'], aliases: [] },
  { code: 'OD', name: 'Odisha', gstCode: '21', pinPrefixes: ['75', '76', '77'], aliases: ['OR', 'ORISSA'] },
  { code: 'PB', name: 'Punjab', gstCode: '03', pinPrefixes: ['14', '15', '16'], aliases: [] },
  { code: 'PY', name: 'Puducherry', gstCode: '34', pinPrefixes: ['53', '60', '67'], aliases: ['PONDICHERRY'] },
  { code: 'RJ', name: 'Rajasthan', gstCode: '08', pinPrefixes: ['30', '31', '32', '33', '34'], aliases: [] },
  { code: 'SK', name: 'Sikkim', gstCode: '11', pinPrefixes: ['73'], aliases: [] },
  { code: 'TG', name: 'Telangana', gstCode: '36', pinPrefixes: ['50'], aliases: ['TS'] },
  { code: 'TN', name: 'Tamil Nadu', gstCode: '33', pinPrefixes: ['60', '61', '62', '63', '64'], aliases: [] },
  { code: 'TR', name: 'Tripura', gstCode: '16', pinPrefixes: ['79'], aliases: [] },
  { code: 'UK', name: 'Uttarakhand', gstCode: '05', pinPrefixes: ['24', '26'], aliases: ['UT', 'UTTARANCHAL'] },
  { code: 'UP', name: 'Uttar Pradesh', gstCode: '09', pinPrefixes: ['20', '21', '22', '23', '24', '25', '26', '27', '28'], aliases: [] },
  { code: 'WB', name: 'West Bengal', gstCode: '19', pinPrefixes: ['70', '71', '72', '73', '74'], aliases: [] },
];

/** GST state codes that exist besides the current states: pre-merger codes, other territory, centre. */
const extraGstCodes = ['25', '28', '97', '99'];

export const stateCodes: readonly string[] = indiaStates.map((s) => s.code);
const byCode = new Map(indiaStates.map((s) => [s.code, s]));
const byKey = new Map<string, IndiaState>();
for (const state of indiaStates) {
  for (const spelling of [state.code, state.name, ...state.aliases]) byKey.set(keyOf(spelling), state);
}
const gstCodes = new Set([...indiaStates.map((s) => s.gstCode), ...extraGstCodes]);

function keyOf(spelling: string): string {
  return spelling.toUpperCase().replace(/&/g, 'AND').replace(/[^A-Z]/g, '');
}

/** The state with this canonical code, or undefined. */
export function findStateByCode(code: string): IndiaState | undefined {
  return byCode.get(code);
}

/** Resolves a code, an old code or a name ("Jammu & Kashmir", "Orissa") to the canonical code. */
export function resolveStateCode(spelling: string): string | undefined {
  return byKey.get(keyOf(spelling))?.code;
}

/** True when a pincode can belong to the state (by its postal circle prefix). */
export function isPincodeInState(pincode: string, stateCode: string): boolean {
  const state = byCode.get(stateCode);
  return state !== undefined && state.pinPrefixes.includes(pincode.slice(0, 2));
}

/** True for a GST state code a GSTIN may start with. */
export function isGstStateCode(code: string): boolean {
  return gstCodes.has(code);
}
