// The cards of a client's record. Every personal value comes from the masked form; the rest are
// the non-personal codes the server keeps in clear.
import { Badge } from '../../ui/data-display.tsx';
import { Card } from '../../ui/page.tsx';
import { formatCalendarDate, formatTimestamp, humanise } from '../../ui/format.ts';
import type { ClientDetail, ClientProfile, Consent, MaskedClient } from './clients-api.ts';
import { genders, holderTypes, pepStatuses, segmentNames, segmentTones } from './client-codes.tsx';
import { Facts } from './facts.tsx';

const residencies: Record<string, string> = { RESIDENT: 'Resident Indian', NRI: 'Non-resident Indian', FOREIGN_NATIONAL: 'Foreign national' };

export function IdentityCard({ client }: { client: ClientDetail }) {
  const { masked, profile } = client;
  return (
    <Card title="Identity">
      <Facts
        rows={[
          ['Name', masked.name],
          ['PAN', <span key="pan" className="mono" data-testid="detail-pan">{masked.pan}</span>],
          ['Holder type', holderTypes[profile.holderType] ?? profile.holderType],
          ['Date of birth', <span key="dob" className="mono">{masked.dob}</span>],
          ['Gender', profile.gender === null ? '—' : (genders[profile.gender] ?? profile.gender)],
          ['Nationality', profile.nationality],
          ['Residency', residencies[profile.residentialStatus] ?? humanise(profile.residentialStatus)],
          ['PEP', pepStatuses[profile.pep] ?? profile.pep],
        ]}
      />
    </Card>
  );
}

export function ContactsCard({ masked }: { masked: MaskedClient }) {
  return (
    <Card title="Contacts">
      <Facts
        rows={[
          ['Mobile', <span key="mobile" className="mono">{masked.mobile}</span>],
          ['Email', masked.email === null ? <span key="email" className="muted">None given</span> : <span key="email" className="mono">{masked.email}</span>],
          ['City', masked.city || '—'],
          ['State', masked.stateCode || '—'],
        ]}
      />
    </Card>
  );
}

export function AccountsCard({ masked }: { masked: MaskedClient }) {
  return (
    <Card title="Bank and demat accounts">
      <section aria-label="Bank accounts" className="record-list">
        <h3>Bank accounts</h3>
        {masked.banks.length === 0 ? (
          <p className="muted small">None on record.</p>
        ) : (
          <ul>
            {masked.banks.map((bank, index) => (
              <li key={`${bank.ifsc}-${bank.accountNumber}-${index}`}>
                <span className="mono">{bank.accountNumber}</span>
                <span className="muted small">
                  {bank.ifsc} · {bankTypes[bank.type] ?? bank.type}
                </span>
                {bank.primary && <Badge tone="info">Primary</Badge>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-label="Demat accounts" className="record-list">
        <h3>Demat accounts</h3>
        {masked.demat.length === 0 ? (
          <p className="muted small">None on record.</p>
        ) : (
          <ul>
            {masked.demat.map((account, index) => (
              <li key={`${account.depository}-${account.boId}-${index}`}>
                <span className="mono">{account.boId}</span>
                <span className="muted small">{account.depository}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Card>
  );
}

const bankTypes: Record<string, string> = { SB: 'Savings', CA: 'Current', NRE: 'NRE', NRO: 'NRO' };

export function SegmentsCard({ profile }: { profile: ClientProfile }) {
  return (
    <Card title="Segments">
      {profile.segments.length === 0 ? (
        <p className="muted small">No segments on record.</p>
      ) : (
        <ul className="record-list segment-list">
          {profile.segments.map((segment) => (
            <li key={segment.segment}>
              <span className="segment-name">
                {segmentNames[segment.segment] ?? segment.segment} <span className="muted small">{segment.segment}</span>
              </span>
              <span className="muted small">{segment.activatedOn === undefined ? '' : `since ${formatCalendarDate(segment.activatedOn)}`}</span>
              <Badge tone={segmentTones[segment.status] ?? 'neutral'}>{humanise(segment.status)}</Badge>
            </li>
          ))}
        </ul>
      )}
      {profile.mtfAgreementDate !== null && (
        <p className="muted small">MTF agreement signed {formatCalendarDate(profile.mtfAgreementDate)}.</p>
      )}
    </Card>
  );
}

export function NomineesCard({ masked, profile }: { masked: MaskedClient; profile: ClientProfile }) {
  return (
    <Card title="Nominees">
      {masked.nominees.length > 0 ? (
        <ul className="record-list">
          {masked.nominees.map((nominee, index) => (
            <li key={`${nominee.name}-${index}`}>
              <span>{nominee.name}</span>
              <span className="muted small">{humanise(nominee.relation)}</span>
              <span className="record-share">{nominee.sharePct}%</span>
            </li>
          ))}
        </ul>
      ) : profile.nominationOptOut ? (
        <p>
          <Badge>Opted out</Badge> <span className="muted small">The client declared they do not wish to nominate.</span>
        </p>
      ) : (
        <p className="muted small">No nominees on record and no opt-out declared.</p>
      )}
    </Card>
  );
}

export function ConsentsCard({ consents }: { consents: Consent[] }) {
  return (
    <Card title="Consents">
      {consents.length === 0 ? (
        <p className="muted small">No consents on record.</p>
      ) : (
        <ul className="record-list">
          {consents.map((consent, index) => (
            <li key={`${consent.purpose}-${consent.channel}-${index}`}>
              <span>
                {humanise(consent.purpose)} <span className="muted small">{consent.channel === 'ALL' ? 'all channels' : consent.channel}</span>
              </span>
              <span className="muted small">
                {consent.withdrawnAt === undefined ? `given ${formatTimestamp(consent.givenAt)}` : `withdrawn ${formatTimestamp(consent.withdrawnAt)}`}
              </span>
              <Badge tone={consent.withdrawnAt === undefined ? 'good' : 'neutral'}>
                {consent.withdrawnAt === undefined ? 'Given' : 'Withdrawn'}
              </Badge>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function SourceCard({ client }: { client: ClientDetail }) {
  return (
    <Card title="Source">
      <Facts
        rows={[
          ['System', client.sourceSystem],
          ['Version', String(client.sourceVersion)],
          ['As of', formatTimestamp(client.sourceAsOf)],
          ['First stored', formatTimestamp(client.createdAt)],
          ['Last updated', formatTimestamp(client.updatedAt)],
        ]}
      />
    </Card>
  );
}
