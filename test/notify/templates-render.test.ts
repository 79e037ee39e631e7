// The renderer and its parts, without a database: formatting (₹ with Indian grouping, dates, IST
// times, lists, labels), missing and invalid variables, the DLT match with the position it names,
// SMS encodings and segments, WhatsApp parameters, push limits, and the checks a save runs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMessage, type RenderableTemplate, type RenderResult, type RenderSuccess } from '../../src/notify/templates/render.ts';
import { checkDlt, measureSms, isGsm7 } from '../../src/notify/templates/dlt.ts';
import { formatDate, formatDateTime, formatMoney, formatTime, formatValue } from '../../src/notify/templates/format.ts';
import { parseTemplateText } from '../../src/notify/templates/placeholders.ts';
import { checkTemplate } from '../../src/notify/templates/check-template.ts';
import { deriveDltText } from '../../src/notify/templates/derive-dlt-text.ts';
import type { SmsTemplateContent } from '../../src/notify/templates/template.ts';

const dlt = { peId: '1101000000000000000', header: 'PRVAHB', dltTemplateId: '1107170000000000001', category: 'service_implicit' } as const;

function sms(type: string, body: string, dltText: string, language: 'en' | 'hi' = 'en', extra: Partial<SmsTemplateContent> = {}): RenderableTemplate {
  return { id: `${type}:sms:${language}`, version: 4, type, language, channel: 'sms', sms: { ...dlt, body, dltText, ...extra } };
}

function ok(result: RenderResult): RenderSuccess {
  assert.ok(result.ok, `expected a render, got ${JSON.stringify(result)}`);
  return result;
}

const marginCall = { shortfall: 1250000, dueBy: '2026-11-26T10:00:00Z', positions: 3 };

describe('formatting', () => {
  test('amounts: ₹ with Indian digit grouping and paise, debits signed', () => {
    assert.equal(formatMoney(1250000), '₹12,50,000.00');
    assert.equal(formatMoney(41250.5), '₹41,250.50');
    assert.equal(formatMoney(-1250.5), '-₹1,250.50');
    assert.equal(formatMoney(0), '₹0.00');
    assert.equal(formatMoney(1e9, 'Rs.'), 'Rs.1,00,00,00,000.00');
  });

  test('dates as 26 Nov 2026 (Hindi month names in Hindi); impossible dates refused', () => {
    assert.equal(formatDate('2026-11-26', 'en'), '26 Nov 2026');
    assert.equal(formatDate('2026-02-01', 'hi'), '1 फ़रवरी 2026');
    assert.equal(formatDate('2026-02-30', 'en'), undefined);
    assert.equal(formatDate('26/11/2026', 'en'), undefined);
  });

  test('times in IST whatever zone the timestamp carries', () => {
    assert.equal(formatDateTime('2026-11-26T10:00:00Z', 'en'), '26 Nov 2026, 3:30 PM IST');
    assert.equal(formatDateTime('2026-11-26T20:00:00Z', 'en'), '27 Nov 2026, 1:30 AM IST');
    assert.equal(formatTime('2026-02-11T12:05:00+05:30', 'en'), '12:05 PM IST');
    assert.equal(formatTime('2026-02-11T00:05:00+05:30', 'hi'), '12:05 AM IST');
  });

  test('lists are joined, labelled, and summarised past a length', () => {
    assert.deepEqual(formatValue(['CM', 'FO'], 'list', { language: 'en', currency: '₹' }), { ok: true, text: 'Equity, F&O' });
    assert.deepEqual(formatValue(['CM', 'FO'], 'list', { language: 'hi', currency: '₹' }), { ok: true, text: 'इक्विटी, F&O' });
    const many = ['HDFCBANK', 'ITC', 'RELIANCE', 'TATAMOTORS', 'INFY'];
    const fitted = formatValue(many, 'list', { language: 'en', currency: '₹', maxListLength: 30, itemFormat: 'text' });
    assert.deepEqual(fitted, { ok: true, text: 'HDFCBANK, ITC +3 more' });
  });

  test('placeholder syntax: formats, fallbacks, and errors with their position', () => {
    const { parts, issues } = parseTemplateText('Pay {{ amount }} by {{dueBy:time}} or {{link|the app}}');
    assert.deepEqual(issues, []);
    assert.deepEqual(parts.filter((p) => p.kind === 'placeholder').map((p) => p.kind === 'placeholder' && [p.placeholder.name, p.placeholder.format, p.placeholder.fallback]), [
      ['amount', undefined, undefined], ['dueBy', 'time', undefined], ['link', undefined, 'the app'],
    ]);
    assert.equal(parseTemplateText('Pay {{amount by now').issues[0]?.position, 4);
    assert.equal(parseTemplateText('Pay {{amount!}}').issues[0]?.position, 4);
    assert.equal(parseTemplateText('Pay amount}} now').issues[0]?.position, 10);
  });
});

