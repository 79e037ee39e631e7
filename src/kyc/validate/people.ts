// Names and guardians, shared by the client, the client's guardian and nominees.
import { guardianRelations } from '../codes.ts';
import { limits } from '../patterns.ts';
import type { Guardian, PersonNameParts } from '../client-record.ts';
import { get, readEnum, readObject, readString, dropUndefined } from './read.ts';
import { addIssue, type Issues } from './rules.ts';
import { validatePan } from './identifiers.ts';

// Letters of any script, combining marks, and the punctuation real names carry. Angle brackets,
// quotes, semicolons and the like (script or SQL text) never belong in a name.
const personName = /^[\p{L}\p{M}][\p{L}\p{M} .'-]*$/u;
const entityName = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} .,'&()/-]*$/u;

/** A person's (or, with `entity`, an organisation's) name: normalised, allowed characters, at most 100. */
export function readName(value: unknown, field: string, issues: Issues, required: boolean, entity = false): string | undefined {
  const name = readString(value, field, issues, required);
  if (name === undefined) return undefined;
  if (name.length > limits.nameLength) {
    addIssue(issues, field, 'name.too_long');
    return undefined;
  }
  if (!(entity ? entityName : personName).test(name)) {
    addIssue(issues, field, 'name.characters');
    return undefined;
  }
  return name;
}

/** Splits a one-field name (KRA `APP_NAME`): first word, middle words, last word; entities stay whole. */
export function splitFullName(full: string, entity: boolean): PersonNameParts {
  const words = full.split(' ').filter((word) => word !== '');
  if (entity || words.length <= 1) return { first: full };
  if (words.length === 2) return { first: words[0]!, last: words[1]! };
  return { first: words[0]!, middle: words.slice(1, -1).join(' '), last: words[words.length - 1]! };
}

/**
 * The client's name as {first, middle, last}; a plain string is split as KRA names are. The whole
 * name (parts joined by spaces) is what the 100-character limit applies to.
 */
export function readNameParts(value: unknown, field: string, issues: Issues, entity: boolean): PersonNameParts | undefined {
  let parts: unknown = value;
  if (typeof value === 'string') {
    const whole = readName(value, field, issues, true, entity);
    if (whole === undefined) return undefined;
    parts = splitFullName(whole, entity);
  }
  const obj = readObject(parts, field, issues, true);
  if (obj === undefined) return undefined;
  const errorsBefore = issues.errors.length;
  const first = readName(get(obj, 'first'), `${field}.first`, issues, true, entity);
  const middle = readName(get(obj, 'middle'), `${field}.middle`, issues, false, entity);
  const last = readName(get(obj, 'last'), `${field}.last`, issues, false, entity);
  if (issues.errors.length > errorsBefore || first === undefined) return undefined;
  if ([first, middle, last].filter((part) => part !== undefined).join(' ').length > limits.nameLength) {
    addIssue(issues, field, 'name.too_long');
    return undefined;
  }
  return dropUndefined({ first, middle, last });
}

/** A guardian {name, relation, pan?}; `relation` defaults to OTHER when a feed does not send it. */
export function readGuardian(value: unknown, field: string, issues: Issues, required: boolean): Guardian | undefined {
  const obj = readObject(value, field, issues, required);
  if (obj === undefined) return undefined;
  const name = readName(get(obj, 'name'), `${field}.name`, issues, true);
  const relation = readEnum(get(obj, 'relation'), `${field}.relation`, issues, guardianRelations, false) ?? 'OTHER';
  const panText = readString(get(obj, 'pan'), `${field}.pan`, issues, false);
  let pan: string | undefined;
  if (panText !== undefined) {
    const checked = validatePan(panText);
    if (checked.ok) pan = checked.value;
    else addIssue(issues, `${field}.pan`, checked.rule);
  }
  if (name === undefined) return undefined;
  return dropUndefined({ name, relation, pan });
}
