// /api/templates: the message templates for the console. Staff read them and preview any text with
// the catalog sample (or their own variables); admins save a new version (audited in the store's
// transaction). A save with problems answers TEMPLATE_INVALID with every issue, each naming its
// field, rule and, for text, the character position.
import { Type, type Static, type TSchema } from 'typebox';
import type { App, RouteModule } from '../../platform/http.ts';
import { AppError } from '../../platform/errors.ts';
import { adminsOnly, anyStaff, describePrincipal } from '../../auth/roles.ts';
import { smsCategories, templateChannels, templateIdOf, templateLanguages, whatsappCategories, type TemplateDraft, type TemplateVersion } from './template.ts';
import type { TemplateStore, TemplateVersionView } from './template-store.ts';
import { checkTemplate, sampleVariables } from './check-template.ts';
import { renderMessage } from './render.ts';
import { checkDlt } from './dlt.ts';
import { deriveDltText } from './derive-dlt-text.ts';
import { eventTypes } from '../../events/catalog.ts';

export type TemplateRouteDeps = { templates: TemplateStore };

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Language = Type.Enum(templateLanguages);
const Channel = Type.Enum(templateChannels);
const EventTypeName = Type.String({ pattern: '^[a-z_]+\\.[a-z_.]+$', maxLength: 80, description: 'An event type of GET /api/events/catalog' });
const TemplateId = Type.String({ pattern: '^[a-z_]+\\.[a-z_.]+:(sms|whatsapp|push):(en|hi)$', description: 'type:channel:language, e.g. mtf.margin_call:sms:en' });

const SmsFields = Type.Object({
  body: Type.String({ maxLength: 2000, description: 'Our text with named placeholders: {{amount}}, {{dueBy:time}}, {{link|fallback}}' }),
  dltText: Type.String({ maxLength: 2000, description: 'The text registered on the DLT portal, with {#var#} for each variable part (30 characters each)' }),
  peId: Type.String({ maxLength: 30, description: 'DLT principal entity id' }),
  header: Type.String({ maxLength: 11, description: 'Registered header (sender id)' }),
  dltTemplateId: Type.String({ maxLength: 30, description: 'DLT content template id' }),
  category: Type.Enum(smsCategories),
}, { additionalProperties: false });
const WhatsAppFields = Type.Object({
  name: Type.String({ maxLength: 512, description: 'The approved template name' }),
  languageCode: Type.String({ maxLength: 10, description: "Meta's language code (en, en_US, hi)" }),
  category: Type.Enum(whatsappCategories),
  body: Type.String({ maxLength: 1024, description: 'The approved body, with {{1}}, {{2}}… as Meta numbers them' }),
  parameters: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 30, description: 'For each numbered parameter in order: name, name:format or name|fallback' }),
}, { additionalProperties: false });
const PushFields = Type.Object({ title: Type.String({ maxLength: 300 }), body: Type.String({ maxLength: 2000 }) }, { additionalProperties: false });

const ContentFields = { sms: Type.Optional(SmsFields), whatsapp: Type.Optional(WhatsAppFields), push: Type.Optional(PushFields) };
const DraftFields = { type: EventTypeName, channel: Channel, language: Language, ...ContentFields };

const TemplateSchema = Type.Object({
  id: Type.String(), type: Type.String(), channel: Channel, language: Language, version: Type.Integer(),
  note: Nullable(Type.String()), createdBy: Type.String({ description: 'user:<id> or system:seed' }), author: Type.String({ description: "Who saved it, for display (the user's masked email, or system)" }),
  createdAt: Type.String({ format: 'date-time' }), ...ContentFields,
});
const SummarySchema = Type.Object({ ...TemplateSchema.properties, versions: Type.Integer({ description: 'How many versions exist' }) });

const Issue = Type.Object({ field: Type.String(), rule: Type.String(), message: Type.String(), position: Type.Optional(Type.Integer()) });
const Measure = Type.Object({ encoding: Type.Enum(['gsm7', 'ucs2'] as const), characters: Type.Integer(), units: Type.Integer(), segments: Type.Integer(), perSegment: Type.Integer() });
const PreviewSchema = Type.Object({
  rendered: Nullable(Type.Object({
    text: Type.String({ description: 'What the recipient reads' }),
    content: Type.Record(Type.String(), Type.Unknown(), { description: 'The SmsContent, WhatsAppContent or PushContent a provider is given' }),
  })),
  error: Nullable(Type.Object({ code: Type.String(), field: Type.String(), message: Type.String(), position: Type.Optional(Type.Integer()) })),
  dlt: Nullable(Type.Object({
    ok: Type.Boolean(), message: Type.Optional(Type.String()), position: Type.Optional(Type.Integer()), registeredPosition: Type.Optional(Type.Integer()), variables: Type.Optional(Type.Integer()),
  })),
  sms: Nullable(Measure),
  issues: Type.Array(Issue, { description: 'What would stop a save (checked with the catalog sample, with and without optional variables)' }),
  canSave: Type.Boolean(),
  suggestedDltText: Nullable(Type.String({ description: 'SMS: the registered text this body calls for' })),
  variables: Type.Record(Type.String(), Type.Unknown(), { description: 'The variables rendered with' }),
});

const DraftSchema = Type.Object(DraftFields);
type DraftInput = Static<typeof DraftSchema>;

