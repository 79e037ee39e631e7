// Templates: every message clients receive, grouped by event type with a chip per channel and
// language. Choosing one opens it beside the list (the choice lives in the URL, ?id=…): admins edit
// it with a live phone preview and save a new version; everyone else reads it and its history.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { isApiError } from '../../app/api-client.ts';
import { useSession } from '../../app/session.tsx';
import { Badge } from '../../ui/data-display.tsx';
import { Icon } from '../../ui/icons.tsx';
import { PageHeader, Spinner } from '../../ui/page.tsx';
import { TemplateWorkspace } from './template-workspace.tsx';
import { channelLabels, channelOrder, fetchCatalog, languageShort, listTemplates } from './templates-api.ts';
import type { CatalogEntry, Channel, Template } from './templates-api.ts';
import './templates.css';

type Data = { templates: Template[]; catalog: CatalogEntry[] };

function useTemplatesData() {
  const { client } = useSession();
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ data: Data | undefined; error: string | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    Promise.all([listTemplates(client, controller.signal), fetchCatalog(client, controller.signal)]).then(
      ([templates, catalog]) => setState({ data: { templates, catalog }, error: undefined, loading: false }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState((s) => ({ ...s, error: isApiError(error) || error instanceof Error ? error.message : String(error), loading: false }));
      },
    );
    return () => controller.abort();
  }, [client, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}

export function TemplatesPage() {
  const data = useTemplatesData();
  const [searchParams, setSearchParams] = useSearchParams();
  const selectedId = searchParams.get('id');
  const select = useCallback((id: string | null) => setSearchParams(id === null ? {} : { id }, { replace: true }), [setSearchParams]);

  const selected = data.data?.templates.find((t) => t.id === selectedId);
  const entry = selected && data.data?.catalog.find((c) => c.type === selected.type);

  return (
    <div className="templates-page">
      <PageHeader
        title="Templates"
        description="Every message clients receive, per event type, channel and language. Each save is a new version; messages record the version they used."
      />
      {data.error !== undefined && (
        <p className="alert" role="alert">
          <Icon name="alert" size={16} />
          <span>The templates could not be loaded: {data.error}</span>
          <button type="button" className="button button-secondary button-small" onClick={data.reload}>
            Try again
          </button>
        </p>
      )}
      {data.data === undefined ? (
        data.error === undefined && (
          <div className="templates-loading">
            <Spinner label="Loading templates" />
          </div>
        )
      ) : (
        <div className="templates-layout">
          <TemplateList data={data.data} selectedId={selectedId} onSelect={select} />
          {selected && entry ? (
            <TemplateWorkspace key={selected.id} summary={selected} entry={entry} onSaved={data.reload} />
          ) : (
            <NothingSelected missing={selectedId !== null} />
          )}
        </div>
      )}
    </div>
  );
}

function NothingSelected({ missing }: { missing: boolean }) {
  return (
    <section className="empty-state templates-empty" aria-label="No template open">
      <span className="empty-state-icon">
        <Icon name="templates" size={22} />
      </span>
      <div>
        <h2>{missing ? 'That template does not exist' : 'Choose a template'}</h2>
        <p className="muted">Pick a channel and language under an event type to see its wording, a preview as the client’s phone shows it, and its history.</p>
      </div>
    </section>
  );
}

function TemplateList({ data, selectedId, onSelect }: { data: Data; selectedId: string | null; onSelect(id: string): void }) {
  const [query, setQuery] = useState('');
  const [channel, setChannel] = useState<Channel | 'all'>('all');
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    return data.catalog
      .map((entry) => ({
        entry,
        templates: data.templates
          .filter((t) => t.type === entry.type && (channel === 'all' || t.channel === channel))
          .sort((a, b) => channelOrder.indexOf(a.channel) - channelOrder.indexOf(b.channel) || a.language.localeCompare(b.language)),
      }))
      .filter((g) => g.templates.length > 0 && (!q || g.entry.title.toLowerCase().includes(q) || g.entry.type.includes(q)));
  }, [data, query, channel]);

  return (
    <nav className="template-list" aria-label="Templates by event type">
      <div className="template-list-tools">
        <label className="template-search">
          <Icon name="search" size={14} />
          <input type="search" placeholder="Filter event types" aria-label="Filter event types" value={query} onChange={(e) => setQuery(e.target.value)} />
        </label>
        <div className="segmented" role="group" aria-label="Channel">
          {(['all', ...channelOrder] as const).map((c) => (
            <button key={c} type="button" aria-pressed={channel === c} onClick={() => setChannel(c)}>
              {c === 'all' ? 'All' : channelLabels[c]}
            </button>
          ))}
        </div>
        <p className="muted small" data-testid="template-count">
          {data.templates.length} templates for {data.catalog.length} event types
        </p>
      </div>
      {groups.length === 0 ? (
        <p className="template-list-empty muted">No event type matches “{query}”.</p>
      ) : (
        <ul className="template-groups">
          {groups.map(({ entry, templates }) => (
            <li key={entry.type} className="template-group">
              <div className="template-group-head">
                <span className="template-group-title">{entry.title}</span>
                {entry.regulatory && (
                  <Badge tone="warn" title="Regulatory: must reach the client; ignores quiet hours and opt-outs">
                    Regulatory
                  </Badge>
                )}
              </div>
              <span className="mono muted template-group-type">{entry.type}</span>
              <div className="template-chips">
                {templates.map((t) => (
                  <button
                    key={t.id}
                    type="button"
                    className="template-chip"
                    data-channel={t.channel}
                    aria-pressed={t.id === selectedId}
                    aria-label={`${entry.title}: ${channelLabels[t.channel]}, ${t.language === 'en' ? 'English' : 'Hindi'}, version ${t.version}`}
                    onClick={() => onSelect(t.id)}
                  >
                    <span>{channelLabels[t.channel]}</span>
                    <span className="template-chip-lang">{languageShort[t.language]}</span>
                    {t.version > 1 && <span className="template-chip-version">v{t.version}</span>}
                  </button>
                ))}
              </div>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
