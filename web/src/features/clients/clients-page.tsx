// Clients: an exact lookup by client code, PAN, mobile or email, and the matching clients, masked.
// The last lookup is kept in history state, not in the URL, so a PAN typed here never lands in the
// address bar, the browser history list or a Referer, yet Back from a client returns to the results.
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { isApiError } from '../../app/api-client.ts';
import { useSession } from '../../app/session.tsx';
import { Icon } from '../../ui/icons.tsx';
import { Card, PageHeader, Spinner } from '../../ui/page.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { clientPath, lookupClients, lookupLabel } from './clients-api.ts';
import type { ClientSummary, Lookup } from './clients-api.ts';
import { KraStatusBadge, RiskBadge } from './client-codes.tsx';
import { LookupForm } from './lookup-form.tsx';
import { MaskingNote } from './masking-note.tsx';
import './clients.css';

/** What the clients page keeps in history state; the detail page reads `fromLookup` to go back. */
export type ClientsHistoryState = { lookup?: Lookup; fromLookup?: boolean };

type LookupResult =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'done'; clients: ClientSummary[] }
  | { status: 'refused'; message: string }
  | { status: 'failed'; message: string };

export function ClientsPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const [lookup, setLookup] = useState<Lookup | null>(() => (location.state as ClientsHistoryState | null)?.lookup ?? null);
  const result = useClientLookup(lookup);

  function search(next: Lookup) {
    setLookup(next);
    navigate('.', { replace: true, state: { lookup: next } satisfies ClientsHistoryState });
  }

  return (
    <div className="clients-page">
      <PageHeader
        title="Clients"
        description="Find a client by an exact client code, PAN, mobile number or email address, and open their KYC record."
      />
      <Card>
        <LookupForm
          initial={lookup}
          busy={result.status === 'loading'}
          fieldError={lookup !== null && result.status === 'refused' ? { lookup, message: result.message } : null}
          onSearch={search}
        />
      </Card>
      {lookup !== null && <LookupResults lookup={lookup} result={result} />}
      <MaskingNote />
    </div>
  );
}

function useClientLookup(lookup: Lookup | null): LookupResult {
  const { client } = useSession();
  const [result, setResult] = useState<LookupResult>({ status: 'idle' });

  useEffect(() => {
    if (lookup === null) return;
    const controller = new AbortController();
    setResult({ status: 'loading' });
    lookupClients(client, lookup, controller.signal).then(
      (clients) => setResult({ status: 'done', clients }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (isApiError(error) && error.status === 400) {
          setResult({ status: 'refused', message: describeRefusal(error.message, lookup) });
        } else {
          setResult({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
        }
      },
    );
    return () => controller.abort();
  }, [client, lookup]);

  return result;
}

/** `pan is not valid (pan.format)` → `PAN is not valid (pan.format)`. */
function describeRefusal(message: string, lookup: Lookup): string {
  const named = message.startsWith(`${lookup.key} `) ? `${lookupLabel(lookup.key)}${message.slice(lookup.key.length)}` : message;
  return named.charAt(0).toUpperCase() + named.slice(1);
}

function LookupResults({ lookup, result }: { lookup: Lookup; result: LookupResult }) {
  if (result.status === 'idle' || result.status === 'refused') return null;
  if (result.status === 'loading') {
    return (
      <Card title="Results">
        <Spinner label="Looking up the client" />
      </Card>
    );
  }
  if (result.status === 'failed') {
    return (
      <p className="alert" role="alert">
        <Icon name="alert" size={16} />
        <span>The lookup failed: {result.message}</span>
      </p>
    );
  }
  const count = result.clients.length;
  const summary = count === 0 ? 'No matches' : count === 1 ? '1 client' : `${count} clients`;
  return (
    <Card title="Results" actions={<span className="muted small" data-testid="results-count">{summary}</span>}>
      {count === 0 ? (
        <p className="muted">No client has this {lookupLabel(lookup.key).toLowerCase()}. Lookups match the whole value exactly.</p>
      ) : (
        <ResultsTable clients={result.clients} />
      )}
    </Card>
  );
}

function ResultsTable({ clients }: { clients: ClientSummary[] }) {
  const navigate = useNavigate();
  const open = (code: string) => navigate(clientPath(code), { state: { fromLookup: true } satisfies ClientsHistoryState });
  return (
    <div className="table-frame">
      <table className="table clients-table" aria-label="Matching clients">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Client code</th>
            <th scope="col">PAN</th>
            <th scope="col">Mobile</th>
            <th scope="col">KRA status</th>
            <th scope="col">Risk</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {clients.map(({ id, masked, kraStatus, riskCategory, updatedAt }) => (
            <tr
              key={id}
              data-selectable="true"
              data-testid="client-row"
              onClick={(event) => {
                if (!(event.target instanceof HTMLAnchorElement)) open(masked.clientCode);
              }}
            >
              <td className="client-name">{masked.name}</td>
              <td>
                <Link
                  to={clientPath(masked.clientCode)}
                  state={{ fromLookup: true } satisfies ClientsHistoryState}
                  className="client-code mono"
                >
                  {masked.clientCode}
                </Link>
              </td>
              <td className="mono" data-testid="client-pan">
                {masked.pan}
              </td>
              <td className="mono cell-nowrap">{masked.mobile}</td>
              <td>
                <KraStatusBadge code={kraStatus} />
              </td>
              <td>
                <RiskBadge category={riskCategory} />
              </td>
              <td className="cell-nowrap muted">{formatDateTime(updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
