// One line of terminal progress for a long job: a bar by bytes, counts, rate and ETA.
export type Progress = { bytes: number | null; bytesRead: number; read: number; accepted: number; updated: number; rejected: number; ratePerSec: number | null; etaSeconds: number | null };

export function renderProgress(p: Progress, width = 28): string {
  const fraction = p.bytes ? Math.min(1, p.bytesRead / p.bytes) : 0;
  const filled = Math.round(fraction * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const eta = p.etaSeconds === null ? '' : ` ETA ${p.etaSeconds}s`;
  return `${bar} ${(fraction * 100).toFixed(0).padStart(3)}%  ${p.read} rows  ${p.accepted} new  ${p.updated} updated  ${p.rejected} rejected  ${p.ratePerSec ?? 0}/s${eta}   `;
}
