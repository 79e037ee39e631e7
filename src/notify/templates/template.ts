// Message templates: one per event type × channel × language, versioned. A version is immutable;
// saving a template inserts the next version and makes it the active one. The content differs by
// channel: an SMS carries its DLT registration (TRAI), a WhatsApp message names a template Meta
// approved, and a push notification is a title and a body.
import type { DltInfo, WhatsAppContent } from '../channel-provider.ts';
import type { EventChannel } from '../../events/catalog.ts';

export const templateLanguages = ['en', 'hi'] as const;
export type TemplateLanguage = (typeof templateLanguages)[number];

export const templateChannels = ['sms', 'whatsapp', 'push'] as const satisfies readonly EventChannel[];
export type TemplateChannel = (typeof templateChannels)[number];

export const smsCategories = ['transactional', 'service_implicit', 'service_explicit', 'promotional'] as const satisfies readonly DltInfo['category'][];
export type SmsCategory = (typeof smsCategories)[number];
export const whatsappCategories = ['utility', 'authentication', 'marketing'] as const satisfies readonly WhatsAppContent['category'][];
export type WhatsAppCategory = (typeof whatsappCategories)[number];

/**
 * SMS: `body` is our text with named placeholders (`{{amount}}`); `dltText` is the text registered
 * on the DLT portal with a `{#var#}` for each variable part. The body rendered with any values must
 * match the registered text, or operators scrub the message.
 */
export type SmsTemplateContent = {
  body: string;
  dltText: string;
  peId: string;
  header: string;
  dltTemplateId: string;
  category: SmsCategory;
};

/**
 * WhatsApp: the template Meta approved (`name`, `languageCode`, `category`), its body as approved
 * (`{{1}}`, `{{2}}`… in Meta's syntax, shown in previews), and the placeholder expression feeding
 * each numbered parameter, in order (`shortfall`, `dueBy:time`).
 */
export type WhatsAppTemplateContent = {
  name: string;
  languageCode: string;
  category: WhatsAppCategory;
  body: string;
  parameters: string[];
};

/** Push: a title and a body, both with named placeholders. */
export type PushTemplateContent = { title: string; body: string };

export type TemplateContent =
  | { channel: 'sms'; sms: SmsTemplateContent }
  | { channel: 'whatsapp'; whatsapp: WhatsAppTemplateContent }
  | { channel: 'push'; push: PushTemplateContent };

/** What an editor submits: the identity and the content of a new version. */
export type TemplateDraft = { type: string; language: TemplateLanguage } & TemplateContent;

/** One stored version of a template. */
export type TemplateVersion = TemplateDraft & {
  /** `type:channel:language`, e.g. `mtf.margin_call:sms:en`: stable across versions. */
  id: string;
  version: number;
  /** Why this version was saved, as its author wrote it. */
  note: string | null;
  /** Who saved it: `user:<id>` or `system:seed`. */
  createdBy: string;
  createdAt: Date;
};

/** A template's id: the same for every version of one event type, channel and language. */
export function templateIdOf(type: string, channel: TemplateChannel, language: TemplateLanguage): string {
  return `${type}:${channel}:${language}`;
}

const idPattern = /^([a-z_]+\.[a-z_.]+):(sms|whatsapp|push):(en|hi)$/;

/** Splits a template id; undefined when it is not one. */
export function parseTemplateId(id: string): { type: string; channel: TemplateChannel; language: TemplateLanguage } | undefined {
  const m = idPattern.exec(id);
  return m ? { type: m[1]!, channel: m[2] as TemplateChannel, language: m[3] as TemplateLanguage } : undefined;
}

/** The content of a draft or version without its identity: what the store keeps as JSON. */
export function contentOf(t: TemplateContent): SmsTemplateContent | WhatsAppTemplateContent | PushTemplateContent {
  switch (t.channel) {
    case 'sms':
      return t.sms;
    case 'whatsapp':
      return t.whatsapp;
    case 'push':
      return t.push;
  }
}

/** Rebuilds the channel-tagged content from the stored JSON. */
export function withContent(channel: TemplateChannel, content: unknown): TemplateContent {
  switch (channel) {
    case 'sms':
      return { channel, sms: content as SmsTemplateContent };
    case 'whatsapp':
      return { channel, whatsapp: content as WhatsAppTemplateContent };
    case 'push':
      return { channel, push: content as PushTemplateContent };
  }
}
