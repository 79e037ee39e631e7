// The provider fakes of the notify benchmark (MSG91, Twilio, WhatsApp Cloud API, FCM), either in the
// benchmark's own process or in a child process of their own. The fakes stand for remote providers:
// in a child process their HTTP servers, webhook clients and signatures no longer share the
// pipeline's event loop, which is how a real deployment meets them (their CPU still comes from the
// same two cores, and is reported apart). Run directly, this file is that child: it starts the
// fakes and answers the parent's commands over IPC.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { childAsker } from './support.ts';
import { startTwilioFake } from '../test/fakes/twilio.ts';
import { startWhatsAppFake } from '../test/fakes/whatsapp.ts';
import { startFcmFake } from '../test/fakes/fcm.ts';
import { startMsg91Fake } from '../test/fakes/msg91.ts';
import type { FakeServer, ReceiptFaults } from '../test/fakes/fake-server.ts';
import { seedDrafts } from '../src/notify/templates/seed-templates.ts';
import { msg91WebhookUrl } from '../src/notify/providers/msg91/msg91-provider.ts';
import { idempotencyKeyOfReference } from '../src/notify/providers/msg91/msg91-reference.ts';

export type FleetOptions = { publicUrl: string; peId: string; header: string };

/** What the benchmark needs to know to configure the platform against the fakes. */
export type FleetInfo = {
  urls: Record<string, string>;
  twilio: { accountSid: string; authToken: string };
  fcm: { tokenUrl: string; serviceAccount: Record<string, string> };
};

export type FakeFleet = FleetInfo & {
  setFaults(transientRate: number, receiptFaults: ReceiptFaults): Promise<void>;
  /** Waits until every scheduled receipt was posted (or lost). */
  receiptsSettled(): Promise<void>;
  /** Keys delivered more than once, counted per fake (each key's deliveries beyond the first). */
  duplicates(): Promise<Record<string, number>>;
  /** CPU the fakes used (µs), when they run in a process of their own; else null. */
  cpu(): Promise<{ user: number; system: number } | null>;
  /** Some idempotency keys delivered more than once (for their timelines). */
  duplicateKeys(limit: number): Promise<string[]>;
  /** HTTP exchanges so far: requests the fakes received (sends, lookups, probes) and receipts they posted. */
  exchanges(): Promise<{ requests: number; receipts: number }>;
  close(): Promise<void>;
};

async function startFakes(options: FleetOptions) {
  const twilio = await startTwilioFake({ accountSid: `AC${'3'.repeat(32)}`, authToken: 'twilio-secret', seed: 11 });
  const whatsapp = await startWhatsAppFake({ accessToken: 'wa-token', phoneNumberId: '1077', appSecret: 'meta-secret', seed: 12 });
  const fcm = await startFcmFake({ projectId: 'pravah-bench', seed: 13 });
  const msg91 = await startMsg91Fake({ authKey: 'msg91-key', seed: 14 });
  for (const draft of seedDrafts({ peId: options.peId, header: options.header })) {
    if (draft.channel === 'sms') msg91.registerTemplate({ templateId: draft.sms.dltTemplateId, peId: options.peId, header: options.header, pattern: draft.sms.dltText });
  }
  whatsapp.setWebhookUrl(`${options.publicUrl}/api/webhooks/whatsapp-cloud`);
  msg91.setWebhookUrl(msg91WebhookUrl(`${options.publicUrl}/api/webhooks/msg91`, { authKey: 'msg91-key' }));
  const fakes: Array<[string, FakeServer]> = [['msg91', msg91], ['twilio', twilio], ['whatsapp', whatsapp], ['fcm', fcm]];
  const info: FleetInfo = {
    urls: Object.fromEntries(fakes.map(([label, f]) => [label, f.url])),
    twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken },
    fcm: { tokenUrl: fcm.tokenUrl, serviceAccount: { ...fcm.serviceAccount } },
  };
  return {
    info,
    setFaults(rate: number, receiptFaults: ReceiptFaults) {
      for (const [, f] of fakes) {
        f.setTransientRate(rate);
        f.receiptFaults = receiptFaults;
      }
    },
    receiptsSettled: () => Promise.all(fakes.map(([, f]) => f.receiptsSettled())).then(() => undefined),
    duplicates: () => Object.fromEntries(fakes.map(([label, f]) => [label, [...f.deliveries.values()].reduce((s, n) => s + Math.max(0, n - 1), 0)])),
    // MSG91 counts by CRQID, our key as its client reference.
    duplicateKeys: (limit: number) => fakes.flatMap(([label, f]) => [...f.deliveries].filter(([, n]) => n > 1)
      .map(([key]) => (label === 'msg91' ? idempotencyKeyOfReference(key) ?? key : key))).slice(0, limit),
    exchanges: () => fakes.reduce((sum, [, f]) => ({ requests: sum.requests + f.stats.requests, receipts: sum.receipts + f.stats.receiptsPosted }), { requests: 0, receipts: 0 }),
    close: () => Promise.all(fakes.map(([, f]) => f.close())).then(() => undefined),
  };
}

/** The fakes in this process. */
export async function startFleetInProcess(options: FleetOptions): Promise<FakeFleet> {
  const fakes = await startFakes(options);
  return {
    ...fakes.info,
    setFaults: async (rate, receiptFaults) => fakes.setFaults(rate, receiptFaults),
    receiptsSettled: fakes.receiptsSettled,
    duplicates: async () => fakes.duplicates(),
    cpu: async () => null,
    exchanges: async () => fakes.exchanges(),
    duplicateKeys: async (limit) => fakes.duplicateKeys(limit),
    close: fakes.close,
  };
}

type Command = { id: number; cmd: 'faults'; rate: number; receiptFaults: ReceiptFaults } | { id: number; cmd: 'keys'; limit: number }
  | { id: number; cmd: 'settled' | 'duplicates' | 'cpu' | 'exchanges' | 'close' };

/** The fakes in a child process of their own, driven over IPC. */
export async function startFleetInChild(options: FleetOptions): Promise<FakeFleet> {
  const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [ready] = (await once(child, 'message')) as [{ ready: FleetInfo }];
  const ask = childAsker(child);
  return {
    ...ready.ready,
    setFaults: (rate, receiptFaults) => ask({ cmd: 'faults', rate, receiptFaults }),
    receiptsSettled: () => ask({ cmd: 'settled' }),
    duplicates: () => ask({ cmd: 'duplicates' }),
    cpu: () => ask({ cmd: 'cpu' }),
    exchanges: () => ask({ cmd: 'exchanges' }),
    duplicateKeys: (limit) => ask({ cmd: 'keys', limit }),
    async close() {
      await ask({ cmd: 'close' });
      child.disconnect();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  const fakes = await startFakes(JSON.parse(process.argv[2]!) as FleetOptions);
  const reply = (id: number, value: unknown = null) => process.send!({ id, value });
  process.on('message', (m: Command) => {
    void (async () => {
      if (m.cmd === 'faults') reply(m.id, fakes.setFaults(m.rate, m.receiptFaults));
      else if (m.cmd === 'settled') reply(m.id, await fakes.receiptsSettled());
      else if (m.cmd === 'duplicates') reply(m.id, fakes.duplicates());
      else if (m.cmd === 'cpu') reply(m.id, process.cpuUsage());
      else if (m.cmd === 'exchanges') reply(m.id, fakes.exchanges());
      else if (m.cmd === 'keys') reply(m.id, fakes.duplicateKeys(m.limit));
      else if (m.cmd === 'close') reply(m.id, await fakes.close());
    })();
  });
  process.send({ ready: fakes.info });
}
