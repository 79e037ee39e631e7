// The flat (CSV/XLSX) column layout of a client record: one column per scalar, numbered slots for
// banks, demat accounts and nominees, and compact `a/b/c|a/b/c` cells for short lists. The same
// column list drives the writer (record → cells) and the row mapper (cells → nested input), so the
// two cannot drift apart.

export type Column = {
  header: string;
  /** Dotted path into the record; numeric parts index arrays (`banks.0.ifsc`). */
  path: string;
  /** Record value → cell text (default: strings as they are, numbers in decimal, booleans Y/N). */
  encode?: (value: unknown) => string;
  /** Cell text → input value (default: the text itself); undefined leaves the field unset. */
  decode?: (cell: string) => unknown;
  /** For the writer: takes the value from the whole record instead of `path`. */
  pick?: (record: Record<string, unknown>) => unknown;
  /** For the mapper: set only when no other column set the field (APP_COMMENCE_DT for dob). */
  fallback?: boolean;
};

export type ListCodec = { encode: (value: unknown) => string; decode: (cell: string) => unknown };

/** A list of objects in one cell: fields joined by `/`, items by `|`; empty fields are omitted on decode. */
export function createListCodec(fields: readonly string[]): ListCodec {
  return {
    encode: (value) => (Array.isArray(value) ? value.map((item: Record<string, unknown>) => fields.map((f) => encodeCell(item?.[f])).join('/')).join('|') : ''),
    decode: (cell) => cell.split('|').filter((item) => item.trim() !== '').map((item) => {
      const parts = item.split('/');
      const out: Record<string, string> = {};
      fields.forEach((field, i) => {
        const part = parts[i]?.trim();
        if (part) out[field] = part;
      });
      return out;
    }),
  };
}

/** Default cell text of a record value. */
export function encodeCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'boolean') return value ? 'Y' : 'N';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

export const segmentsCodec = createListCodec(['segment', 'status', 'activatedOn']);
export const consentsCodec = createListCodec(['purpose', 'channel', 'givenAt', 'withdrawnAt']);
export const taxResidenciesCodec = createListCodec(['country', 'taxId']);

export const slotCounts = { banks: 5, demat: 3, nominees: 10 } as const;
/** Slots the writer emits; the mapper reads up to `slotCounts`. */
export const writtenSlots = { banks: 2, demat: 2, nominees: 3 } as const;

function address(prefix: string, kind: string): Column[] {
  const base = `addresses.${kind}`;
  return [
    ...[1, 2, 3].map((n) => ({ header: `${prefix}_line${n}`, path: `${base}.lines.${n - 1}` })),
    { header: `${prefix}_city`, path: `${base}.city` },
    { header: `${prefix}_state`, path: `${base}.stateCode` },
    { header: `${prefix}_pincode`, path: `${base}.pincode` },
    { header: `${prefix}_country`, path: `${base}.country` },
  ];
}

function bankSlot(n: number): Column[] {
  const p = `banks.${n - 1}`;
  return [
    { header: `bank${n}_ifsc`, path: `${p}.ifsc` },
    { header: `bank${n}_account`, path: `${p}.accountNumber` },
    { header: `bank${n}_type`, path: `${p}.type` },
    { header: `bank${n}_primary`, path: `${p}.primary` },
  ];
}

function dematSlot(n: number): Column[] {
  const p = `demat.${n - 1}`;
  return [
    { header: `demat${n}_depository`, path: `${p}.depository` },
    { header: `demat${n}_bo_id`, path: `${p}.boId` },
    { header: `demat${n}_ddpi`, path: `${p}.ddpi` },
  ];
}

function nomineeSlot(n: number): Column[] {
  const p = `nominees.${n - 1}`;
  return [
    { header: `nominee${n}_name`, path: `${p}.name` },
    { header: `nominee${n}_relation`, path: `${p}.relation` },
    { header: `nominee${n}_share`, path: `${p}.sharePct` },
    { header: `nominee${n}_id_type`, path: `${p}.identifier.type` },
    { header: `nominee${n}_id_value`, path: `${p}.identifier.value` },
    { header: `nominee${n}_dob`, path: `${p}.dob` },
    { header: `nominee${n}_guardian_name`, path: `${p}.guardian.name` },
    { header: `nominee${n}_guardian_relation`, path: `${p}.guardian.relation` },
    { header: `nominee${n}_guardian_pan`, path: `${p}.guardian.pan` },
  ];
}

const range = (count: number) => Array.from({ length: count }, (_, i) => i + 1);

