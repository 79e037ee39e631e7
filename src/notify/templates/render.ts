// Rendering: a template version and an event's variables become the content a ChannelProvider
// sends (SmsContent, WhatsAppContent, PushContent). Rendering never guesses: an absent variable
// without a fallback, a value of the wrong kind, an SMS that would not match its DLT registration
// and a message past its channel's size each fail with a code and the field to blame, and the
// message text never holds "undefined".
import type { TSchema } from 'typebox';
import type { PushContent, SmsContent, WhatsAppContent } from '../channel-provider.ts';
import { getEventDefinition } from '../../events/catalog.ts';
import { parseExpression, parseTemplateText, type Placeholder, type TextPart } from './placeholders.ts';
import { defaultFormat, formatValue, isFreeText, isValueFormat, type FormatOptions, type ValueFormat } from './format.ts';
import { alignDltWidths, checkDlt, dltVariableMaxLength, isGsm7, measureSms, type DltCheck, type SmsMeasure } from './dlt.ts';
import type { TemplateDraft, TemplateLanguage } from './template.ts';

/** Variables every template may use besides its type's catalog variables (from the event envelope). */
export const envelopeVariables: Record<string, TSchema> = {
  clientCode: { type: 'string', pattern: '^[A-Z0-9]{1,10}$', description: 'The client code (UCC)' } as TSchema,
};

export const renderErrorCodes = ['missing_variable', 'invalid_variable', 'unknown_type', 'syntax', 'dlt_mismatch', 'too_long'] as const;
export type RenderErrorCode = (typeof renderErrorCodes)[number];

/** A version to render: a stored one, or a draft being previewed (version 0). */
export type RenderableTemplate = TemplateDraft & { id: string; version: number };

export type RenderOptions = {
  /** The language dates and codes are written in; the template's own by default. */
  language?: TemplateLanguage;
  /** Longest SMS, in segments, before the render fails as too_long. */
  maxSmsSegments?: number;
  /** Leaves the DLT match to the caller: only for previews, which show the text and the mismatch. */
  skipDltCheck?: boolean;
};

export type RenderFailure = {
  ok: false;
  code: RenderErrorCode;
  /** The variable, or the template field (`body`, `dltText`, `title`), to blame. */
  field: string;
  message: string;
  /** Character offset of the problem, when it has one (DLT mismatch, syntax). */
  position?: number;
  templateId: string;
  version: number;
};

type Rendered<C extends string, T> = { ok: true; channel: C; content: T; templateId: string; version: number; /** What the recipient reads. */ text: string };
export type RenderSuccess =
  | (Rendered<'sms', SmsContent> & { sms: SmsMeasure })
  | Rendered<'whatsapp', WhatsAppContent>
  | Rendered<'push', PushContent>;
export type RenderResult = RenderSuccess | RenderFailure;

export const defaultMaxSmsSegments = 6;
/** FCM refuses a message over 4096 bytes; the notification part gets this much of it. */
const maxPushBytes = 3500;
const maxPushTitle = 120;
/** Meta: a template body, parameters filled, holds at most 1024 characters. */
const maxWhatsAppBody = 1024;

class RenderError extends Error {
  readonly code: RenderErrorCode;
  readonly field: string;
  readonly position: number | undefined;
  constructor(code: RenderErrorCode, field: string, message: string, position?: number) {
    super(message);
    this.code = code;
    this.field = field;
    this.position = position;
  }
}

type Context = {
  schemas: Record<string, TSchema>;
  variables: Record<string, unknown>;
  format: FormatOptions;
  /** SMS: how many characters each placeholder may become (DLT variables), by placeholder index. */
  widths?: number[];
};

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** The schema of every variable a template of this type may use. */
export function variableSchemas(type: string): Record<string, TSchema> | undefined {
  const definition = getEventDefinition(type);
  if (!definition) return undefined;
  return { ...envelopeVariables, ...(definition.variables.properties as Record<string, TSchema>) };
}

