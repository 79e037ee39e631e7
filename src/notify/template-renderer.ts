// The dispatcher's Renderer over the template store: the active version for the message's type,
// channel and language (English when a Hindi one is missing), rendered with the message's
// variables. Failures name the variable or field, never a value.
import type { Renderer } from './dispatcher.ts';
import type { TemplateStore } from './templates/template-store.ts';
import { renderMessage } from './templates/render.ts';
import type { TemplateLanguage } from './templates/template.ts';

export function createTemplateRenderer(store: TemplateStore): Renderer {
  return async ({ type, channel, language, variables }) => {
    const lang = (language === 'hi' ? 'hi' : 'en') satisfies TemplateLanguage;
    const template = (await store.active(type, channel, lang)) ?? (lang === 'hi' ? await store.active(type, channel, 'en') : undefined);
    if (!template) return { ok: false, code: 'unknown_template', detail: `no active ${channel} template for ${type}` };
    const result = renderMessage(template, variables, { language: template.language });
    if (!result.ok) return { ok: false, code: result.code, detail: `${result.field}: ${result.code}` };
    return { ok: true, content: { [result.channel]: result.content }, templateId: result.templateId, version: result.version };
  };
}