export const identityColumns: Column[] = [
  { header: 'client_code', path: 'clientCode' },
  { header: 'pan', path: 'pan' },
  { header: 'first_name', path: 'name.first' },
  { header: 'middle_name', path: 'name.middle' },
  { header: 'last_name', path: 'name.last' },
  { header: 'father_or_spouse_name', path: 'fatherOrSpouseName' },
  { header: 'gender', path: 'gender' },
  { header: 'dob', path: 'dob' },
  { header: 'marital_status', path: 'maritalStatus' },
  { header: 'nationality', path: 'nationality' },
  { header: 'residential_status', path: 'residentialStatus' },
  { header: 'aadhaar', path: 'aadhaar' },
  { header: 'aadhaar_last4', path: 'aadhaarLast4' },
  { header: 'ckyc_kin', path: 'ckycKin' },
  { header: 'gstin', path: 'gstin' },
  { header: 'guardian_name', path: 'guardian.name' },
  { header: 'guardian_relation', path: 'guardian.relation' },
  { header: 'guardian_pan', path: 'guardian.pan' },
];

export const kraColumns: Column[] = [
  { header: 'kra', path: 'kra' },
  { header: 'kra_status', path: 'kraStatus' },
  { header: 'kra_status_date', path: 'kraStatusDate' },
  { header: 'kyc_mode', path: 'kycMode' },
];

export const contactColumns: Column[] = [
  { header: 'mobile', path: 'mobile.number' },
  { header: 'mobile_relation', path: 'mobile.relation' },
  { header: 'email', path: 'email.address' },
  { header: 'email_relation', path: 'email.relation' },
  ...address('cor', 'correspondence'),
  ...address('per', 'permanent'),
];

export const profileColumns: Column[] = [
  { header: 'occupation', path: 'occupation' },
  { header: 'income_range', path: 'incomeRange' },
  { header: 'pep', path: 'pep' },
  { header: 'fatca_applicable', path: 'fatca.applicable' },
  { header: 'fatca_tax_residencies', path: 'fatca.taxResidencies', ...taxResidenciesCodec },
];

function accountColumns(slots: { banks: number; demat: number }): Column[] {
  return [
    ...range(slots.banks).flatMap(bankSlot),
    ...range(slots.demat).flatMap(dematSlot),
    { header: 'segments', path: 'segments', ...segmentsCodec },
    { header: 'mtf_agreement_date', path: 'mtfAgreementDate' },
  ];
}

function nominationColumns(slots: number): Column[] {
  return [...range(slots).flatMap(nomineeSlot), { header: 'nomination_opt_out', path: 'nominationOptOut' }];
}

export const governanceColumns: Column[] = [
  { header: 'risk_category', path: 'riskCategory' },
  { header: 'consents', path: 'consents', ...consentsCodec },
  { header: 'source_system', path: 'source.system' },
  { header: 'source_version', path: 'source.version' },
  { header: 'source_as_of', path: 'source.asOf' },
];

/** Our own flat layout with `slots` numbered bank/demat/nominee columns. */
export function buildClientColumns(slots: { banks: number; demat: number; nominees: number } = writtenSlots): Column[] {
  return [
    ...identityColumns, ...kraColumns, ...contactColumns, ...profileColumns,
    ...accountColumns(slots), ...nominationColumns(slots.nominees), ...governanceColumns,
  ];
}

/** The value at a dotted path, or undefined. */
export function getPath(record: unknown, parts: readonly string[]): unknown {
  let node: unknown = record;
  for (const part of parts) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

// One cell reader per column: paths split once, so writing millions of rows does no per-row parsing.
function compileCellReaders(columns: readonly Column[]): Array<(record: unknown) => string> {
  return columns.map((column) => {
    const encode = column.encode ?? encodeCell;
    if (column.pick) return (record: unknown) => encode(column.pick!(record as Record<string, unknown>));
    const read = compileGetter(column.path.split('.'));
    return (record: unknown) => encode(read(record));
  });
}

/** Compiles a layout into a function from a record to its cells, in column order. */
export function createFlattener(columns: readonly Column[]): (record: unknown) => string[] {
  const readers = compileCellReaders(columns);
  return (record) => readers.map((read) => read(record));
}

/**
 * Like `createFlattener`, but returns the delimited line itself (cells passed through `escape` and
 * joined by `separator`) without intermediate arrays: the CSV writer's hot path.
 */
export function createLineBuilder(columns: readonly Column[], escape: (cell: string) => string, separator: string): (record: unknown) => string {
  const readers = compileCellReaders(columns);
  return (record) => {
    let line = escape(readers[0]!(record));
    for (let i = 1; i < readers.length; i++) line += separator + escape(readers[i]!(record));
    return line;
  };
}

type Node = Record<string, unknown> | undefined;

// Straight-line getters for the common depths: no per-row loop or path parsing.
function compileGetter(parts: readonly string[]): (record: unknown) => unknown {
  const [a = '', b = '', c = '', d = ''] = parts;
  switch (parts.length) {
    case 1: return (r) => (r as Node)?.[a];
    case 2: return (r) => ((r as Node)?.[a] as Node)?.[b];
    case 3: return (r) => (((r as Node)?.[a] as Node)?.[b] as Node)?.[c];
    case 4: return (r) => ((((r as Node)?.[a] as Node)?.[b] as Node)?.[c] as Node)?.[d];
    default: return (r) => getPath(r, parts);
  }
}
