// What a template must satisfy before it is saved: its type exists, its placeholders name variables
// of that type with known formats, the channel's fields are well formed (DLT ids, header, Meta's
// numbered parameters), its category suits the event (a regulatory alert is never promotional or
// marketing), and it renders from the catalog sample, with and without the optional variables,
// into a message that matches its DLT registration.
import { getEventDefinition } from '../../events/catalog.ts';
import { parseExpression, parseTemplateText } from './placeholders.ts';
import { isValueFormat } from './format.ts';
import { dltVariable } from './dlt.ts';
import { renderMessage, variableSchemas, type RenderResult } from './render.ts';
import { templateIdOf, type TemplateDraft } from './template.ts';

export type TemplateIssue = { field: string; rule: string; message: string; position?: number };

/** Values the preview adds to the catalog sample for what the event envelope and the processor supply. */
const previewExtras: Record<string, unknown> = { clientCode: 'RS100001', name: 'Priya Sharma' };

/** The variables a preview and the save check render with: the catalog sample of the type, completed. */
export function sampleVariables(type: string): Record<string, unknown> {
  const definition = getEventDefinition(type);
  if (!definition) return {};
  const own = Object.keys(definition.variables.properties);
  const extras = Object.fromEntries(Object.entries(previewExtras).filter(([k]) => k === 'clientCode' || own.includes(k)));
  return { ...extras, ...(definition.sample as Record<string, unknown>) };
}

/** The sample without the type's optional variables: the fallbacks must render too. */
export function requiredOnlyVariables(type: string): Record<string, unknown> {
  const definition = getEventDefinition(type);
  if (!definition) return {};
  const required = new Set([...(definition.variables.required ?? []), 'clientCode']);
  return Object.fromEntries(Object.entries(sampleVariables(type)).filter(([k]) => required.has(k)));
}

function checkText(text: string, field: string, known: Set<string>, issues: TemplateIssue[]): void {
  const { parts, issues: syntax } = parseTemplateText(text);
  for (const s of syntax) issues.push({ field, rule: 'syntax', message: s.message, position: s.position });
  for (const part of parts) {
    if (part.kind !== 'placeholder') continue;
    const p = part.placeholder;
    if (/^\d+$/.test(p.name)) continue; // reported by the caller where numbers are wrong
    if (!known.has(p.name)) issues.push({ field, rule: 'unknown_variable', message: `{{${p.name}}} at character ${p.start + 1} is not a variable of this event type`, position: p.start });
    if (p.format !== undefined && !isValueFormat(p.format)) issues.push({ field, rule: 'unknown_format', message: `{{${p.name}:${p.format}}} at character ${p.start + 1} names an unknown format`, position: p.start });
  }
  if (/\{\{\s*\d+\s*\}\}/.test(text)) issues.push({ field, rule: 'numbered_placeholder', message: 'numbered placeholders ({{1}}) belong to WhatsApp bodies; use variable names here' });
}

const digits = /^[0-9]{10,30}$/;

