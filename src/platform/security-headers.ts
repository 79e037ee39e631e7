// Security headers (helmet's), computed once. @fastify/helmet called `helmet(options)` on every
// request, which validated and assembled the whole policy again each time (5% of what a search
// request allocated); our options hold no per-request values (no nonces, no functions), so the
// headers are the same for every response and are worked out here at start.
import helmet, { type HelmetOptions } from 'helmet';

/** The headers helmet sets for `options`, as [lower-case name, value] pairs, in helmet's order. */
export function computeSecurityHeaders(options: HelmetOptions): Array<[string, string]> {
  const headers = new Map<string, string>();
  const response = {
    setHeader(name: string, value: string | number) {
      headers.set(name.toLowerCase(), String(value));
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase()); // X-Powered-By: Fastify never sets it
    },
  };
  let failure: unknown;
  helmet(options)({} as never, response as never, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return [...headers];
}
