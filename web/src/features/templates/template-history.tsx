// Every version of a template, newest first: who saved it and when, their note, and what changed
// from the version before (word by word). An admin can load an older version into the editor; saving
// it makes a new version, so the history itself never changes.
import { Badge } from '../../ui/data-display.tsx';
import { formatTimestamp } from '../../ui/format.ts';
import { diffWords } from './text-diff.ts';
import type { Template } from './templates-api.ts';

type Field = [label: string, value: string];

function fieldsOf(t: Template): Field[] {
  if (t.sms) {
    return [['Body', t.sms.body], ['DLT text', t.sms.dltText], ['PE id', t.sms.peId], ['Header', t.sms.header], ['DLT template id', t.sms.dltTemplateId], ['Category', t.sms.category]];
  }
  if (t.whatsapp) {
    return [['Body', t.whatsapp.body], ['Parameters', t.whatsapp.parameters.map((p, i) => `{{${i + 1}}} ${p}`).join(', ')], ['Template name', t.whatsapp.name], ['Language', t.whatsapp.languageCode], ['Category', t.whatsapp.category]];
  }
  return t.push ? [['Title', t.push.title], ['Body', t.push.body]] : [];
}

function Changes({ version, previous }: { version: Template; previous: Template | undefined }) {
  const now = fieldsOf(version);
  if (previous === undefined) {
    return (
      <dl className="history-fields">
        {now.slice(0, 2).map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    );
  }
  const before = new Map(fieldsOf(previous));
  const changed = now.filter(([label, value]) => before.get(label) !== value);
  if (changed.length === 0) return <p className="muted small">Same content as version {previous.version}.</p>;
  return (
    <dl className="history-fields">
      {changed.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd className="diff" data-testid="history-diff">
            {diffWords(before.get(label) ?? '', value).map((part, i) =>
              part.kind === 'same' ? (
                <span key={i}>{part.text}</span>
              ) : part.kind === 'added' ? (
                <ins key={i}>{part.text}</ins>
              ) : (
                <del key={i}>{part.text}</del>
              ),
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function TemplateHistory({ versions, activeVersion, onLoad }: { versions: Template[]; activeVersion: number; onLoad?: (version: Template) => void }) {
  return (
    <ol className="history" aria-label="Versions">
      {versions.map((v, i) => (
        <li key={v.version} className="history-item" data-testid="history-item">
          <div className="history-head">
            <strong>Version {v.version}</strong>
            {v.version === activeVersion && <Badge tone="good">Active</Badge>}
            <span className="muted small">
              {v.author} · {formatTimestamp(v.createdAt)}
            </span>
            {onLoad !== undefined && v.version !== activeVersion && (
              <button type="button" className="button button-ghost button-small history-load" onClick={() => onLoad(v)}>
                Load into editor
              </button>
            )}
          </div>
          {v.note !== null && <p className="history-note">“{v.note}”</p>}
          <Changes version={v} previous={versions[i + 1]} />
        </li>
      ))}
    </ol>
  );
}