function checkSms(draft: Extract<TemplateDraft, { channel: 'sms' }>, regulatory: boolean, known: Set<string>, issues: TemplateIssue[]): void {
  const { sms } = draft;
  if (!sms.body.trim()) issues.push({ field: 'sms.body', rule: 'required', message: 'the SMS body is empty' });
  checkText(sms.body, 'sms.body', known, issues);
  if (!sms.dltText.trim()) issues.push({ field: 'sms.dltText', rule: 'required', message: 'the registered DLT text is empty' });
  const other = /\{#(?!var#\})[^}]*\}?/.exec(sms.dltText);
  if (other) issues.push({ field: 'sms.dltText', rule: 'dlt_variable', message: `${other[0]} at character ${other.index + 1} is not ${dltVariable}, the one variable form Pravah matches`, position: other.index });
  if (!digits.test(sms.peId)) issues.push({ field: 'sms.peId', rule: 'format', message: 'the DLT principal entity id is 10 to 30 digits' });
  if (!digits.test(sms.dltTemplateId)) issues.push({ field: 'sms.dltTemplateId', rule: 'format', message: 'the DLT template id is 10 to 30 digits' });
  const headerOk = sms.category === 'promotional' ? /^[0-9]{6}$/.test(sms.header) : /^[A-Z]{6}$/.test(sms.header);
  if (!headerOk) {
    issues.push({ field: 'sms.header', rule: 'format', message: sms.category === 'promotional' ? 'a promotional header is 6 digits' : 'a transactional or service header is 6 capital letters' });
  }
  if (regulatory && (sms.category === 'promotional' || sms.category === 'service_explicit')) {
    issues.push({ field: 'sms.category', rule: 'regulatory', message: 'a regulatory alert goes as transactional or service-implicit: promotional and service-explicit SMS are held to 10:00-21:00 and scrubbed against DND' });
  }
}

function checkWhatsApp(draft: Extract<TemplateDraft, { channel: 'whatsapp' }>, regulatory: boolean, known: Set<string>, issues: TemplateIssue[]): void {
  const { whatsapp } = draft;
  if (!/^[a-z0-9_]{1,512}$/.test(whatsapp.name)) issues.push({ field: 'whatsapp.name', rule: 'format', message: 'an approved template name is lowercase letters, digits and underscores' });
  if (!/^[a-z]{2,3}(_[A-Z]{2})?$/.test(whatsapp.languageCode)) issues.push({ field: 'whatsapp.languageCode', rule: 'format', message: 'the language code is Meta’s, e.g. en, en_US or hi' });
  if (regulatory && whatsapp.category === 'marketing') issues.push({ field: 'whatsapp.category', rule: 'regulatory', message: 'a regulatory alert is a utility template, never marketing' });
  if (!whatsapp.body.trim()) issues.push({ field: 'whatsapp.body', rule: 'required', message: 'the approved body is empty' });
  const used = new Set<number>();
  for (const m of whatsapp.body.matchAll(/\{\{([^}]*)\}\}/g)) {
    if (/^\d+$/.test(m[1]!)) used.add(Number(m[1]));
    else issues.push({ field: 'whatsapp.body', rule: 'syntax', message: `${m[0]} at character ${m.index + 1}: an approved body numbers its parameters {{1}}, {{2}}…; list the variables under parameters`, position: m.index });
  }
  const count = whatsapp.parameters.length;
  for (let n = 1; n <= Math.max(count, ...used); n++) {
    if (!used.has(n) && n <= count) issues.push({ field: 'whatsapp.body', rule: 'parameters', message: `the body has no {{${n}}} for parameter ${n}` });
    if (used.has(n) && n > count) issues.push({ field: 'whatsapp.parameters', rule: 'parameters', message: `the body uses {{${n}}} but only ${count} parameter${count === 1 ? ' is' : 's are'} listed` });
  }
  whatsapp.parameters.forEach((expression, i) => {
    const p = parseExpression(expression);
    if (!p) issues.push({ field: `whatsapp.parameters.${i}`, rule: 'syntax', message: `parameter ${i + 1} is not name, name:format or name|fallback` });
    else if (!known.has(p.name)) issues.push({ field: `whatsapp.parameters.${i}`, rule: 'unknown_variable', message: `parameter ${i + 1} names ${p.name}, not a variable of this event type` });
    else if (p.format !== undefined && !isValueFormat(p.format)) issues.push({ field: `whatsapp.parameters.${i}`, rule: 'unknown_format', message: `parameter ${i + 1} names an unknown format ${p.format}` });
  });
}

/** Maps a failed render to the field of the draft it concerns. */
function issueOfRender(draft: TemplateDraft, result: Extract<RenderResult, { ok: false }>, withOptional: boolean): TemplateIssue {
  const prefix = draft.channel;
  const field = result.code === 'dlt_mismatch' ? 'sms.dltText' : ['body', 'title', 'dltText'].includes(result.field) ? `${prefix}.${result.field}` : `${prefix}.body`;
  const when = withOptional ? 'with the catalog sample' : 'without the optional variables';
  const hint = result.code === 'missing_variable' && !withOptional ? `: ${result.field} is optional in the catalog, so its placeholder needs a fallback ({{${result.field}|…}})` : '';
  return { field, rule: result.code, message: `rendered ${when}, ${result.message}${hint}`, ...(result.position === undefined ? {} : { position: result.position }) };
}

export type TemplateCheck = { issues: TemplateIssue[]; render: RenderResult | undefined };

/** Every problem of a draft; `render` is the draft rendered with `variables` (the sample by default). */
export function checkTemplate(draft: TemplateDraft, variables?: Record<string, unknown>): TemplateCheck {
  const definition = getEventDefinition(draft.type);
  const schemas = variableSchemas(draft.type);
  if (!definition || !schemas) return { issues: [{ field: 'type', rule: 'unknown', message: `${draft.type} is not an event type of the catalog` }], render: undefined };
  const known = new Set(Object.keys(schemas));
  const issues: TemplateIssue[] = [];
  switch (draft.channel) {
    case 'sms':
      checkSms(draft, definition.regulatory, known, issues);
      break;
    case 'whatsapp':
      checkWhatsApp(draft, definition.regulatory, known, issues);
      break;
    case 'push':
      if (!draft.push.title.trim()) issues.push({ field: 'push.title', rule: 'required', message: 'the push title is empty' });
      if (!draft.push.body.trim()) issues.push({ field: 'push.body', rule: 'required', message: 'the push body is empty' });
      checkText(draft.push.title, 'push.title', known, issues);
      checkText(draft.push.body, 'push.body', known, issues);
      break;
  }
  const renderable = { ...draft, id: templateIdOf(draft.type, draft.channel, draft.language), version: 0 };
  const render = renderMessage(renderable, variables ?? sampleVariables(draft.type));
  if (issues.length) return { issues, render };
  if (!render.ok) issues.push(issueOfRender(draft, render, true));
  else {
    const bare = renderMessage(renderable, requiredOnlyVariables(draft.type));
    if (!bare.ok) issues.push(issueOfRender(draft, bare, false));
  }
  return { issues, render };
}
