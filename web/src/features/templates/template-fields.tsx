// The editable fields of one template, by channel: an SMS body with its DLT registration, a WhatsApp
// template as Meta approved it with the variables feeding its numbered parameters, or a push title
// and body. Read-only for anyone but an admin.
import type { ReactNode } from 'react';
import { smsCategories, whatsappCategories } from './templates-api.ts';
import type { Content, Issue, SmsFields, WhatsAppFields } from './templates-api.ts';

/** A text field's path inside the channel's fields: `body`, `dltText`, `parameters.2`. */
export type FieldPath = string;

export function readField(content: Content, path: FieldPath): string {
  const fields = (content.channel === 'sms' ? content.sms : content.channel === 'whatsapp' ? content.whatsapp : content.push) as Record<string, unknown>;
  const [name, index] = path.split('.');
  const value = fields[name!];
  return index !== undefined && Array.isArray(value) ? String(value[Number(index)] ?? '') : String(value ?? '');
}

export function writeField(content: Content, path: FieldPath, value: string): Content {
  const [name, index] = path.split('.');
  switch (content.channel) {
    case 'sms':
      return { channel: 'sms', sms: { ...content.sms, [name!]: value } as SmsFields };
    case 'whatsapp': {
      if (name === 'parameters' && index !== undefined) {
        const parameters = [...content.whatsapp.parameters];
        parameters[Number(index)] = value;
        return { channel: 'whatsapp', whatsapp: { ...content.whatsapp, parameters } };
      }
      return { channel: 'whatsapp', whatsapp: { ...content.whatsapp, [name!]: value } as WhatsAppFields };
    }
    case 'push':
      return { channel: 'push', push: { ...content.push, [name!]: value } };
  }
}

type Props = {
  content: Content;
  readOnly: boolean;
  issues: Issue[];
  suggestedDltText: string | null;
  onChange(content: Content): void;
  /** The text field the cursor is in, so a variable can be inserted there. */
  onFocusField(path: FieldPath, element: HTMLInputElement | HTMLTextAreaElement): void;
};

export function TemplateFields(props: Props) {
  const { content } = props;
  switch (content.channel) {
    case 'sms':
      return <SmsEditor {...props} sms={content.sms} />;
    case 'whatsapp':
      return <WhatsAppEditor {...props} whatsapp={content.whatsapp} />;
    case 'push':
      return (
        <div className="template-fields">
          <TextField {...props} path="title" label="Title" />
          <TextField {...props} path="body" label="Body" multiline rows={3} />
        </div>
      );
  }
}

function issuesFor(issues: Issue[], path: string, channel: string): Issue[] {
  return issues.filter((i) => i.field === `${channel}.${path}` || i.field.startsWith(`${channel}.${path}.`));
}

function FieldShell({ id, label, hint, issues, children }: { id: string; label: string; hint?: ReactNode; issues: Issue[]; children: ReactNode }) {
  return (
    <div className="field template-field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint !== undefined && <p className="field-hint muted">{hint}</p>}
      {issues.map((issue) => (
        <p key={`${issue.rule}:${issue.message}`} className="field-error" role="alert">
          {issue.message}
        </p>
      ))}
    </div>
  );
}

function TextField(props: Props & { path: FieldPath; label: string; hint?: ReactNode; multiline?: boolean; rows?: number; mono?: boolean }) {
  const { content, path, label, readOnly, onChange, onFocusField } = props;
  const id = `template-${path.replace('.', '-')}`;
  const issues = issuesFor(props.issues, path, content.channel);
  const common = {
    id,
    value: readField(content, path),
    readOnly,
    'aria-invalid': issues.length > 0,
    className: props.mono ? 'mono' : undefined,
    onFocus: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => onFocusField(path, e.currentTarget),
  };
  return (
    <FieldShell id={id} label={label} hint={props.hint} issues={issues}>
      {props.multiline ? (
        <textarea {...common} rows={props.rows ?? 4} spellCheck={false} onChange={(e) => onChange(writeField(content, path, e.target.value))} />
      ) : (
        <input {...common} type="text" spellCheck={false} onChange={(e) => onChange(writeField(content, path, e.target.value))} />
      )}
    </FieldShell>
  );
}

