// The dispatcher's Renderer over the template store, and the planner's TemplatePicker. A message's
// template version is picked when it is planned (the active version for its type, channel and
// language; English when a Hindi one is missing) and every attempt renders that version, so a
// retry or a resend after an interrupted send carries the same text whatever was edited meanwhile
// (an in-doubt SMS is matched at the provider by its text). Failures name the variable or field,
// never a value.
import type { Renderer } from './dispatcher.ts';
import type { TemplatePicker } from './planner.ts';
import type { TemplateStore } from './templates/template-store.ts';
import { renderMessage } from './templates/render.ts';
import type { TemplateChannel, TemplateLanguage, TemplateVersion } from './templates/template.ts';

async function activeFor(store: TemplateStore, type: string, channel: TemplateChannel, language: string): Promise<TemplateVersion | undefined> {
  const lang = (language === 'hi' ? 'hi' : 'en') satisfies TemplateLanguage;
  return (await store.active(type, channel, lang)) ?? (lang === 'hi' ? await store.active(type, channel, 'en') : undefined);
}

export function createTemplatePicker(store: TemplateStore): TemplatePicker {
  return async ({ type, channel, language }) => {
    const template = await activeFor(store, type, channel, language);
    return template ? { id: template.id, version: template.version } : undefined;
  };
}

export function createTemplateRenderer(store: TemplateStore): Renderer {
  return async ({ type, channel, language, variables, template: pinned }) => {
    const template = pinned ? await store.version(pinned.id, pinned.version) : await activeFor(store, type, channel, language);
    if (!template) {
      return pinned
        ? { ok: false, code: 'unknown_template', detail: `${pinned.id} has no version ${pinned.version}` }
        : { ok: false, code: 'unknown_template', detail: `no active ${channel} template for ${type}` };
    }
    const result = renderMessage(template, variables, { language: template.language });
    if (!result.ok) return { ok: false, code: result.code, detail: `${result.field}: ${result.code}` };
    return { ok: true, content: { [result.channel]: result.content }, templateId: result.templateId, version: result.version };
  };
}
