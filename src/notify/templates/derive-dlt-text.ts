// The DLT text an SMS body calls for: what to register on the DLT portal, with each placeholder
// turned into as many `{#var#}` as its longest value needs. Used by the seeds and offered by the
// preview, so an admin who rewrites a body sees the registration it now needs.
import type { TSchema } from 'typebox';
import { dltVariable, dltVariableMaxLength } from './dlt.ts';
import { isFreeText } from './format.ts';
import { parseTemplateText } from './placeholders.ts';
import { variableSchemas } from './render.ts';

/**
 * How many `{#var#}` a variable gets when its registered text is derived: enough for its longest
 * value at 30 characters each (a link three, a 40-character reference two), free text at most two
 * (it is shortened to fit), everything else one.
 */
function dltWidth(schema: TSchema | undefined): number {
  const maxLength = (schema as { maxLength?: unknown } | undefined)?.maxLength;
  if (typeof maxLength !== 'number') return 1;
  const needed = Math.ceil(maxLength / dltVariableMaxLength);
  return Math.max(1, Math.min(needed, isFreeText(schema) ? 2 : 3));
}

/** The text to register on the DLT portal for an SMS body: each placeholder becomes its `{#var#}` run. */
export function deriveDltText(body: string, type: string): string {
  const schemas = variableSchemas(type) ?? {};
  return parseTemplateText(body).parts
    .map((part) => (part.kind === 'text' ? part.text : dltVariable.repeat(dltWidth(schemas[part.placeholder.name]))))
    .join('');
}