function resolve(placeholder: Omit<Placeholder, 'start' | 'end'>, context: Context, index: number | undefined, shorten: boolean): string {
  const { name } = placeholder;
  const value = context.variables[name];
  if (isAbsent(value)) {
    if (placeholder.fallback !== undefined) return placeholder.fallback;
    throw new RenderError('missing_variable', name, `the variable ${name} is missing and its placeholder has no fallback`);
  }
  const schema = context.schemas[name];
  if (placeholder.format !== undefined && !isValueFormat(placeholder.format)) throw new RenderError('syntax', name, `{{${name}}} asks for an unknown format “${placeholder.format}”`);
  const format = (placeholder.format as ValueFormat | undefined) ?? defaultFormat(schema);
  const width = index === undefined || !shorten ? undefined : (context.widths?.[index] ?? 1) * dltVariableMaxLength;
  const items = (schema as { items?: TSchema } | undefined)?.items;
  const formatted = formatValue(value, format, { ...context.format, maxListLength: width, itemFormat: items ? defaultFormat(items) : undefined });
  if (!formatted.ok) throw new RenderError('invalid_variable', name, `the variable ${name} ${formatted.reason}`);
  // An SMS variable longer than its DLT slots would be scrubbed: free text (a reason, a device
  // name) is shortened to fit; codes, references and links never are, and fail the DLT check.
  if (width !== undefined && formatted.text.length > width && isFreeText(schema)) return `${formatted.text.slice(0, width - 3).trimEnd()}...`;
  return formatted.text;
}

function fill(parts: TextPart[], context: Context, shorten = false): string {
  let index = 0;
  let out = '';
  for (const part of parts) {
    if (part.kind === 'text') out += part.text;
    else out += resolve(part.placeholder, context, index++, shorten);
  }
  return out;
}

function parse(text: string, field: string): TextPart[] {
  const { parts, issues } = parseTemplateText(text);
  const first = issues[0];
  if (first) throw new RenderError('syntax', field, first.message, first.position);
  return parts;
}

function renderSms(t: Extract<RenderableTemplate, { channel: 'sms' }>, context: Context, options: RenderOptions): RenderSuccess {
  const { sms } = t;
  const parts = parse(sms.body, 'body');
  const fixed = parts.filter((p) => p.kind === 'text').map((p) => p.text).join('');
  // ₹ only where the message is Unicode anyway; a GSM-7 SMS writes Rs.
  context.format.currency = isGsm7(fixed) ? 'Rs.' : '₹';
  const fixedParts = splitFixed(parts);
  context.widths = alignDltWidths(fixedParts, sms.dltText);
  const text = fill(parts, context, true);
  const check = options.skipDltCheck ? ({ ok: true, variables: 0 } as const) : checkDlt(sms.dltText, text);
  if (!check.ok) throw new RenderError('dlt_mismatch', blameVariable(parts, text, check, context) ?? 'dltText', check.message, check.position);
  const measure = measureSms(text);
  const max = options.maxSmsSegments ?? defaultMaxSmsSegments;
  if (measure.segments > max) throw new RenderError('too_long', 'body', `the SMS takes ${measure.segments} segments; at most ${max} are allowed`);
  return {
    ok: true, channel: 'sms', templateId: t.id, version: t.version, text, sms: measure,
    content: { text, unicode: measure.encoding === 'ucs2', dlt: { peId: sms.peId, header: sms.header, templateId: sms.dltTemplateId, category: sms.category } },
  };
}

/** The fixed text around the placeholders: N placeholders give N + 1 parts, some maybe empty. */
function splitFixed(parts: TextPart[]): string[] {
  const fixed = [''];
  for (const part of parts) {
    if (part.kind === 'text') fixed[fixed.length - 1] += part.text;
    else fixed.push('');
  }
  return fixed;
}

