// Test doubles of the notification ports shared by the planner/ledger/dispatcher tests: a provider
// that answers from a script and remembers what it was sent, and a renderer whose text shows the
// pinned template version (as an edited template's wording would) and whose SMS is promotional
// when the variables say `promo`.
import { randomUUID } from 'node:crypto';
import type { Renderer } from '../../src/notify/dispatcher.ts';
import type { Channel, ChannelProvider, OutgoingMessage, SendOutcome } from '../../src/notify/channel-provider.ts';

export type Script = (message: OutgoingMessage, n: number) => SendOutcome | Promise<SendOutcome>;
export type ScriptedProvider = ChannelProvider & { sends: OutgoingMessage[]; script: Script };

export function scripted(name: string, channel: Channel, script: Script = () => ({ kind: 'accepted', providerMessageId: `${name}-${randomUUID()}` })): ScriptedProvider {
  const sends: OutgoingMessage[] = [];
  const provider: ScriptedProvider = {
    name, channel, sends, script,
    async send(message) {
      sends.push(message);
      return provider.script(message, sends.length);
    },
  };
  return provider;
}

export const render: Renderer = async ({ type, channel, variables, template }) => {
  if (variables['broken']) return { ok: false, code: 'missing_variable', detail: 'variables.amount' };
  const text = `${type}${template ? ` v${template.version}` : ''}: ${JSON.stringify(variables)}`;
  return {
    ok: true, templateId: `t-${type}-${channel}`, version: template?.version ?? 1,
    content: channel === 'sms' ? { sms: { text, unicode: false, dlt: { peId: '1', header: 'PRVAHB', templateId: '1107', category: variables['promo'] ? 'promotional' : 'transactional' } } }
      : channel === 'whatsapp' ? { whatsapp: { templateName: type.replace('.', '_'), language: 'en', category: 'utility', parameters: ['x'] } }
      : { push: { title: type, body: text, data: {} } },
  };
};
