// The sandbox inbox: what each client's phone would show for the messages the sandbox provider
// "delivered" in embedded mode. One phone per client; SMS as a bubble under its DLT header, WhatsApp
// as a template card, push as a notification banner. Operators only: the content is decrypted.
import { useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { Icon } from '../../ui/icons.tsx';
import { Card, Spinner } from '../../ui/page.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { clientCodePattern, fetchSandbox } from './notifications-api.ts';
import type { SandboxMessage } from './notifications-api.ts';
import { LEDGER_POLL_MS, usePolled } from './use-notifications.ts';

const timeOnly = new Intl.DateTimeFormat('en-IN', { timeZone: 'Asia/Kolkata', hour: '2-digit', minute: '2-digit', hour12: false });

export function SandboxInbox({ client, onClientChange, onOpenMessage }: { client: string; onClientChange(code: string): void; onOpenMessage(id: string): void }) {
  const inbox = usePolled(`sandbox/${client}`, (api, signal) => fetchSandbox(api, client, signal), LEDGER_POLL_MS);
  const phones = useMemo(() => groupByClient(inbox.data?.items ?? []), [inbox.data]);
  return (
    <Card
      title="Sandbox inbox"
      actions={
        <span className="notif-live" role="status">
          <span className="notif-live-dot" aria-hidden="true" />
          Refreshing every {LEDGER_POLL_MS / 1000} s
        </span>
      }
    >
      <p className="muted small notif-sandbox-note">
        In embedded mode no message leaves the machine: the sandbox provider keeps what each phone would have shown, encrypted under the client’s key. It is
        decrypted here for operators only.
      </p>
      <ClientFilter value={client} onChange={onClientChange} />
      {inbox.error !== undefined && (
        <p className="alert" role="alert">
          <Icon name="alert" size={16} />
          <span>The sandbox inbox could not be loaded: {inbox.error}</span>
        </p>
      )}
      {inbox.data === undefined ? (
        inbox.error === undefined && <Spinner label="Loading the sandbox inbox" />
      ) : phones.length === 0 ? (
        <div className="notif-empty">
          <span className="empty-state-icon">
            <Icon name="notifications" size={22} />
          </span>
          <div>
            <h3>{client === '' ? 'The sandbox inbox is empty' : `Nothing reached ${client}’s phone`}</h3>
            <p className="muted">Messages the sandbox provider delivers appear here within seconds, as the client’s phone would show them.</p>
          </div>
        </div>
      ) : (
        <div className="notif-phones">
          {phones.map((phone) => (
            <Phone key={phone.clientId} phone={phone} onOpenMessage={onOpenMessage} />
          ))}
        </div>
      )}
    </Card>
  );
}

type PhoneData = { clientId: string; clientCode: string | null; maskedTo: string | null; messages: SandboxMessage[] };

function groupByClient(items: SandboxMessage[]): PhoneData[] {
  const phones = new Map<string, PhoneData>();
  for (const m of items) {
    let p = phones.get(m.clientId);
    if (!p) phones.set(m.clientId, (p = { clientId: m.clientId, clientCode: m.clientCode, maskedTo: null, messages: [] }));
    if (m.channel !== 'push' && p.maskedTo === null) p.maskedTo = m.maskedTo;
    p.messages.push(m);
  }
  // Newest first from the server; a phone reads oldest to newest.
  for (const p of phones.values()) p.messages.reverse();
  return [...phones.values()];
}

function Phone({ phone, onOpenMessage }: { phone: PhoneData; onOpenMessage(id: string): void }) {
  const banners = phone.messages.filter((m) => m.channel === 'push');
  const thread = phone.messages.filter((m) => m.channel !== 'push');
  return (
    <article className="notif-phone" aria-label={`Phone of ${phone.clientCode ?? 'an unknown client'}`} data-testid="sandbox-phone">
      <header className="notif-phone-top">
        <span className="mono">{phone.clientCode ?? 'Unknown client'}</span>
        <span className="mono muted">{phone.maskedTo ?? ''}</span>
      </header>
      <div className="notif-phone-screen">
        {banners.map((m) => (
          <PushBanner key={m.id} message={m} onOpen={() => onOpenMessage(m.messageId)} />
        ))}
        {thread.map((m) => (m.channel === 'sms' ? <SmsBubble key={m.id} message={m} onOpen={() => onOpenMessage(m.messageId)} /> : <WhatsAppCard key={m.id} message={m} onOpen={() => onOpenMessage(m.messageId)} />))}
      </div>
    </article>
  );
}

function Unreadable() {
  return <p className="muted small">This message can no longer be read: the client’s key was destroyed.</p>;
}

function SmsBubble({ message, onOpen }: { message: SandboxMessage; onOpen(): void }) {
  const sms = message.content?.sms;
  return (
    <div className="notif-sms" data-testid="sandbox-sms">
      <span className="notif-sms-sender mono">{sms?.dlt.header ?? 'SMS'}</span>
      <button type="button" className="notif-sms-bubble" onClick={onOpen} title="Open this message in the ledger" data-testid="sandbox-sms-bubble">
        {sms === undefined ? <Unreadable /> : sms.text}
      </button>
      <span className="notif-msg-time">
        SMS · {timeOnly.format(new Date(message.receivedAt))}
        {sms !== undefined && <> · DLT {sms.dlt.templateId}</>}
      </span>
    </div>
  );
}

function WhatsAppCard({ message, onOpen }: { message: SandboxMessage; onOpen(): void }) {
  const wa = message.content?.whatsapp;
  return (
    <div className="notif-wa" data-testid="sandbox-whatsapp">
      <button type="button" className="notif-wa-card" onClick={onOpen} title="Open this message in the ledger" data-testid="sandbox-whatsapp-card">
        <span className="notif-wa-head">
          <span className="notif-wa-logo" aria-hidden="true">W</span>
          <span className="mono">{wa?.templateName ?? 'WhatsApp'}</span>
        </span>
        {wa === undefined ? (
          <Unreadable />
        ) : (
          <span className="notif-wa-params">
            {wa.parameters.map((p, i) => (
              <span key={i}>
                <span className="notif-wa-var mono">{`{{${i + 1}}}`}</span> {p}
              </span>
            ))}
          </span>
        )}
        <span className="notif-wa-foot">
          {wa !== undefined && `${wa.category} · ${wa.language} · `}
          {timeOnly.format(new Date(message.receivedAt))} ✓✓
        </span>
      </button>
    </div>
  );
}

function PushBanner({ message, onOpen }: { message: SandboxMessage; onOpen(): void }) {
  const push = message.content?.push;
  return (
    <button type="button" className="notif-push" onClick={onOpen} title="Open this message in the ledger" data-testid="sandbox-push-banner">
      <span className="notif-push-icon" aria-hidden="true">P</span>
      <span className="notif-push-text">
        <span className="notif-push-app">
          PRAVAH · {formatDateTime(message.receivedAt)}
        </span>
        {push === undefined ? (
          <Unreadable />
        ) : (
          <>
            <strong>{push.title}</strong>
            <span>{push.body}</span>
          </>
        )}
      </span>
    </button>
  );
}

function ClientFilter({ value, onChange }: { value: string; onChange(code: string): void }) {
  const [code, setCode] = useState(value);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setCode(value), [value]);
  function submit(event: FormEvent) {
    event.preventDefault();
    const next = code.trim().toUpperCase();
    if (next !== '' && !clientCodePattern.test(next)) {
      setError('A client code is 1 to 10 letters or digits');
      return;
    }
    setError(null);
    onChange(next);
  }
  return (
    <form className="notif-sandbox-filter" role="search" aria-label="Filter the sandbox inbox" onSubmit={submit} noValidate>
      <label className="notif-field">
        <span>Client code</span>
        <input className="notif-input" value={code} maxLength={10} placeholder="All clients" autoComplete="off" spellCheck={false} onChange={(e) => setCode(e.target.value)} aria-invalid={error !== null} />
      </label>
      <button type="submit" className="button button-secondary button-small">
        Show
      </button>
      {value !== '' && (
        <button type="button" className="button button-ghost button-small" onClick={() => onChange('')}>
          All clients
        </button>
      )}
      {error !== null && (
        <span className="notif-field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
