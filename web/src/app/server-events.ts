// Server-Sent Events through the API client. EventSource cannot send the Authorization header, so
// streams are read with fetch and the event-stream format is parsed here, reconnecting with backoff.
import type { ApiClient } from './api-client.ts';

export type ServerSentEvent = { event: string; data: string; id: string | undefined };

/**
 * An incremental parser for the text/event-stream format: feed it decoded chunks in any split and it
 * calls `onEvent` once per complete event. Comments (`: keep-alive`) and `retry:` lines are ignored.
 */
export function createSseParser(onEvent: (event: ServerSentEvent) => void): { push(chunk: string): void } {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;

  function dispatch(): void {
    if (data.length > 0) onEvent({ event: event || 'message', data: data.join('\n'), id });
    event = '';
    data = [];
  }

  function line(text: string): void {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }

  return {
    push(chunk) {
      buffer += chunk;
      // A CR at the very end may be the first half of a CRLF: keep it for the next chunk.
      const pattern = /\r\n|\r(?!$)|\n/g;
      let start = 0;
      for (let match = pattern.exec(buffer); match !== null; match = pattern.exec(buffer)) {
        line(buffer.slice(start, match.index));
        start = match.index + match[0].length;
      }
      buffer = buffer.slice(start);
    },
  };
}

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

const SECOND = 1000;
const MAX_BACKOFF = 30 * SECOND;

/** 0.5 s, 1 s, 2 s … capped at 30 s, each with up to 30 % jitter so a restarted server is not stampeded. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_BACKOFF, 500 * 2 ** attempt);
  return Math.round(base * (1 + 0.3 * random()));
}

function waitFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/**
 * Keeps an event stream open until `signal` aborts: every dropped or refused connection is retried
 * with {@link backoffDelay}, and the backoff starts over once a connection has delivered an event.
 * `onEvent` may throw on a malformed event: one bad event does not end the stream.
 */
export async function followServerEvents(
  client: ApiClient,
  path: string,
  signal: AbortSignal,
  handlers: { onEvent(event: ServerSentEvent): void; onStatus(status: StreamStatus): void },
): Promise<void> {
  let attempt = 0;
  handlers.onStatus('connecting');
  while (!signal.aborted) {
    try {
      const response = await client.requestResponse(path, { signal, accept: 'text/event-stream' });
      if (response.body === null) throw new Error('the event stream has no body');
      handlers.onStatus('live');
      const parser = createSseParser((message) => {
        try {
          handlers.onEvent(message);
          attempt = 0;
        } catch {
          // One malformed event must not end the stream.
        }
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.push(value);
      }
    } catch {
      // A refused or dropped connection: fall through to the backoff and try again.
    }
    if (signal.aborted) return;
    handlers.onStatus('reconnecting');
    await waitFor(backoffDelay(attempt), signal);
    attempt += 1;
  }
}
