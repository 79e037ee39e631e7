// One template open: its fields (editable by admins), the live phone preview with its checks, the
// type's variables with their sample values, and the version history. A save sends the version the
// edit started from, so an edit over someone else's newer version is refused, not lost.
import { useCallback, useEffect, useRef, useState } from 'react';
import { isApiError } from '../../app/api-client.ts';
import { useSession, useUser } from '../../app/session.tsx';
import { Badge } from '../../ui/data-display.tsx';
import { formatTimestamp } from '../../ui/format.ts';
import { Icon } from '../../ui/icons.tsx';
import { Card, Spinner } from '../../ui/page.tsx';
import { PhonePreview } from './phone-preview.tsx';
import { TemplateFields, readField, writeField, type FieldPath } from './template-fields.tsx';
import { TemplateHistory } from './template-history.tsx';
import { channelLabels, contentOf, fetchTemplate, languageLabels, sameContent, saveTemplate } from './templates-api.ts';
import type { CatalogEntry, Content, Issue, Template } from './templates-api.ts';
import { useTemplatePreview } from './use-template-preview.ts';

type History = { template: Template; versions: Template[] };

function useHistory(id: string) {
  const { client } = useSession();
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ data: History | undefined; error: string | undefined }>({ data: undefined, error: undefined });
  useEffect(() => {
    const controller = new AbortController();
    fetchTemplate(client, id, controller.signal).then(
      (data) => setState({ data, error: undefined }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState((s) => ({ ...s, error: error instanceof Error ? error.message : String(error) }));
      },
    );
    return () => controller.abort();
  }, [client, id, attempt]);
  return { ...state, reload: useCallback(() => setAttempt((n) => n + 1), []) };
}

type SaveState = { status: 'idle' } | { status: 'saving' } | { status: 'saved'; version: number } | { status: 'failed'; message: string; issues: Issue[]; conflict: boolean };

