// The templates API as the Templates page sees it: the templates (active versions), one template's
// history, the server-side preview (the same renderer the dispatcher uses), and saving a version.
import type { ApiClient } from '../../app/api-client.ts';

export type Channel = 'sms' | 'whatsapp' | 'push';
export type Language = 'en' | 'hi';

export const channelLabels: Record<Channel, string> = { sms: 'SMS', whatsapp: 'WhatsApp', push: 'Push' };
export const languageLabels: Record<Language, string> = { en: 'English', hi: 'हिन्दी' };
export const languageShort: Record<Language, string> = { en: 'EN', hi: 'हि' };
export const channelOrder: readonly Channel[] = ['sms', 'whatsapp', 'push'];

export const smsCategories = ['transactional', 'service_implicit', 'service_explicit', 'promotional'] as const;
export const whatsappCategories = ['utility', 'authentication', 'marketing'] as const;

export type SmsFields = { body: string; dltText: string; peId: string; header: string; dltTemplateId: string; category: (typeof smsCategories)[number] };
export type WhatsAppFields = { name: string; languageCode: string; category: (typeof whatsappCategories)[number]; body: string; parameters: string[] };
export type PushFields = { title: string; body: string };

/** A template's content, tagged by its channel. */
export type Content = { channel: 'sms'; sms: SmsFields } | { channel: 'whatsapp'; whatsapp: WhatsAppFields } | { channel: 'push'; push: PushFields };

export type Template = {
  id: string;
  type: string;
  channel: Channel;
  language: Language;
  version: number;
  note: string | null;
  createdBy: string;
  author: string;
  createdAt: string;
  sms?: SmsFields;
  whatsapp?: WhatsAppFields;
  push?: PushFields;
  /** In lists: how many versions exist. */
  versions?: number;
};

export type VariableSchema = { type?: string; description?: string; format?: string; enum?: string[]; items?: { enum?: string[] } };
export type CatalogEntry = {
  type: string;
  title: string;
  description: string;
  category: string;
  defaultChannels: Channel[];
  regulatory: boolean;
  variables: { properties?: Record<string, VariableSchema>; required?: string[] };
  sample: Record<string, unknown>;
};

export type Issue = { field: string; rule: string; message: string; position?: number };
export type SmsMeasure = { encoding: 'gsm7' | 'ucs2'; characters: number; units: number; segments: number; perSegment: number };

export type Preview = {
  rendered: { text: string; content: Record<string, unknown> } | null;
  error: { code: string; field: string; message: string; position?: number } | null;
  dlt: { ok: boolean; message?: string; position?: number; registeredPosition?: number; variables?: number } | null;
  sms: SmsMeasure | null;
  issues: Issue[];
  canSave: boolean;
  suggestedDltText: string | null;
  variables: Record<string, unknown>;
};

export function contentOf(template: Template): Content {
  switch (template.channel) {
    case 'sms':
      return { channel: 'sms', sms: template.sms! };
    case 'whatsapp':
      return { channel: 'whatsapp', whatsapp: template.whatsapp! };
    case 'push':
      return { channel: 'push', push: template.push! };
  }
}

/** The content's fields as the API takes them (`{ sms: {…} }`). */
function fieldsOf(content: Content): Record<string, unknown> {
  switch (content.channel) {
    case 'sms':
      return { sms: content.sms };
    case 'whatsapp':
      return { whatsapp: content.whatsapp };
    case 'push':
      return { push: content.push };
  }
}

export function sameContent(a: Content, b: Content): boolean {
  return JSON.stringify(fieldsOf(a)) === JSON.stringify(fieldsOf(b));
}

export async function listTemplates(client: ApiClient, signal?: AbortSignal): Promise<Template[]> {
  return (await client.request<{ items: Template[] }>('/api/templates', { signal })).items;
}

export async function fetchCatalog(client: ApiClient, signal?: AbortSignal): Promise<CatalogEntry[]> {
  return (await client.request<{ items: CatalogEntry[] }>('/api/events/catalog', { signal })).items;
}

export function fetchTemplate(client: ApiClient, id: string, signal?: AbortSignal): Promise<{ template: Template; versions: Template[] }> {
  return client.request(`/api/templates/${encodeURIComponent(id)}`, { signal });
}

export function previewTemplate(client: ApiClient, template: Pick<Template, 'type' | 'language'>, content: Content, signal?: AbortSignal): Promise<Preview> {
  return client.request('/api/templates/preview', {
    method: 'POST',
    body: { type: template.type, channel: content.channel, language: template.language, ...fieldsOf(content) },
    signal,
  });
}

export async function saveTemplate(client: ApiClient, template: Pick<Template, 'type' | 'language' | 'version'>, content: Content, note: string): Promise<Template> {
  const body = { type: template.type, channel: content.channel, language: template.language, ...fieldsOf(content), baseVersion: template.version, ...(note.trim() ? { note: note.trim() } : {}) };
  return (await client.request<{ template: Template }>('/api/templates', { method: 'POST', body })).template;
}
