// Matched spans from the search answer, drawn as <mark> inside the text they index.
import type { ReactNode } from 'react';
import type { MatchSpan, MatchedField, SearchHit } from './instruments-api.ts';

/** The spans for one field (and one alias), clamped to the text, sorted and merged where they touch. */
export function spansFor(matched: readonly MatchSpan[], field: MatchedField, length: number, index?: number): Array<[number, number]> {
  const ranges = matched
    .filter((span) => span.field === field && (index === undefined || span.index === index))
    .map((span): [number, number] => [Math.max(0, span.start), Math.min(length, span.end)])
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last !== undefined && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

export function Highlighted({ text, spans }: { text: string; spans: ReadonlyArray<[number, number]> }): ReactNode {
  if (spans.length === 0) return text;
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of spans) {
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

/** A match the symbol and name columns do not show: ISIN, exchange token, an alias, or a derivative's underlying. */
export function OtherMatch({ hit }: { hit: SearchHit }) {
  const { instrument, matched } = hit;
  if (matched.some((span) => span.field === 'symbol' || span.field === 'name')) return null;
  const isin = instrument.isin;
  if (isin !== null && matched.some((span) => span.field === 'isin')) {
    return (
      <span className="result-match">
        ISIN <Highlighted text={isin} spans={spansFor(matched, 'isin', isin.length)} />
      </span>
    );
  }
  const token = instrument.token;
  if (token !== null && matched.some((span) => span.field === 'token')) {
    return (
      <span className="result-match">
        token <Highlighted text={token} spans={spansFor(matched, 'token', token.length)} />
      </span>
    );
  }
  const alias = matched.find((span) => span.field === 'aliases' && span.index !== undefined);
  const aliasText = alias?.index === undefined ? undefined : instrument.aliases[alias.index];
  if (alias !== undefined && aliasText !== undefined) {
    return (
      <span className="result-match">
        also <Highlighted text={aliasText} spans={spansFor(matched, 'aliases', aliasText.length, alias.index)} />
      </span>
    );
  }
  const underlying = instrument.underlying;
  if (underlying !== null && matched.some((span) => span.field === 'underlying')) {
    return (
      <span className="result-match">
        on <Highlighted text={underlying} spans={spansFor(matched, 'underlying', underlying.length)} />
      </span>
    );
  }
  return null;
}
