// Small pieces for showing records: a toned badge, a progress bar, and (in data-display.css) the
// table style the list pages share.
import type { ReactNode } from 'react';
import './data-display.css';

/** What a badge or a count signals; the colours come from the theme variables. */
export type Tone = 'neutral' | 'info' | 'good' | 'warn' | 'bad';

export function Badge({ tone = 'neutral', live = false, title, testId, children }: {
  tone?: Tone;
  /** A pulsing dot for something still in progress. */
  live?: boolean;
  title?: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <span className="tone-badge" data-tone={tone} title={title} data-testid={testId}>
      {live && <span className="tone-badge-dot" aria-hidden="true" />}
      {children}
    </span>
  );
}

/**
 * A horizontal bar. `value` is a fraction from 0 to 1; null means the total is unknown, and the
 * bar sweeps instead of filling.
 */
export function ProgressBar({ value, label, tone = 'info', valueText }: { value: number | null; label: string; tone?: Tone; valueText?: string }) {
  const percent = value === null ? null : Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div
      className="meter"
      data-tone={tone}
      data-indeterminate={percent === null}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
      aria-valuetext={valueText}
    >
      <span className="meter-fill" style={percent === null ? undefined : { width: `${percent}%` }} />
    </div>
  );
}
