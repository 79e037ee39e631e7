// The event catalog of DOMAIN.md §3: every type present once, each sample valid, the JSON form
// self-contained (variables as JSON Schema) for the API and the web Templates page.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Compile } from 'typebox/compile';
import {
  catalogAsJson, eventCatalog, eventCategories, eventChannels, eventTimings, eventTypes, getEventDefinition, isEventType, variableValidators,
} from '../../src/events/catalog.ts';

// The 28 rows of DOMAIN.md §3, rows 2 and 20 holding two types each.
const domainTypes = [
  'kyc.approved', 'kyc.on_hold', 'kyc.rejected', 'kyc.kra_status_changed', 'account.contact_changed', 'kyc.revalidation_due',
  'nomination.pending', 'nomination.updated', 'segment.activated', 'security.new_device_login', 'funds.payin_received',
  'funds.payout_processed', 'funds.running_account_settled', 'order.rejected', 'trade.executed', 'trade.contract_note_issued',
  'margin.daily_statement', 'mtf.position_created', 'mtf.pledge_pending', 'mtf.margin_call', 'mtf.square_off_warning', 'mtf.squared_off',
  'mtf.interest_debited', 'fno.margin_shortfall', 'fno.expiry_reminder', 'fno.physical_settlement_obligation', 'fno.ban_period',
  'rms.auto_square_off', 'corporate_action.announced', 'depository.ddpi_or_pledge_changed',
];
const regulatory = [
  'kyc.on_hold', 'kyc.rejected', 'account.contact_changed', 'nomination.updated', 'funds.running_account_settled', 'trade.contract_note_issued',
  'margin.daily_statement', 'mtf.position_created', 'mtf.margin_call', 'mtf.square_off_warning', 'mtf.squared_off', 'fno.margin_shortfall',
  'depository.ddpi_or_pledge_changed',
];

// Default channels as DOMAIN.md §3 lists them, in its order of preference.
const channels: Record<string, string[]> = {
  'kyc.approved': ['sms', 'whatsapp', 'push'], 'kyc.on_hold': ['sms', 'whatsapp'], 'kyc.rejected': ['sms', 'whatsapp'],
  'kyc.kra_status_changed': ['push'], 'account.contact_changed': ['sms'], 'kyc.revalidation_due': ['sms', 'whatsapp', 'push'],
  'nomination.pending': ['sms', 'whatsapp'], 'nomination.updated': ['sms'], 'segment.activated': ['sms', 'push'],
  'security.new_device_login': ['sms', 'push'], 'funds.payin_received': ['push', 'whatsapp'], 'funds.payout_processed': ['sms', 'push'],
  'funds.running_account_settled': ['sms'], 'order.rejected': ['push'], 'trade.executed': ['push', 'whatsapp'],
  'trade.contract_note_issued': ['sms'], 'margin.daily_statement': ['push'], 'mtf.position_created': ['push', 'sms'],
  'mtf.pledge_pending': ['sms', 'whatsapp', 'push'], 'mtf.margin_call': ['sms', 'whatsapp', 'push'], 'mtf.square_off_warning': ['sms', 'whatsapp', 'push'],
  'mtf.squared_off': ['sms', 'whatsapp', 'push'], 'mtf.interest_debited': ['push'], 'fno.margin_shortfall': ['sms', 'push'],
  'fno.expiry_reminder': ['push', 'whatsapp'], 'fno.physical_settlement_obligation': ['sms', 'whatsapp', 'push'], 'fno.ban_period': ['push'],
  'rms.auto_square_off': ['sms', 'push'], 'corporate_action.announced': ['push'], 'depository.ddpi_or_pledge_changed': ['sms'],
};

