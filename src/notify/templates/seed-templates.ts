// The default templates: every catalog event type × each of its default channels × English and
// Hindi, inserted when the platform starts on an empty template table. The SMS registrations use the
// configured DLT principal entity id and header (placeholders until the broker sets its own), and
// template ids to be replaced by the ids the DLT portal issues when the texts are registered.
import { eventCatalog, getEventDefinition } from '../../events/catalog.ts';
import { deriveDltText } from './derive-dlt-text.ts';
import { accountSeeds } from './seed-content-accounts.ts';
import { tradingSeeds } from './seed-content-trading.ts';
import type { TemplateStore } from './template-store.ts';
import type { SmsCategory, TemplateDraft, TemplateLanguage } from './template.ts';

type PerLanguage<T> = Record<TemplateLanguage, T>;

/** One event type's default wording: SMS bodies, WhatsApp [approved body, parameters], push [title, body]. */
export type SeedEntry = {
  type: string;
  sms?: PerLanguage<string> & { category?: SmsCategory };
  whatsapp?: PerLanguage<[string, string[]]>;
  push?: PerLanguage<[string, string]>;
};

export const seedEntries: readonly SeedEntry[] = [...accountSeeds, ...tradingSeeds];

/** The DLT placeholder values used until the broker configures its own (DLT_PE_ID, MSG91_SENDER_ID). */
export const placeholderDlt = { peId: '1101000000000000000', header: 'PRVAHB' } as const;

/** A placeholder DLT template id, 19 digits like the portal's, distinct per type and language. */
function placeholderTemplateId(type: string, language: TemplateLanguage): string {
  const index = eventCatalog.findIndex((d) => d.type === type);
  return `1107170${String(index + 1).padStart(2, '0')}${language === 'en' ? 1 : 2}${'0'.repeat(9)}`;
}

/** Every default template as a draft. */
export function seedDrafts(dlt: { peId: string; header: string } = placeholderDlt): TemplateDraft[] {
  const drafts: TemplateDraft[] = [];
  for (const entry of seedEntries) {
    const definition = getEventDefinition(entry.type);
    if (!definition) throw new Error(`seed for unknown event type ${entry.type}`);
    for (const language of ['en', 'hi'] as const) {
      if (entry.sms) {
        const body = entry.sms[language];
        drafts.push({
          type: entry.type, language, channel: 'sms',
          sms: { body, dltText: deriveDltText(body, entry.type), peId: dlt.peId, header: dlt.header, dltTemplateId: placeholderTemplateId(entry.type, language), category: entry.sms.category ?? 'service_implicit' },
        });
      }
      if (entry.whatsapp) {
        const [body, parameters] = entry.whatsapp[language];
        drafts.push({
          type: entry.type, language, channel: 'whatsapp',
          whatsapp: { name: entry.type.replaceAll('.', '_'), languageCode: language, category: 'utility', body, parameters },
        });
      }
      if (entry.push) {
        const [title, body] = entry.push[language];
        drafts.push({ type: entry.type, language, channel: 'push', push: { title, body } });
      }
    }
  }
  return drafts;
}

/**
 * Seeds the default templates when none exist (at start; safe to run from several processes and
 * again: it inserts nothing once any template exists). Returns how many it inserted.
 */
export function seedTemplates(store: Pick<TemplateStore, 'seed'>, dlt: { peId?: string | undefined; header?: string | undefined } = {}): Promise<number> {
  // A configured value that a template would refuse falls back to the placeholder: seeding must
  // not stop the platform from starting, and an admin corrects the templates afterwards.
  const peId = dlt.peId !== undefined && /^[0-9]{10,30}$/.test(dlt.peId) ? dlt.peId : placeholderDlt.peId;
  const header = dlt.header !== undefined && /^[A-Z]{6}$/.test(dlt.header) ? dlt.header : placeholderDlt.header;
  return store.seed(seedDrafts({ peId, header }), 'system:seed');
}