/** The request's channel fields become a draft; the other channels' fields are refused. */
function toDraft(input: DraftInput): TemplateDraft {
  const { type, channel, language } = input;
  for (const other of templateChannels) {
    if (other !== channel && input[other] !== undefined) throw new AppError('VALIDATION_FAILED', `body.${other} does not belong to a ${channel} template`, { details: [{ field: `body.${other}`, rule: 'channel', message: `only body.${channel} goes with channel ${channel}` }] });
  }
  const missing = () => new AppError('VALIDATION_FAILED', `body.${channel} is required for a ${channel} template`, { details: [{ field: `body.${channel}`, rule: 'required', message: 'is required' }] });
  switch (channel) {
    case 'sms':
      if (!input.sms) throw missing();
      return { type, language, channel, sms: input.sms };
    case 'whatsapp':
      if (!input.whatsapp) throw missing();
      return { type, language, channel, whatsapp: input.whatsapp };
    case 'push':
      if (!input.push) throw missing();
      return { type, language, channel, push: input.push };
  }
}

function toJson(t: TemplateVersion | TemplateVersionView) {
  return { ...t, author: 'author' in t ? t.author : t.createdBy, createdAt: t.createdAt.toISOString() };
}

function preview(draft: TemplateDraft, variables: Record<string, unknown> | undefined) {
  const used = variables ?? sampleVariables(draft.type);
  const { issues } = checkTemplate(draft);
  const render = renderMessage({ ...draft, id: templateIdOf(draft.type, draft.channel, draft.language), version: 0 }, used, { skipDltCheck: true });
  const dltCheck = draft.channel === 'sms' && render.ok ? checkDlt(draft.sms.dltText, render.text) : undefined;
  return {
    rendered: render.ok ? { text: render.text, content: render.content as unknown as Record<string, unknown> } : null,
    error: render.ok ? null : { code: render.code, field: render.field, message: render.message, ...(render.position === undefined ? {} : { position: render.position }) },
    dlt: dltCheck === undefined ? null : dltCheck.ok ? { ok: true, variables: dltCheck.variables } : { ok: false, message: dltCheck.message, position: dltCheck.position, registeredPosition: dltCheck.registeredPosition },
    sms: render.ok && render.channel === 'sms' ? render.sms : null,
    issues,
    canSave: issues.length === 0,
    suggestedDltText: draft.channel === 'sms' ? deriveDltText(draft.sms.body, draft.type) : null,
    variables: used,
  };
}

export function templateRoutes(deps: TemplateRouteDeps): RouteModule {
  const { templates } = deps;
  return (app: App) => {
    app.get('/api/templates', {
      config: { access: { roles: anyStaff } },
      schema: {
        tags: ['templates'],
        summary: 'Message templates (their active versions), by event type, channel and language',
        querystring: Type.Object({ type: Type.Optional(EventTypeName), channel: Type.Optional(Channel), language: Type.Optional(Language) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(SummarySchema) }) },
      },
    }, async (request) => ({ items: (await templates.list(request.query)).map((t) => ({ ...toJson(t), versions: t.versions })) }));

    app.post('/api/templates/preview', {
      config: { access: { roles: anyStaff } },
      schema: {
        tags: ['templates'],
        summary: 'Render a template as it would go out, with the catalog sample or the given variables: the content, the DLT check, SMS segments and what would stop a save',
        body: Type.Object({ ...DraftSchema.properties, variables: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }, { additionalProperties: false }),
        response: { 200: PreviewSchema },
      },
    }, async (request) => {
      const { variables, ...input } = request.body;
      if (!eventTypes.includes(input.type as (typeof eventTypes)[number])) throw new AppError('VALIDATION_FAILED', `${input.type} is not an event type of the catalog`, { details: [{ field: 'body.type', rule: 'catalog', message: 'is not an event type' }] });
      return preview(toDraft(input), variables);
    });

    app.get('/api/templates/:id', {
      config: { access: { roles: anyStaff } },
      schema: {
        tags: ['templates'],
        summary: 'One template: its active version and every version, newest first',
        params: Type.Object({ id: TemplateId }),
        response: { 200: Type.Object({ template: TemplateSchema, versions: Type.Array(TemplateSchema) }) },
      },
    }, async (request) => {
      const found = await templates.history(request.params.id);
      if (!found) throw new AppError('NOT_FOUND', 'no template with this id');
      return { template: toJson(found.active), versions: found.versions.map(toJson) };
    });

    app.post('/api/templates', {
      config: { access: { roles: adminsOnly } },
      schema: {
        tags: ['templates'],
        summary: 'Save a new version of a template (it becomes the active one; audited)',
        description: '**422** `TEMPLATE_INVALID` lists every problem (`details`: field, rule, message, position). **409** `CONFLICT` when `baseVersion` is given and another version was saved since.',
        body: Type.Object({
          ...DraftSchema.properties,
          note: Type.Optional(Type.String({ maxLength: 500, description: 'Why this version, for the history' })),
          baseVersion: Type.Optional(Type.Integer({ minimum: 0, description: 'The version the edit started from' })),
        }, { additionalProperties: false }),
        response: { 201: Type.Object({ template: TemplateSchema }) },
      },
    }, async (request, reply) => {
      const { note, baseVersion, ...input } = request.body;
      const saved = await templates.save(toDraft(input), {
        actor: describePrincipal(request.principal), ...(note === undefined ? {} : { note }), ...(baseVersion === undefined ? {} : { baseVersion }),
      });
      const view = (await templates.history(saved.id))?.versions.find((v) => v.version === saved.version) ?? saved;
      return reply.status(201).send({ template: toJson(view) });
    });
  };
}