/** The placeholder whose value covers the mismatching character, if it is one. */
function blameVariable(parts: TextPart[], text: string, check: Extract<DltCheck, { ok: false }>, context: Context): string | undefined {
  let offset = 0;
  let index = 0;
  for (const part of parts) {
    const length = part.kind === 'text' ? part.text.length : resolve(part.placeholder, context, index++, true).length;
    if (part.kind === 'placeholder' && check.variable !== undefined && check.position >= offset && check.position < offset + length) return part.placeholder.name;
    offset += length;
    if (offset > text.length) break;
  }
  return undefined;
}

const whatsAppSpaces = / {5,}/g;

function renderWhatsApp(t: Extract<RenderableTemplate, { channel: 'whatsapp' }>, context: Context): RenderSuccess {
  const { whatsapp } = t;
  const parameters = whatsapp.parameters.map((expression, i) => {
    const placeholder = parseExpression(expression);
    if (!placeholder) throw new RenderError('syntax', `parameters.${i}`, `parameter {{${i + 1}}} is not name, name:format or name|fallback`);
    // Meta refuses a parameter with a new line, a tab or more than four spaces in a row, and an empty one.
    const value = resolve(placeholder, context, undefined, false).replace(/[\r\n\t]+/g, ' ').replace(whatsAppSpaces, '    ').trim();
    if (!value) throw new RenderError('invalid_variable', placeholder.name, `parameter {{${i + 1}}} (${placeholder.name}) is empty; WhatsApp refuses an empty parameter`);
    return value;
  });
  const text = whatsapp.body.replace(/\{\{(\d+)\}\}/g, (whole, n: string) => parameters[Number(n) - 1] ?? whole);
  if ([...text].length > maxWhatsAppBody) throw new RenderError('too_long', 'body', `the WhatsApp body would be ${[...text].length} characters; Meta allows ${maxWhatsAppBody}`);
  return {
    ok: true, channel: 'whatsapp', templateId: t.id, version: t.version, text,
    content: { templateName: whatsapp.name, language: whatsapp.languageCode, category: whatsapp.category, parameters },
  };
}

function renderPush(t: Extract<RenderableTemplate, { channel: 'push' }>, context: Context): RenderSuccess {
  const title = fill(parse(t.push.title, 'title'), context);
  const body = fill(parse(t.push.body, 'body'), context);
  if ([...title].length > maxPushTitle) throw new RenderError('too_long', 'title', `the push title would be ${[...title].length} characters; at most ${maxPushTitle}`);
  const data = { eventType: t.type, templateId: t.id, templateVersion: String(t.version) };
  const bytes = Buffer.byteLength(JSON.stringify({ title, body, data }));
  if (bytes > maxPushBytes) throw new RenderError('too_long', 'body', `the push notification would be ${bytes} bytes; at most ${maxPushBytes}`);
  return { ok: true, channel: 'push', templateId: t.id, version: t.version, text: `${title}\n${body}`, content: { title, body, data } };
}

/**
 * Renders one template version with an event's variables (its catalog variables plus `clientCode`).
 * The result names the version used, so a message can record it: a template saved while messages
 * are going out changes only the messages rendered after it.
 */
export function renderMessage(template: RenderableTemplate, variables: Record<string, unknown>, options: RenderOptions = {}): RenderResult {
  const fail = (code: RenderErrorCode, field: string, message: string, position?: number): RenderFailure => ({
    ok: false, code, field, message, templateId: template.id, version: template.version, ...(position === undefined ? {} : { position }),
  });
  const schemas = variableSchemas(template.type);
  if (!schemas) return fail('unknown_type', 'type', `the event type ${template.type} is not in the catalog`);
  const context: Context = { schemas, variables, format: { language: options.language ?? template.language, currency: '₹' } };
  try {
    switch (template.channel) {
      case 'sms':
        return renderSms(template, context, options);
      case 'whatsapp':
        return renderWhatsApp(template, context);
      case 'push':
        return renderPush(template, context);
    }
  } catch (error) {
    if (error instanceof RenderError) return fail(error.code, error.field, error.message, error.position);
    throw error;
  }
}
