// The default templates: one for every catalog event type × each of its default channels × English
// and Hindi, each rendering from the catalog sample (and without its optional variables) into a
// message that matches its DLT registration, in the categories the channel rules call for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventCatalog } from '../../src/events/catalog.ts';
import { seedDrafts } from '../../src/notify/templates/seed-templates.ts';
import { checkTemplate, requiredOnlyVariables, sampleVariables } from '../../src/notify/templates/check-template.ts';
import { renderMessage } from '../../src/notify/templates/render.ts';
import { checkDlt, isGsm7 } from '../../src/notify/templates/dlt.ts';
import { templateIdOf, templateLanguages } from '../../src/notify/templates/template.ts';

const drafts = seedDrafts();
const byId = new Map(drafts.map((d) => [templateIdOf(d.type, d.channel, d.language), d]));

test('a template for every catalog type × default channel × en/hi, plus SMS behind WhatsApp-only types, and no other', () => {
  // SMS is the fallback of WhatsApp: types that go by WhatsApp but not SMS get an SMS template too.
  const channelsOf = (d: (typeof eventCatalog)[number]) => (d.defaultChannels.includes('whatsapp') && !d.defaultChannels.includes('sms') ? [...d.defaultChannels, 'sms' as const] : d.defaultChannels);
  const expected = eventCatalog.flatMap((d) => channelsOf(d).flatMap((channel) => templateLanguages.map((language) => templateIdOf(d.type, channel, language))));
  assert.equal(eventCatalog.length, 30);
  assert.deepEqual([...byId.keys()].sort(), expected.sort());
  assert.equal(drafts.length, byId.size, 'no template twice');
});

test('each renders from the catalog sample, and without its optional variables, passing every check', () => {
  for (const draft of drafts) {
    const id = templateIdOf(draft.type, draft.channel, draft.language);
    assert.deepEqual(checkTemplate(draft).issues, [], id);
    for (const variables of [sampleVariables(draft.type), requiredOnlyVariables(draft.type)]) {
      const r = renderMessage({ ...draft, id, version: 1 }, variables);
      assert.ok(r.ok, `${id}: ${JSON.stringify(r)}`);
      assert.doesNotMatch(r.text, /undefined|null|NaN|\{\{|\}\}/, id);
      if (r.channel === 'sms' && draft.channel === 'sms') assert.deepEqual(checkDlt(draft.sms.dltText, r.text).ok, true, id);
    }
  }
});

test('SMS: English stays GSM-7 (Rs.), Hindi is Devanagari and Unicode; alert categories; DLT ids on every one', () => {
  for (const draft of drafts) {
    if (draft.channel !== 'sms') continue;
    const id = templateIdOf(draft.type, draft.channel, draft.language);
    const r = renderMessage({ ...draft, id, version: 1 }, sampleVariables(draft.type));
    assert.ok(r.ok && r.channel === 'sms', id);
    if (draft.language === 'en') {
      assert.ok(isGsm7(draft.sms.body) && r.content.unicode === false, `${id} is GSM-7`);
      assert.ok(!r.text.includes('₹'), id);
    } else {
      assert.match(draft.sms.body, /[\u0900-\u097F]/, `${id} is in Devanagari`);
      assert.equal(r.content.unicode, true, id);
    }
    assert.ok(['transactional', 'service_implicit'].includes(draft.sms.category), id);
    assert.match(draft.sms.peId, /^\d{19}$/);
    assert.match(draft.sms.dltTemplateId, /^\d{19}$/);
    assert.match(draft.sms.header, /^[A-Z]{6}$/);
  }
  const templateIds = drafts.flatMap((d) => (d.channel === 'sms' ? [d.sms.dltTemplateId] : []));
  assert.equal(new Set(templateIds).size, templateIds.length, 'a DLT template id per registered text');
});

test('WhatsApp: utility templates named after the type, one name across languages', () => {
  for (const draft of drafts) {
    if (draft.channel !== 'whatsapp') continue;
    assert.equal(draft.whatsapp.category, 'utility');
    assert.equal(draft.whatsapp.name, draft.type.replaceAll('.', '_'));
    assert.equal(draft.whatsapp.languageCode, draft.language);
  }
});

test('regulatory alerts state the amount or deadline the client must act on', () => {
  const text = (type: string, channel: 'sms' | 'push', language: 'en' | 'hi') => {
    const draft = byId.get(templateIdOf(type, channel, language))!;
    const r = renderMessage({ ...draft, id: 'x', version: 1 }, sampleVariables(type));
    assert.ok(r.ok);
    return r.text;
  };
  assert.match(text('mtf.margin_call', 'sms', 'en'), /Rs\.18,500\.75 .* by 11 Feb 2026, 3:00 PM IST/);
  assert.match(text('mtf.margin_call', 'sms', 'hi'), /₹18,500\.75 .* 11 फ़रवरी 2026, 3:00 PM IST तक/);
  assert.match(text('fno.margin_shortfall', 'push', 'en'), /₹52,000\.00/);
  assert.match(text('trade.contract_note_issued', 'sms', 'en'), /CN2026021000456 .* https:\/\/pravah\.example\/cn\/CN2026021000456/);
});
