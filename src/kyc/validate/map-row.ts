// Flat rows (CSV, XLSX) to the nested input `validateClientRecord` reads. Headers are recognised by
// name, case-, space- and punctuation-insensitively, in our own layout, the KRA `APP_*` layout, or
// a mix; column order does not matter. Detection runs once per file, mapping once per row.
import { buildClientColumns, slotCounts, type Column } from '../flat-layout.ts';
import { buildKraColumns, isKraHeader } from '../kra-layout.ts';

/** `APP_PAN_NO`, `App Pan No`, `app-pan-no` → `apppanno`. */
export function normalizeHeader(header: string): string {
  return header.replace(/^\uFEFF/, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

// Other names feeds use for our fields.
const aliases: Record<string, string> = {
  ucc: 'clientCode', clientid: 'clientCode', uccode: 'clientCode',
  panno: 'pan', pannumber: 'pan',
  name: 'name', fullname: 'name', clientname: 'name',
  fathername: 'fatherOrSpouseName', spousename: 'fatherOrSpouseName',
  dateofbirth: 'dob', birthdate: 'dob',
  mobileno: 'mobile.number', mobilenumber: 'mobile.number', phone: 'mobile.number',
  emailid: 'email.address', emailaddress: 'email.address',
  aadhaarno: 'aadhaar', aadhaarnumber: 'aadhaar', uid: 'aadhaar',
  kin: 'ckycKin', ckycno: 'ckycKin', ckycnumber: 'ckycKin',
};

function buildLookup(columns: readonly Column[], extra: Record<string, string> = {}): Map<string, Column> {
  const lookup = new Map<string, Column>();
  for (const column of columns) {
    const key = normalizeHeader(column.header);
    if (!lookup.has(key)) lookup.set(key, column);
  }
  for (const [alias, path] of Object.entries(extra)) if (!lookup.has(alias)) lookup.set(alias, { header: alias, path });
  return lookup;
}

const clientLookup = buildLookup([...buildClientColumns(slotCounts), ...buildKraColumns(slotCounts)], aliases);

export type RowMapper = {
  /** The nested input object of one row; empty cells leave their field absent. */
  map: (cells: readonly unknown[]) => Record<string, unknown>;
  /** Headers mapped to a record field. */
  mapped: string[];
  /** KRA headers the record does not carry (IPV flag, proofs, batch fields). */
  ignored: string[];
  /** Headers nobody recognised. */
  unknown: string[];
  /** Headers naming a field an earlier column already maps (the first one wins). */
  duplicates: string[];
};

// Numeric parts are kept as numbers so array slots are indexed as arrays, not as string keys.
type Setter = { index: number; parts: Array<string | number>; arrayNext: boolean[]; column: Column };

/**
 * Recognises client-record `headers` (ours, KRA `APP_*`, or a mix) once and returns a mapper for
 * the rows under them. Never throws: cells of any type are accepted (exceljs rich text, formulas
 * and hyperlinks read as their text or result).
 */
export function createRowMapper(headers: readonly unknown[]): RowMapper {
  return createMapper(clientLookup, headers);
}

/** The same for any flat layout (the back-office union layout uses it). */
export function createRowMapperFor(columns: readonly Column[], headers: readonly unknown[]): RowMapper {
  return createMapper(buildLookup(columns), headers);
}

function createMapper(lookup: ReadonlyMap<string, Column>, headers: readonly unknown[]): RowMapper {
  const setters: Setter[] = [];
  const result: RowMapper = { map: () => ({}), mapped: [], ignored: [], unknown: [], duplicates: [] };
  const seenPaths = new Set<string>();
  headers.forEach((raw, index) => {
    const header = typeof raw === 'string' ? raw : raw === null || raw === undefined ? '' : String(raw);
    if (header.trim() === '') return;
    const column = lookup.get(normalizeHeader(header));
    if (column === undefined) {
      (isKraHeader(header) ? result.ignored : result.unknown).push(header);
      return;
    }
    const slot = `${column.path}${column.fallback ? '?' : ''}`;
    if (seenPaths.has(slot)) return void result.duplicates.push(header);
    seenPaths.add(slot);
    result.mapped.push(header);
    const parts = column.path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    setters.push({ index, parts, arrayNext: parts.map((_, i) => typeof parts[i + 1] === 'number'), column });
  });
  // Fallback columns (APP_COMMENCE_DT) run last so they only fill what nothing else set.
  setters.sort((a, b) => Number(a.column.fallback ?? false) - Number(b.column.fallback ?? false));
  result.map = (cells) => mapCells(setters, cells);
  return result;
}

/** One-off convenience: `createRowMapper(headers).map(cells)`. */
export function mapRow(headers: readonly unknown[], cells: readonly unknown[]): Record<string, unknown> {
  return createRowMapper(headers).map(cells);
}

function mapCells(setters: readonly Setter[], cells: readonly unknown[]): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const setter of setters) {
    const cell = readCell(cells[setter.index]);
    if (cell === undefined) continue;
    // Decoders read text; a number cell (Excel drops leading zeros: 1 for "01") is read as its text.
    const value = setter.column.decode && (typeof cell === 'string' || typeof cell === 'number') ? setter.column.decode(String(cell)) : cell;
    if (value === undefined || value === '') continue;
    setAt(input, setter, value);
  }
  return input;
}

function setAt(root: Record<string, unknown>, setter: Setter, value: unknown): void {
  let node = root as Record<string | number, unknown>;
  const { parts, arrayNext } = setter;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i]!;
    let child = node[key];
    if (child === undefined) {
      child = arrayNext[i] ? [] : {};
      node[key] = child;
    } else if (child === null || typeof child !== 'object') return; // a mixed layout already set a scalar here
    node = child as Record<string | number, unknown>;
  }
  const last = parts[parts.length - 1]!;
  if (setter.column.fallback && node[last] !== undefined) return;
  node[last] = value;
}

// exceljs cells: text, numbers, booleans, dates, or objects for rich text, formulas and links.
function readCell(cell: unknown, depth = 0): unknown {
  if (cell === null || cell === undefined) return undefined;
  if (typeof cell === 'string') return cell === '' || (cell.charCodeAt(0) <= 32 && cell.trim() === '') ? undefined : cell;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : undefined;
  if (typeof cell === 'boolean' || cell instanceof Date) return cell;
  if (typeof cell !== 'object' || depth > 2) return undefined;
  const obj = cell as Record<string, unknown>;
  if (Array.isArray(obj.richText)) return obj.richText.map((run: { text?: unknown }) => (typeof run?.text === 'string' ? run.text : '')).join('');
  if ('result' in obj) return readCell(obj.result, depth + 1);
  if (typeof obj.text === 'string') return obj.text;
  return undefined;
}
