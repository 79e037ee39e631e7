// Which providers a configuration turns on: a provider without its full credentials is off, SMS goes
// to the DLT-native gateway before Twilio, and the sandbox serves only channels left without one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { buildProviders } from '../../src/compose-notify.ts';
import type { Db } from '../../src/store/db.ts';
import type { Envelope } from '../../src/crypto/envelope.ts';
import { createManualClock } from '../../src/platform/time.ts';

// Building the set opens no connection: nothing here is used until a message is sent.
const deps = { db: {} as Db, envelope: {} as Envelope, clock: createManualClock('2026-11-25T06:00:00Z') };
const DISTRIBUTED = { DATABASE_URL: 'postgres://pravah@127.0.0.1:5432/pravah' };
const TWILIO = { TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'twilio-token', TWILIO_FROM: '+15005550006' };
const MSG91 = { MSG91_AUTH_KEY: 'msg91-key', MSG91_SENDER_ID: 'PRAVAH', DLT_PE_ID: '1201159100000000001' };

test('a provider without credentials is off, nothing stands in for it in distributed mode; half a set of credentials is refused, naming what is missing', async () => {
  const none = await buildProviders(loadConfig({ ...DISTRIBUTED }), deps);
  for (const channel of ['sms', 'whatsapp', 'push'] as const) assert.deepEqual(none.order(channel), [], channel);
  assert.equal(none.byName.size, 0);
  assert.throws(
    () => loadConfig({ ...DISTRIBUTED, TWILIO_ACCOUNT_SID: TWILIO.TWILIO_ACCOUNT_SID, MSG91_AUTH_KEY: 'msg91-key', WHATSAPP_ACCESS_TOKEN: 'wa-token' }),
    (e: Error) => /missing TWILIO_AUTH_TOKEN/.test(e.message) && /missing MSG91_SENDER_ID, DLT_PE_ID/.test(e.message) && /WHATSAPP_APP_SECRET/.test(e.message) && !e.message.includes('wa-token'),
  );
});

test('configured SMS providers: the DLT-native gateway first, then Twilio; other channels stay off', async () => {
  const set = await buildProviders(loadConfig({ ...DISTRIBUTED, ...TWILIO, ...MSG91 }), deps);
  assert.deepEqual(set.order('sms'), ['msg91', 'twilio']);
  assert.deepEqual(set.order('whatsapp'), []);
  assert.deepEqual(set.order('push'), []);
  const onlyTwilio = await buildProviders(loadConfig({ ...DISTRIBUTED, ...TWILIO }), deps);
  assert.deepEqual(onlyTwilio.order('sms'), ['twilio']);
});

test('embedded mode: the sandbox serves exactly the channels without a real provider', async () => {
  const set = await buildProviders(loadConfig({ ...TWILIO }), deps);
  assert.deepEqual(set.order('sms'), ['twilio']);
  assert.deepEqual(set.order('whatsapp'), ['sandbox']);
  assert.deepEqual(set.order('push'), ['sandbox']);
  const off = await buildProviders(loadConfig({ NOTIFY_SANDBOX: 'false' }), deps);
  assert.deepEqual(off.order('whatsapp'), []);
});