describe('SMS rendering', () => {
  const body = 'MTF margin call: shortfall of {{shortfall}} across {{positions}} position(s). Pay by {{dueBy}}. -Pravah';
  const registered = 'MTF margin call: shortfall of {#var#} across {#var#} position(s). Pay by {#var#}. -Pravah';

  test('renders the content a provider sends, with the DLT facts and the version used', () => {
    const r = ok(renderMessage(sms('mtf.margin_call', body, registered), marginCall));
    assert.equal(r.channel, 'sms');
    assert.equal(r.version, 4);
    assert.equal(r.templateId, 'mtf.margin_call:sms:en');
    assert.deepEqual(r.content, {
      text: 'MTF margin call: shortfall of Rs.12,50,000.00 across 3 position(s). Pay by 26 Nov 2026, 3:30 PM IST. -Pravah',
      unicode: false,
      dlt: { peId: dlt.peId, header: 'PRVAHB', templateId: dlt.dltTemplateId, category: 'service_implicit' },
    });
    assert.ok(r.channel === 'sms' && r.sms.encoding === 'gsm7' && r.sms.segments === 1);
  });

  test('a missing variable is an error naming it, never "undefined" in the text', () => {
    const r = renderMessage(sms('mtf.margin_call', body, registered), { shortfall: 100, positions: 1 });
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.code === 'missing_variable' && r.field === 'dueBy', JSON.stringify(r));
    assert.ok(!r.ok && !r.message.includes('undefined'));
  });

  test('a fallback stands in for an absent optional variable', () => {
    const t = sms('kyc.on_hold', 'KYC on hold ({{reasonCode}}). Update: {{link|Pravah app}}', 'KYC on hold ({#var#}). Update: {#var#}{#var#}{#var#}');
    assert.equal(ok(renderMessage(t, { reasonCode: 'H01' })).text, 'KYC on hold (H01). Update: Pravah app');
  });

  test('a value of the wrong kind is invalid_variable, naming it', () => {
    const r = renderMessage(sms('mtf.margin_call', body, registered), { ...marginCall, dueBy: 'tomorrow' });
    assert.ok(!r.ok && r.code === 'invalid_variable' && r.field === 'dueBy', JSON.stringify(r));
  });

  test('fixed text that differs from the registration is dlt_mismatch with the position', () => {
    const r = renderMessage(sms('mtf.margin_call', body.replace('Pay by', 'Pay before'), registered), marginCall);
    assert.ok(!r.ok && r.code === 'dlt_mismatch', JSON.stringify(r));
    const text = 'MTF margin call: shortfall of Rs.12,50,000.00 across 3 position(s). Pay b';
    assert.equal(!r.ok && r.position, text.length);
    assert.match(!r.ok ? r.message : '', /character \d+: the registered text has "y /);
  });

  test('a code longer than its {#var#} fails, naming the variable; free text is shortened to fit', () => {
    const ref = sms('nomination.updated', 'Nomination updated. Ref: {{refNo}}. -Pravah', 'Nomination updated. Ref: {#var#}. -Pravah');
    const r = renderMessage(ref, { nomineeCount: 1, refNo: 'R'.repeat(35) });
    assert.ok(!r.ok && r.code === 'dlt_mismatch' && r.field === 'refNo', JSON.stringify(r));
    assert.match(!r.ok ? r.message : '', /would hold 35 characters .* at most 30/);

    const reason = sms('rms.auto_square_off', '{{symbol}} squared off. Reason: {{reason}}. -Pravah', '{#var#} squared off. Reason: {#var#}. -Pravah');
    const long = ok(renderMessage(reason, { symbol: 'SBIN', qty: 1, time: '2026-02-10T15:20:00+05:30', reason: 'Margin shortfall after the intraday cut-off of 15:15' }));
    assert.equal(long.text, 'SBIN squared off. Reason: Margin shortfall after the.... -Pravah');
  });

  test('lists in an SMS are summarised to fit their variable', () => {
    const t = sms('mtf.squared_off', 'Squared off: {{symbols}}. -Pravah', 'Squared off: {#var#}. -Pravah');
    const r = ok(renderMessage(t, { symbols: ['HDFCBANK', 'ITC', 'RELIANCE', 'TATAMOTORS', 'BAJFINANCE'], qty: 1, time: '2026-02-12T14:31:05+05:30', amount: 1 }));
    assert.equal(r.text, 'Squared off: HDFCBANK, ITC +3 more. -Pravah');
  });

  test('Hindi is Unicode: ₹ in the text, UCS-2 segments of 70 then 67', () => {
    const t = sms('mtf.margin_call', 'MTF मार्जिन कॉल: {{positions}} पोजीशन में {{shortfall}} की कमी है। {{dueBy}} तक भुगतान करें, अन्यथा पोजीशन स्क्वेयर ऑफ की जा सकती हैं। -प्रवाह',
      'MTF मार्जिन कॉल: {#var#} पोजीशन में {#var#} की कमी है। {#var#} तक भुगतान करें, अन्यथा पोजीशन स्क्वेयर ऑफ की जा सकती हैं। -प्रवाह', 'hi');
    const r = ok(renderMessage(t, marginCall));
    assert.ok(r.channel === 'sms');
    assert.equal(r.content.unicode, true);
    assert.match(r.text, /₹12,50,000\.00 की कमी/);
    assert.match(r.text, /26 नवंबर 2026, 3:30 PM IST तक/);
    assert.equal(r.sms.encoding, 'ucs2');
    assert.equal(r.sms.segments, Math.ceil(r.text.length / 67));
  });

  test('an SMS past the segment limit is too_long', () => {
    const t = sms('fno.ban_period', '{{symbol}} '.concat('x'.repeat(400)), '{#var#} '.concat('x'.repeat(400)));
    const r = renderMessage(t, { symbol: 'IDEA', banDate: '2026-02-11' }, { maxSmsSegments: 2 });
    assert.ok(!r.ok && r.code === 'too_long' && r.field === 'body', JSON.stringify(r));
  });

  test('an unknown event type is refused', () => {
    const r = renderMessage(sms('no.such_type', 'x', 'x'), {});
    assert.ok(!r.ok && r.code === 'unknown_type');
  });
});

