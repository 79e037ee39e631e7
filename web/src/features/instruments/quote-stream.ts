// Live quotes over server-sent events (the stream plumbing lives in app/server-events.ts).
import { useEffect, useState } from 'react';
import type { ApiClient } from '../../app/api-client.ts';
import { followServerEvents } from '../../app/server-events.ts';
import type { StreamStatus } from '../../app/server-events.ts';
import { useSession } from '../../app/session.tsx';
import { quoteStreamPath } from './instruments-api.ts';
import type { Quote } from './instruments-api.ts';

export type { StreamStatus } from '../../app/server-events.ts';

/** Keeps a quote stream open until `signal` aborts, reconnecting with backoff. */
export function streamQuotes(
  client: ApiClient,
  ids: readonly string[],
  signal: AbortSignal,
  handlers: { onQuote(quote: Quote): void; onStatus(status: StreamStatus): void },
): Promise<void> {
  return followServerEvents(client, quoteStreamPath(ids), signal, {
    onEvent: (message) => {
      if (message.event === 'quote') handlers.onQuote(JSON.parse(message.data) as Quote);
    },
    onStatus: handlers.onStatus,
  });
}

/** The latest streamed quote for one instrument (undefined until the first arrives) and the link state. */
export function useLiveQuote(id: string | null): { quote: Quote | undefined; status: StreamStatus } {
  const { client } = useSession();
  const [state, setState] = useState<{ id: string | null; quote: Quote | undefined; status: StreamStatus }>({
    id,
    quote: undefined,
    status: 'connecting',
  });

  useEffect(() => {
    if (id === null) return;
    const controller = new AbortController();
    setState({ id, quote: undefined, status: 'connecting' });
    void streamQuotes(client, [id], controller.signal, {
      onQuote: (quote) => {
        if (quote.instrumentId === id) setState((previous) => ({ ...previous, quote }));
      },
      onStatus: (status) => setState((previous) => (previous.status === status ? previous : { ...previous, status })),
    });
    return () => controller.abort();
  }, [client, id]);

  // Between a change of instrument and the effect above, the old instrument's quote must not show.
  return state.id === id ? { quote: state.quote, status: state.status } : { quote: undefined, status: 'connecting' };
}