function SelectField(props: Props & { path: FieldPath; label: string; options: readonly string[] }) {
  const { content, path, label, readOnly, onChange, options } = props;
  const id = `template-${path}`;
  return (
    <FieldShell id={id} label={label} issues={issuesFor(props.issues, path, content.channel)}>
      <select id={id} value={readField(content, path)} disabled={readOnly} onChange={(e) => onChange(writeField(content, path, e.target.value))}>
        {options.map((o) => (
          <option key={o} value={o}>
            {o.replace('_', ' ')}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

function SmsEditor(props: Props & { sms: SmsFields }) {
  const { sms, suggestedDltText, readOnly } = props;
  const suggestion = suggestedDltText !== null && suggestedDltText !== sms.dltText && !readOnly;
  return (
    <div className="template-fields">
      <TextField {...props} path="body" label="Message body" multiline rows={4} hint={<>Placeholders: <code>{'{{amount}}'}</code>, <code>{'{{dueBy:time}}'}</code>, <code>{'{{link|fallback}}'}</code></>} />
      <TextField
        {...props}
        path="dltText"
        label="Registered DLT text"
        multiline
        rows={3}
        mono
        hint={
          <>
            As registered on the DLT portal; each <code>{'{#var#}'}</code> holds up to 30 characters.
            {suggestion && (
              <>
                {' '}
                <button type="button" className="link-button" onClick={() => props.onChange(writeField(props.content, 'dltText', suggestedDltText))}>
                  Use the text this body calls for
                </button>
              </>
            )}
          </>
        }
      />
      <div className="template-field-row">
        <TextField {...props} path="peId" label="DLT entity (PE) id" mono />
        <TextField {...props} path="header" label="Header" mono />
      </div>
      <div className="template-field-row">
        <TextField {...props} path="dltTemplateId" label="DLT template id" mono />
        <SelectField {...props} path="category" label="Category" options={smsCategories} />
      </div>
    </div>
  );
}

function WhatsAppEditor(props: Props & { whatsapp: WhatsAppFields }) {
  const { whatsapp, readOnly, content, onChange } = props;
  function setParameters(parameters: string[]) {
    onChange({ channel: 'whatsapp', whatsapp: { ...whatsapp, parameters } });
  }
  return (
    <div className="template-fields">
      <div className="template-field-row">
        <TextField {...props} path="name" label="Approved template name" mono />
        <TextField {...props} path="languageCode" label="Language code" mono />
        <SelectField {...props} path="category" label="Category" options={whatsappCategories} />
      </div>
      <TextField {...props} path="body" label="Approved body" multiline rows={5} hint={<>As Meta approved it, with <code>{'{{1}}'}</code>, <code>{'{{2}}'}</code>… for the parameters below.</>} />
      <fieldset className="template-parameters">
        <legend>Parameters</legend>
        {whatsapp.parameters.map((_, i) => (
          <div key={i} className="template-parameter">
            <TextField {...props} path={`parameters.${i}`} label={`Variable for {{${i + 1}}}`} mono />
            {!readOnly && (
              <button type="button" className="button button-ghost button-small" aria-label={`Remove parameter ${i + 1}`} onClick={() => setParameters(whatsapp.parameters.filter((__, j) => j !== i))}>
                Remove
              </button>
            )}
          </div>
        ))}
        {issuesFor(props.issues, 'parameters', content.channel)
          .filter((i) => i.field === 'whatsapp.parameters')
          .map((issue) => (
            <p key={issue.message} className="field-error" role="alert">
              {issue.message}
            </p>
          ))}
        {!readOnly && (
          <button type="button" className="button button-secondary button-small" onClick={() => setParameters([...whatsapp.parameters, ''])}>
            Add parameter
          </button>
        )}
      </fieldset>
    </div>
  );
}