describe('DLT check and segments', () => {
  test('a {#var#} holds up to 30 characters; adjacent ones add up', () => {
    assert.deepEqual(checkDlt('Code {#var#}.', `Code ${'A'.repeat(30)}.`), { ok: true, variables: 1 });
    const over = checkDlt('Code {#var#}.', `Code ${'A'.repeat(31)}.`);
    assert.ok(!over.ok && over.variable === 1 && over.position === 35, JSON.stringify(over));
    assert.equal(checkDlt('Link {#var#}{#var#}', `Link ${'u'.repeat(60)}`).ok, true);
    assert.equal(checkDlt('Link {#var#}{#var#}', `Link ${'u'.repeat(61)}`).ok, false);
    assert.equal(checkDlt('Empty {#var#}!', 'Empty !').ok, true);
  });

  test('a mismatch names where the texts part', () => {
    const r = checkDlt('Dear {#var#}, your KYC is approved.', 'Dear Priya, your KYC is now approved.');
    assert.ok(!r.ok);
    assert.equal(r.position, 'Dear Priya, your KYC is '.length);
    assert.equal(r.registeredPosition, 'Dear {#var#}, your KYC is '.length);
    const extra = checkDlt('Hi {#var#}.', 'Hi there. Bye');
    assert.ok(!extra.ok && /past the end/.test(extra.message));
  });

  test('GSM-7 and UCS-2 lengths and segments', () => {
    assert.deepEqual(measureSms('a'.repeat(160)), { encoding: 'gsm7', characters: 160, units: 160, segments: 1, perSegment: 160 });
    assert.equal(measureSms('a'.repeat(161)).segments, 2);
    assert.equal(measureSms('a'.repeat(306)).segments, 2);
    assert.equal(measureSms('a'.repeat(307)).segments, 3);
    assert.equal(measureSms('{}'.repeat(40)).units, 160, 'extension characters count twice');
    assert.equal(isGsm7('Rs.12,50,000.00 @ 5% & more'), true);
    assert.equal(isGsm7('₹12,50,000.00'), false);
    assert.deepEqual(measureSms('क'.repeat(70)), { encoding: 'ucs2', characters: 70, units: 70, segments: 1, perSegment: 70 });
    assert.equal(measureSms('क'.repeat(71)).segments, 2);
    assert.equal(measureSms('क'.repeat(134)).segments, 2);
    assert.equal(measureSms('क'.repeat(135)).segments, 3);
  });

  test('the registered text a body calls for: a {#var#} run per placeholder, wide enough', () => {
    assert.equal(deriveDltText('CN {{contractNoteNo}} for {{tradeDate}}: {{link}}', 'trade.contract_note_issued'), 'CN {#var#}{#var#} for {#var#}: {#var#}{#var#}{#var#}');
  });
});

