// The flat (CSV/XLSX) layout of back-office records: one `kind` column and the union of every
// kind's fields (a row fills the columns of its kind). Columns are derived from the TypeBox
// schemas, so a field added to a schema appears in files without touching this file.
import { BackofficeRecordSchema } from './backoffice-record.ts';
import { createListCodec, type Column } from './flat-layout.ts';

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; anyOf?: JsonSchema[] };

/** `source.asOf` → `source_as_of`. */
export function toSnakeCase(path: string): string {
  return path.replace(/\./g, '_').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

const uccCodec = createListCodec(['exchange', 'segment', 'exchangeClientCode', 'status']);

function collectLeaves(schema: JsonSchema, prefix: string, out: Map<string, string>): void {
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (property.type === 'object') collectLeaves(property, path, out);
    else if (!out.has(path)) out.set(path, property.type ?? 'string');
  }
}

/** Path → JSON type (`string`, `number`, `integer`, `boolean`, `array`) of every back-office field. */
export const backofficeFieldTypes: ReadonlyMap<string, string> = (() => {
  const out = new Map<string, string>();
  for (const schema of (BackofficeRecordSchema as unknown as JsonSchema).anyOf ?? []) collectLeaves(schema, '', out);
  return out;
})();

/** The union layout: kind, client code, the source, then every other field in schema order. */
export function buildBackofficeColumns(): Column[] {
  const first = ['kind', 'clientCode', 'source.system', 'source.version', 'source.asOf'];
  const rest = [...backofficeFieldTypes.keys()].filter((path) => !first.includes(path));
  return [...first, ...rest].map((path) => (path === 'ucc' ? { header: 'ucc', path, ...uccCodec } : { header: toSnakeCase(path), path }));
}

