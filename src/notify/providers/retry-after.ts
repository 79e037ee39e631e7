import { SECOND } from '../../platform/time.ts';

/**
 * A Retry-After header (RFC 9110: delta-seconds or an HTTP date) as milliseconds to wait from
 * `nowMs`; a date already past gives 0. Undefined when the header is absent, blank or unreadable,
 * so the caller falls back to its own backoff.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * SECOND;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