describe('WhatsApp and push rendering', () => {
  test('WhatsApp: parameters in order, formatted, cleaned of new lines', () => {
    const t: RenderableTemplate = {
      id: 'kyc.on_hold:whatsapp:en', version: 2, type: 'kyc.on_hold', language: 'en', channel: 'whatsapp',
      whatsapp: { name: 'kyc_on_hold', languageCode: 'en', category: 'utility', body: 'On hold: {{1}} ({{2}}). Fix: {{3}}', parameters: ['reasonText|see app', 'reasonCode', 'link|Pravah app'] },
    };
    const r = ok(renderMessage(t, { reasonCode: 'H01', reasonText: 'Address proof\nunclear' }));
    assert.deepEqual(r.content, { templateName: 'kyc_on_hold', language: 'en', category: 'utility', parameters: ['Address proof unclear', 'H01', 'Pravah app'] });
    assert.equal(r.text, 'On hold: Address proof unclear (H01). Fix: Pravah app');
  });

  test('push: title and body with ₹, data naming the template version', () => {
    const t: RenderableTemplate = { id: 'funds.payin_received:push:en', version: 7, type: 'funds.payin_received', language: 'en', channel: 'push', push: { title: 'Funds received', body: '{{amount}} via {{mode}}; balance {{balance}}' } };
    const r = ok(renderMessage(t, { amount: 1250000, mode: 'UPI', balance: -1250.5 }));
    assert.deepEqual(r.content, { title: 'Funds received', body: '₹12,50,000.00 via UPI; balance -₹1,250.50', data: { eventType: 'funds.payin_received', templateId: 'funds.payin_received:push:en', templateVersion: '7' } });
  });
});

describe('what a save checks', () => {
  const good = { type: 'mtf.margin_call', language: 'en', channel: 'sms', sms: { ...dlt, body: 'Shortfall {{shortfall}} by {{dueBy}}. -Pravah', dltText: 'Shortfall {#var#} by {#var#}. -Pravah' } } as const;

  test('a good template has no issue', () => {
    assert.deepEqual(checkTemplate(good).issues, []);
  });

  test('a body that does not match its registration is refused with the position', () => {
    const { issues } = checkTemplate({ ...good, sms: { ...good.sms, body: 'Shortfall {{shortfall}} before {{dueBy}}. -Pravah' } });
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.field, 'sms.dltText');
    assert.equal(issues[0]?.rule, 'dlt_mismatch');
    assert.equal(issues[0]?.position, 'Shortfall Rs.18,500.75 b'.length);
  });

  test('unknown variables and formats, bad DLT fields and a promotional regulatory alert', () => {
    const { issues } = checkTemplate({ ...good, sms: { ...good.sms, body: 'Pay {{amount}} by {{dueBy:weekday}}', peId: '12', header: 'pravah', category: 'promotional' } });
    const rules = issues.map((i) => `${i.field}:${i.rule}`).sort();
    assert.deepEqual(rules, ['sms.body:unknown_format', 'sms.body:unknown_variable', 'sms.category:regulatory', 'sms.header:format', 'sms.peId:format']);
  });

  test('an optional variable without a fallback is refused', () => {
    const { issues } = checkTemplate({ type: 'kyc.on_hold', language: 'en', channel: 'push', push: { title: 'KYC on hold', body: '{{reasonText}}' } });
    assert.equal(issues[0]?.rule, 'missing_variable');
    assert.match(issues[0]?.message ?? '', /reasonText is optional .* fallback/);
  });

  test('WhatsApp numbering must match the parameters', () => {
    const { issues } = checkTemplate({
      type: 'mtf.margin_call', language: 'en', channel: 'whatsapp',
      whatsapp: { name: 'mtf_margin_call', languageCode: 'en', category: 'marketing', body: 'Short {{1}} by {{3}} {{shortfall}}', parameters: ['shortfall', 'dueBy'] },
    });
    const rules = issues.map((i) => `${i.field}:${i.rule}`).sort();
    assert.deepEqual(rules, ['whatsapp.body:parameters', 'whatsapp.body:syntax', 'whatsapp.category:regulatory', 'whatsapp.parameters:parameters']);
  });
});