export function TemplateWorkspace({ summary, entry, onSaved }: { summary: Template; entry: CatalogEntry; onSaved(): void }) {
  const { client } = useSession();
  const canEdit = useUser().role === 'admin';
  const history = useHistory(summary.id);
  const [base, setBase] = useState<Template>(summary);
  const [draft, setDraft] = useState<Content>(() => contentOf(summary));
  const [note, setNote] = useState('');
  const [save, setSave] = useState<SaveState>({ status: 'idle' });
  const focused = useRef<{ path: FieldPath; element: HTMLInputElement | HTMLTextAreaElement } | null>(null);
  const preview = useTemplatePreview(summary, draft);
  const active = history.data?.template ?? summary;
  const dirty = !sameContent(draft, contentOf(base));

  function edit(next: Content) {
    setDraft(next);
    if (save.status !== 'saving') setSave({ status: 'idle' });
  }

  function startFrom(version: Template, content: Content = contentOf(version)) {
    setBase(active.version >= version.version ? active : version);
    setDraft(content);
    setSave({ status: 'idle' });
  }

  /** Puts `{{name}}` (a bare name in a WhatsApp parameter) where the cursor was. */
  function insertVariable(name: string) {
    const target: { path: FieldPath; element: HTMLInputElement | HTMLTextAreaElement | null } = focused.current ?? { path: 'body', element: null };
    const value = readField(draft, target.path);
    const token = target.path.startsWith('parameters.') ? name : `{{${name}}}`;
    const start = target.element?.selectionStart ?? value.length;
    const end = target.element?.selectionEnd ?? value.length;
    edit(writeField(draft, target.path, value.slice(0, start) + token + value.slice(end)));
    requestAnimationFrame(() => {
      target.element?.focus();
      target.element?.setSelectionRange(start + token.length, start + token.length);
    });
  }

  async function submit() {
    setSave({ status: 'saving' });
    try {
      const saved = await saveTemplate(client, { type: summary.type, language: summary.language, version: base.version }, draft, note);
      setBase(saved);
      setNote('');
      setSave({ status: 'saved', version: saved.version });
      history.reload();
      onSaved();
    } catch (error) {
      const issues = isApiError(error) && error.code === 'TEMPLATE_INVALID' && Array.isArray(error.details) ? (error.details as Issue[]) : [];
      const conflict = isApiError(error) && error.code === 'CONFLICT';
      if (conflict) history.reload();
      setSave({ status: 'failed', message: error instanceof Error ? error.message : String(error), issues, conflict });
    }
  }

  const issues = save.status === 'failed' && save.issues.length ? save.issues : (preview.preview?.issues ?? []);
  const variables = Object.entries(preview.preview?.variables ?? entry.sample);
  const required = new Set(entry.variables.required ?? []);

  return (
    <div className="template-workspace">
      <header className="template-head">
        <div>
          <h2>
            {entry.title} <span className="muted">· {channelLabels[summary.channel]} · {languageLabels[summary.language]}</span>
          </h2>
          <p className="muted small">
            <span className="mono">{summary.id}</span> · version {active.version}, saved by {active.author} on {formatTimestamp(active.createdAt)}
          </p>
        </div>
        {entry.regulatory && <Badge tone="warn">Regulatory</Badge>}
      </header>

      <div className="template-columns">
        <Card title={canEdit ? 'Edit' : 'Wording'}>
          {!canEdit && (
            <p className="notice">
              <Icon name="alert" size={16} />
              <span>Only admins can change templates. You can read them and their history.</span>
            </p>
          )}
          <TemplateFields
            content={draft}
            readOnly={!canEdit}
            issues={issues}
            suggestedDltText={preview.preview?.suggestedDltText ?? null}
            onChange={edit}
            onFocusField={(path, element) => (focused.current = { path, element })}
          />
          <div className="template-variables">
            <h3>Variables</h3>
            <p className="muted small">{canEdit ? 'Click one to insert it where the cursor is. ' : ''}Values are the catalog’s sample.</p>
            <ul>
              {variables.map(([name, value]) => (
                <li key={name}>
                  <button type="button" className="variable-chip" disabled={!canEdit} onClick={() => insertVariable(name)} title={entry.variables.properties?.[name]?.description}>
                    <span className="mono">{name}</span>
                    {name !== 'clientCode' && !required.has(name) && <span className="muted"> optional</span>}
                  </button>
                  <span className="variable-sample mono">{JSON.stringify(value)}</span>
                </li>
              ))}
            </ul>
          </div>
          {canEdit && (
            <div className="template-save">
              <div className="field">
                <label htmlFor="template-note">Note for the history</label>
                <input id="template-note" type="text" maxLength={500} placeholder="Why this change (optional)" value={note} onChange={(e) => setNote(e.target.value)} />
              </div>
              <div className="template-save-actions">
                <button type="button" className="button button-primary" disabled={!dirty || save.status === 'saving' || preview.pending || preview.preview?.canSave !== true} onClick={() => void submit()}>
                  {save.status === 'saving' ? 'Saving…' : 'Save as new version'}
                </button>
                <button type="button" className="button button-ghost" disabled={!dirty || save.status === 'saving'} onClick={() => startFrom(base)}>
                  Discard changes
                </button>
                <SaveStatus save={save} dirty={dirty} onReload={() => history.data && startFrom(history.data.template)} />
              </div>
            </div>
          )}
        </Card>
        <PhonePreview content={draft} state={preview} />
      </div>

      <Card title="History">
        {history.error !== undefined && history.data === undefined ? (
          <p className="alert" role="alert">
            <Icon name="alert" size={16} />
            <span>The history could not be loaded: {history.error}</span>
          </p>
        ) : history.data === undefined ? (
          <Spinner label="Loading the history" />
        ) : (
          <TemplateHistory versions={history.data.versions} activeVersion={history.data.template.version} onLoad={canEdit ? (v) => startFrom(history.data!.template, contentOf(v)) : undefined} />
        )}
      </Card>
    </div>
  );
}

function SaveStatus({ save, dirty, onReload }: { save: SaveState; dirty: boolean; onReload(): void }) {
  if (save.status === 'saved' && !dirty) {
    return (
      <span className="save-status" role="status" data-testid="save-status">
        Saved as version {save.version}. New messages use it now.
      </span>
    );
  }
  if (save.status === 'failed') {
    return (
      <span className="save-status save-failed" role="alert" data-testid="save-status">
        {save.message}
        {save.conflict && (
          <button type="button" className="link-button" onClick={onReload}>
            Load the latest version
          </button>
        )}
      </span>
    );
  }
  return dirty ? <span className="save-status muted">Unsaved changes</span> : null;
}
