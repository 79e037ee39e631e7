// The codes of a client record in words: KRA status badges (`CVL · Validated`), risk, segments,
// holder types and KYC modes.
import { Badge } from '../../ui/data-display.tsx';
import type { Tone } from '../../ui/data-display.tsx';

const kraNames = ['CVL', 'NDML', 'DotEx', 'CAMS', 'KFintech'];

const kraStatuses: Record<string, { label: string; tone: Tone }> = {
  '00': { label: 'Not checked', tone: 'neutral' },
  '01': { label: 'Submitted', tone: 'info' },
  '02': { label: 'Registered', tone: 'good' },
  '03': { label: 'On hold', tone: 'warn' },
  '04': { label: 'Rejected', tone: 'bad' },
  '05': { label: 'Not available', tone: 'neutral' },
  '06': { label: 'Deactivated', tone: 'warn' },
  '07': { label: 'Validated', tone: 'good' },
};

export type KraStatus = { kra: string; label: string; tone: Tone; existingKyc: boolean };

/**
 * A three-digit KRA status code: the first digit names the KRA, the last two the status; 11-14 are
 * the "existing KYC" forms of 01-04. Null for a code outside that scheme.
 */
export function decodeKraStatus(code: string): KraStatus | null {
  const match = /^([0-4])(0[0-7]|1[1-4])$/.exec(code);
  if (match === null) return null;
  const [, kraDigit = '', form = ''] = match;
  const existingKyc = form.startsWith('1');
  const status = kraStatuses[existingKyc ? `0${form[1]}` : form];
  const kra = kraNames[Number(kraDigit)];
  if (status === undefined || kra === undefined) return null;
  return { kra, label: status.label, tone: status.tone, existingKyc };
}

export function KraStatusBadge({ code }: { code: string }) {
  const status = decodeKraStatus(code);
  if (status === null) {
    return (
      <Badge title={`KRA status ${code}: not a known code`} testId="kra-status">
        Status {code}
      </Badge>
    );
  }
  const text = `${status.kra} · ${status.label}${status.existingKyc ? ' (existing KYC)' : ''}`;
  return (
    <Badge tone={status.tone} title={`KRA status code ${code}`} testId="kra-status">
      {text}
    </Badge>
  );
}

const risks: Record<string, { label: string; tone: Tone }> = {
  L: { label: 'Low', tone: 'neutral' },
  M: { label: 'Medium', tone: 'warn' },
  H: { label: 'High', tone: 'bad' },
};

export function RiskBadge({ category }: { category: string }) {
  const risk = risks[category] ?? { label: category, tone: 'neutral' as const };
  return (
    <Badge tone={risk.tone} title="Risk category">
      {risk.label} risk
    </Badge>
  );
}

export const segmentNames: Record<string, string> = {
  CM: 'Cash (equity)',
  FO: 'Futures & options',
  CD: 'Currency derivatives',
  COM: 'Commodities',
  MTF: 'Margin trading',
  SLB: 'Securities lending',
};

export const segmentTones: Record<string, Tone> = { ACTIVE: 'good', INACTIVE: 'neutral', SUSPENDED: 'bad' };

export const holderTypes: Record<string, string> = {
  P: 'Individual',
  C: 'Company',
  H: 'Hindu undivided family',
  F: 'Firm or LLP',
  A: 'Association of persons',
  T: 'Trust',
  B: 'Body of individuals',
  L: 'Local authority',
  J: 'Artificial juridical person',
  G: 'Government',
};

export const kycModes: Record<number, string> = {
  0: 'Normal',
  1: 'e-KYC with OTP',
  2: 'e-KYC biometric',
  3: 'Online with IPV',
  4: 'Offline Aadhaar',
  5: 'DigiLocker',
  6: 'SARAL',
};

export const genders: Record<string, string> = { M: 'Male', F: 'Female', T: 'Transgender' };

export const pepStatuses: Record<string, string> = {
  NA: 'Not a PEP',
  PEP: 'Politically exposed',
  RPEP: 'Related to a PEP',
};
