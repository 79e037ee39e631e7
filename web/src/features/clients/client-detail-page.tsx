// One client's KYC record, masked: identity, KYC status and its history, contacts, accounts,
// segments, nominees, consents and where the record came from. /clients/:code, so it can be linked.
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../app/api-client.ts';
import { useSession } from '../../app/session.tsx';
import { Icon } from '../../ui/icons.tsx';
import { PageHeader, Spinner } from '../../ui/page.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { fetchClient } from './clients-api.ts';
import type { ClientDetail } from './clients-api.ts';
import type { ClientsHistoryState } from './clients-page.tsx';
import { KraStatusBadge, RiskBadge } from './client-codes.tsx';
import {
  AccountsCard, ConsentsCard, ContactsCard, IdentityCard, NomineesCard, SegmentsCard, SourceCard,
} from './client-sections.tsx';
import { KycCard } from './kyc-card.tsx';
import { MaskingNote } from './masking-note.tsx';
import './clients.css';

type DetailState =
  | { code: string; status: 'loading' }
  | { code: string; status: 'done'; client: ClientDetail }
  | { code: string; status: 'missing' }
  | { code: string; status: 'failed'; message: string };

export function ClientDetailPage() {
  const { code = '' } = useParams();
  const detail = useClientDetail(code);
  return (
    <div className="clients-page client-detail">
      <BackLink />
      {detail.status === 'done' ? (
        <ClientRecord client={detail.client} />
      ) : (
        <>
          <PageHeader title={`Client ${code}`} />
          {detail.status === 'loading' && <Spinner label="Loading the client" />}
          {detail.status === 'missing' && (
            <p className="alert" role="alert">
              <Icon name="alert" size={16} />
              <span>
                No client has the code <span className="mono">{code}</span>. <Link to="/clients">Look up another client</Link>.
              </span>
            </p>
          )}
          {detail.status === 'failed' && (
            <p className="alert" role="alert">
              <Icon name="alert" size={16} />
              <span>The client could not be loaded: {detail.message}</span>
            </p>
          )}
        </>
      )}
    </div>
  );
}

function useClientDetail(code: string): DetailState {
  const { client } = useSession();
  const [state, setState] = useState<DetailState>({ code, status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    fetchClient(client, code, controller.signal).then(
      (detail) => setState({ code, status: 'done', client: detail }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (isApiError(error) && error.status === 404) setState({ code, status: 'missing' });
        else setState({ code, status: 'failed', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => controller.abort();
  }, [client, code]);

  // Until the new code's answer arrives, show it loading rather than the previous client.
  return state.code === code ? state : { code, status: 'loading' };
}

/** Back to the results the client was opened from, or to an empty lookup for a direct link. */
function BackLink() {
  const location = useLocation();
  const navigate = useNavigate();
  const fromLookup = (location.state as ClientsHistoryState | null)?.fromLookup === true;
  return (
    <Link
      to="/clients"
      className="back-link"
      onClick={(event) => {
        if (!fromLookup) return;
        event.preventDefault();
        void navigate(-1);
      }}
    >
      <Icon name="arrow-right" size={14} />
      <span>{fromLookup ? 'Back to results' : 'Find a client'}</span>
    </Link>
  );
}

function ClientRecord({ client }: { client: ClientDetail }) {
  const { masked } = client;
  return (
    <>
      <PageHeader
        title={masked.name}
        description={`Client ${masked.clientCode} · updated ${formatDateTime(client.updatedAt)}`}
        actions={
          <div className="client-badges">
            <KraStatusBadge code={client.kraStatus} />
            <RiskBadge category={client.riskCategory} />
          </div>
        }
      />
      <MaskingNote />
      <div className="client-grid">
        <IdentityCard client={client} />
        <KycCard client={client} />
        <ContactsCard masked={masked} />
        <SegmentsCard profile={client.profile} />
        <AccountsCard masked={masked} />
        <NomineesCard masked={masked} profile={client.profile} />
        <ConsentsCard consents={client.profile.consents} />
        <SourceCard client={client} />
      </div>
    </>
  );
}
