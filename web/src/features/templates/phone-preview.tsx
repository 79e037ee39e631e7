// The rendered message as the client's phone shows it: an SMS bubble from the DLT header, a WhatsApp
// template card, or a push banner. Beneath it, the checks: the DLT match (with the character where
// the texts part marked in the bubble), SMS encoding and segments, and what would stop a save.
import type { ReactNode } from 'react';
import { Badge } from '../../ui/data-display.tsx';
import { Icon } from '../../ui/icons.tsx';
import { Spinner } from '../../ui/page.tsx';
import type { Content, Preview } from './templates-api.ts';
import type { PreviewState } from './use-template-preview.ts';

export function PhonePreview({ content, state }: { content: Content; state: PreviewState }) {
  const { preview, error, pending } = state;
  return (
    <section className="phone-column" aria-label="Preview">
      <div className="phone-caption">
        <span>As the client sees it</span>
        {pending && <Spinner label="Updating the preview" />}
      </div>
      <div className="phone" data-channel={content.channel} data-testid="phone-preview">
        <div className="phone-notch" aria-hidden="true" />
        {error !== undefined && preview === undefined ? (
          <p className="phone-empty">The preview could not be made: {error}</p>
        ) : preview === undefined ? (
          <p className="phone-empty">Rendering…</p>
        ) : preview.rendered === null ? (
          <p className="phone-empty phone-error" role="alert" data-testid="preview-error">
            Cannot render: {preview.error?.message ?? 'unknown problem'}
          </p>
        ) : (
          <Rendered content={content} preview={preview} />
        )}
      </div>
      {preview !== undefined && <Checks content={content} preview={preview} />}
    </section>
  );
}

/** TRAI's suffix on the sender: S for service, T for transactional, P for promotional. */
const senderSuffix = { transactional: 'T', service_implicit: 'S', service_explicit: 'S', promotional: 'P' } as const;

function Rendered({ content, preview }: { content: Content; preview: Preview }) {
  const text = preview.rendered?.text ?? '';
  switch (content.channel) {
    case 'sms':
      return (
        <div className="sms-thread">
          <div className="sms-sender">
            <span className="sms-avatar" aria-hidden="true">
              {content.sms.header.slice(0, 1)}
            </span>
            <span className="mono" title="Operator prefix, DLT header and category suffix">{`VM-${content.sms.header}-${senderSuffix[content.sms.category]}`}</span>
          </div>
          <p className="sms-bubble" data-testid="preview-text">
            {preview.dlt?.ok === false && preview.dlt.position !== undefined ? <Marked text={text} at={preview.dlt.position} /> : text}
          </p>
          <span className="sms-time">now</span>
        </div>
      );
    case 'whatsapp':
      return (
        <div className="wa-chat">
          <div className="wa-header">
            <span className="wa-avatar" aria-hidden="true">P</span>
            <span>
              Pravah <span className="wa-verified" aria-label="verified business">✓</span>
            </span>
          </div>
          <div className="wa-card">
            <p className="wa-body" data-testid="preview-text">
              {text}
            </p>
            <span className="wa-meta">{content.whatsapp.category} · {content.whatsapp.languageCode} · now</span>
          </div>
        </div>
      );
    case 'push': {
      const [title, ...body] = text.split('\n');
      return (
        <div className="push-screen">
          <p className="push-clock" aria-hidden="true">
            9:41
          </p>
          <div className="push-banner" data-testid="preview-text">
            <div className="push-app">
              <span className="push-icon" aria-hidden="true">P</span>
              <span>PRAVAH</span>
              <span className="push-when">now</span>
            </div>
            <p className="push-title">{title}</p>
            <p className="push-body">{body.join('\n')}</p>
          </div>
        </div>
      );
    }
  }
}

/** The text with the character at `at` marked (where the DLT texts part). */
function Marked({ text, at }: { text: string; at: number }) {
  return (
    <>
      {text.slice(0, at)}
      <mark className="dlt-mark" title="The registered DLT text differs from here">
        {text.slice(at, at + 1) || ' '}
      </mark>
      {text.slice(at + 1)}
    </>
  );
}

function CheckRow({ tone, label, children, testId }: { tone: 'good' | 'bad' | 'neutral' | 'warn'; label: string; children: ReactNode; testId?: string }) {
  return (
    <li className="check-row" data-testid={testId}>
      <Badge tone={tone}>{label}</Badge>
      <span>{children}</span>
    </li>
  );
}

function Checks({ content, preview }: { content: Content; preview: Preview }) {
  return (
    <ul className="checks" aria-label="Checks">
      {content.channel === 'sms' && preview.dlt !== null && (
        <CheckRow tone={preview.dlt.ok ? 'good' : 'bad'} label={preview.dlt.ok ? 'DLT match' : 'DLT mismatch'} testId="dlt-check">
          {preview.dlt.ok ? `Matches the registered text (${preview.dlt.variables ?? 0} variables).` : preview.dlt.message}
        </CheckRow>
      )}
      {preview.sms !== null && (
        <CheckRow tone={preview.sms.segments > 1 ? 'warn' : 'neutral'} label={preview.sms.encoding === 'gsm7' ? 'GSM-7' : 'Unicode'} testId="sms-segments">
          {preview.sms.characters} characters · {preview.sms.segments} SMS {preview.sms.segments === 1 ? 'segment' : 'segments'} ({preview.sms.perSegment} per segment)
        </CheckRow>
      )}
      {preview.error !== null && (
        <CheckRow tone="bad" label={preview.error.code.replace('_', ' ')}>
          {preview.error.message}
        </CheckRow>
      )}
      {preview.issues.length === 0 ? (
        <CheckRow tone="good" label="Ready" testId="save-check">
          Renders from the catalog sample, with and without optional variables.
        </CheckRow>
      ) : (
        preview.issues.map((issue) => (
          <CheckRow key={`${issue.field}:${issue.message}`} tone="bad" label="Cannot save" testId="save-check">
            <span className="mono">{issue.field}</span>: {issue.message}
          </CheckRow>
        ))
      )}
      <li className="check-row check-note">
        <Icon name="alert" size={14} />
        <span>Rendered with the catalog’s sample data, shown under Variables.</span>
      </li>
    </ul>
  );
}
