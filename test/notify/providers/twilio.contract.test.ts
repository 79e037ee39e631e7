// The ChannelProvider contract against the Twilio adapter and its fake.
import { describeChannelProviderContract } from '../../contracts/channel-provider.contract.ts';
import { createTwilioProvider } from '../../../src/notify/providers/twilio/twilio-provider.ts';
import type { OutgoingMessage, WebhookRequest } from '../../../src/notify/channel-provider.ts';
import { startTwilioFake } from '../../fakes/twilio.ts';

const accountSid = `AC${'1'.repeat(32)}`;
const authToken = 'contract-auth-token';
const callbackUrl = 'https://pravah.example/api/webhooks/twilio';

function sms(n: number, to: string): OutgoingMessage {
  return {
    messageId: `msg-${n}`,
    idempotencyKey: `evt-${n}:client-${n}:sms`,
    channel: 'sms',
    to,
    sms: { text: `Pravah: margin shortfall alert ${n}`, unicode: false, dlt: { peId: '1101', header: 'PRAVAH', templateId: '1107', category: 'transactional' } },
  };
}

describeChannelProviderContract('twilio', async () => {
  const fake = await startTwilioFake({ accountSid, authToken, seed: 11 });
  const provider = createTwilioProvider({ accountSid, authToken, from: '+15005550006', baseUrl: fake.url, timeoutMs: 300 });
  return {
    provider,
    fake,
    message: (n) => sms(n, `+9198${String(n).padStart(3, '0')}12345`),
    invalidRecipient: (n) => sms(n, `+9197${String(n).padStart(4, '0')}0000`),
    webhook: {
      signed(providerMessageId, status): WebhookRequest {
        const callback = fake.statusCallback(providerMessageId, status, { url: callbackUrl, ...(status === 'failed' ? { errorCode: '30006' } : {}) });
        return { url: callback.url, method: 'POST', headers: callback.headers, rawBody: Buffer.from(callback.body) };
      },
      tamper: (request) => ({ ...request, rawBody: Buffer.from(request.rawBody.toString().replace('MessageStatus=failed', 'MessageStatus=delivered')) }),
    },
    close: async () => {
      await fake.receiptsSettled();
      await fake.close();
    },
  };
});