describe('event catalog', () => {
  test('holds the 30 types of DOMAIN.md §3, each once, in table order', () => {
    assert.equal(eventCatalog.length, 30);
    assert.deepEqual([...eventTypes], domainTypes);
    assert.equal(new Set(eventTypes).size, 30);
    for (const type of domainTypes) {
      assert.equal(getEventDefinition(type)?.type, type);
      assert.ok(isEventType(type));
    }
    assert.equal(getEventDefinition('kyc.approvedd'), undefined);
    assert.equal(getEventDefinition('__proto__'), undefined);
    assert.equal(isEventType('constructor'), false);
  });

  test('every entry is complete and uses the closed vocabularies', () => {
    for (const d of eventCatalog) {
      assert.ok(d.title.length > 0 && d.description.length > 0, d.type);
      assert.ok(eventCategories.includes(d.category), d.type);
      assert.ok(eventTimings.includes(d.timing), d.type);
      assert.ok(d.defaultChannels.length > 0 && d.defaultChannels.every((c) => eventChannels.includes(c)), d.type);
      assert.equal(new Set(d.defaultChannels).size, d.defaultChannels.length, d.type);
      assert.equal((d.variables as { additionalProperties?: unknown }).additionalProperties, false, `${d.type} must refuse unknown variables`);
    }
  });

  test('the regulatory flag, channels and timing follow the table', () => {
    assert.deepEqual(eventCatalog.filter((d) => d.regulatory).map((d) => d.type), regulatory);
    assert.deepEqual(Object.fromEntries(eventCatalog.map((d) => [d.type, [...d.defaultChannels]])), channels);
    assert.deepEqual(getEventDefinition('account.contact_changed')!.defaultChannels, ['sms']);
    assert.equal(getEventDefinition('account.contact_changed')!.audience, 'old_and_new_contact');
    assert.deepEqual(eventCatalog.filter((d) => d.audience !== 'client').map((d) => d.type), ['account.contact_changed']);
    assert.equal(getEventDefinition('trade.contract_note_issued')!.timing, 'end_of_day');
    assert.equal(getEventDefinition('fno.expiry_reminder')!.timing, 'scheduled');
    assert.equal(getEventDefinition('fno.ban_period')!.timing, 'pre_open');
    assert.equal(getEventDefinition('mtf.interest_debited')!.timing, 'digest');
    assert.equal(getEventDefinition('mtf.pledge_pending')!.expiresWith, 'cutoffTime');
    assert.deepEqual(getEventDefinition('kyc.approved')!.defaultChannels, ['sms', 'whatsapp', 'push']);
  });

  test('every sample validates against its compiled validator', () => {
    for (const d of eventCatalog) {
      const validator = variableValidators.get(d.type)!;
      assert.ok(validator.Check(d.sample), `${d.type}: ${JSON.stringify([...validator.Errors(d.sample)])}`);
      const expiry = d.expiresWith;
      if (expiry) assert.ok(Object.keys(d.variables.properties).includes(expiry), d.type);
    }
  });

  test('the JSON form is plain JSON Schema that validates the samples on its own', () => {
    const json = JSON.parse(JSON.stringify(catalogAsJson())) as ReturnType<typeof catalogAsJson>;
    assert.equal(json.length, 30);
    for (const entry of json) {
      assert.equal(entry.variables['type'], 'object');
      assert.equal(entry.variables['additionalProperties'], false);
      assert.ok(Compile(entry.variables as never).Check(entry.sample), entry.type);
      assert.ok(Array.isArray(entry.defaultChannels));
    }
    const contact = json.find((e) => e.type === 'account.contact_changed')!;
    assert.equal(contact.audience, 'old_and_new_contact');
    assert.deepEqual((contact.variables['properties'] as Record<string, { enum?: string[] }>)['field']!.enum, ['mobile', 'email', 'address', 'bank']);
  });

  test('masked variables refuse values in clear', () => {
    const payout = variableValidators.get('funds.payout_processed')!;
    assert.equal(payout.Check({ amount: 100, bankMasked: '123456784321', utr: 'UTR1234567' }), false);
    assert.equal(payout.Check({ amount: 100, bankMasked: 'XXXXXXXX4321', utr: 'UTR1234567' }), true);
    const contact = variableValidators.get('account.contact_changed')!;
    assert.equal(contact.Check({ field: 'mobile', maskedNewValue: '+919876543210' }), false);
    assert.equal(contact.Check({ field: 'email', maskedNewValue: 'a****@example.in' }), true);
  });

  test('throttled types name required variables of their own, and margin alerts are among them', () => {
    const throttled = eventCatalog.filter((d) => d.throttleBy);
    assert.ok(['mtf.margin_call', 'fno.margin_shortfall'].every((t) => throttled.some((d) => d.type === t)), 'DOMAIN.md: duplicate margin alerts are throttled');
    for (const d of throttled) {
      const required = (d.variables as { required?: string[] }).required ?? [];
      for (const v of d.throttleBy!) assert.ok(required.includes(v), `${d.type}: throttleBy names ${v}, which is not a required variable`);
    }
    const json = catalogAsJson().find((e) => e.type === 'fno.ban_period')!;
    assert.deepEqual(json.throttleBy, ['symbol', 'banDate']);
  });
});
