// The browser's only way to the Pravah API. It keeps the access token in memory (never in storage),
// restores and renews sessions through the httpOnly refresh cookie, and turns every failure into an
// ApiError carrying the server's `{ error: { code, message, requestId } }` body.

export type Role = 'admin' | 'ops' | 'compliance' | 'viewer';

export type User = {
  id: string;
  email: string;
  role: Role;
  name: string;
};

export type Session = {
  accessToken: string;
  expiresIn: number;
  user: User;
};

/** A failed call: `status` 0 means the server could not be reached at all. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly details: unknown;
  /** Seconds from a `Retry-After` header, when the server sent one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    requestId?: string | undefined;
    details?: unknown;
    retryAfterSeconds?: number | undefined;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.details = init.details;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

export type RequestOptions = {
  method?: string;
  /** Sent as JSON, except FormData, which goes as multipart/form-data. */
  body?: unknown;
  signal?: AbortSignal;
  /** The Accept header; JSON unless a stream or a download asks for something else. */
  accept?: string;
};

export type ApiClient = {
  /** Calls the API with the current access token; on 401 it refreshes once and retries once. */
  request<T>(path: string, options?: RequestOptions): Promise<T>;
  /**
   * Like `request`, but hands back the successful Response unread: for event streams and file
   * downloads, which need the Authorization header that EventSource and plain links cannot send.
   */
  requestResponse(path: string, options?: RequestOptions): Promise<Response>;
  login(email: string, password: string): Promise<Session>;
  /** Restores a session from the refresh cookie; resolves null when there is none. */
  restore(): Promise<Session | null>;
  logout(): Promise<void>;
  /** Called whenever the session starts, renews or ends (null). */
  onSessionChange(listener: (session: Session | null) => void): () => void;
};

type Fetch = typeof fetch;

export function createApiClient(fetchImpl: Fetch = (input, init) => fetch(input, init)): ApiClient {
  let session: Session | null = null;
  let refreshing: Promise<Session | null> | null = null;
  const listeners = new Set<(session: Session | null) => void>();

  function setSession(next: Session | null): void {
    session = next;
    for (const listener of listeners) listener(next);
  }

  async function send(path: string, options: RequestOptions, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { Accept: options.accept ?? 'application/json' };
    const { body } = options;
    // The browser sets multipart/form-data itself, with the boundary.
    if (body !== undefined && !(body instanceof FormData)) headers['Content-Type'] = 'application/json';
    if (token !== null) headers['Authorization'] = `Bearer ${token}`;
    try {
      return await fetchImpl(path, {
        method: options.method ?? 'GET',
        headers,
        body: body === undefined ? null : body instanceof FormData ? body : JSON.stringify(body),
        credentials: 'same-origin',
        signal: options.signal ?? null,
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw new ApiError({
        status: 0,
        code: 'NETWORK_ERROR',
        message: 'Cannot reach the Pravah server. Check your connection and try again.',
      });
    }
  }

  // Refresh tokens rotate, so two concurrent refreshes would spend the same token twice:
  // every caller shares the one in flight.
  function refresh(): Promise<Session | null> {
    refreshing ??= (async () => {
      try {
        const response = await send('/api/auth/refresh', { method: 'POST', body: {} }, null);
        if (!response.ok) {
          setSession(null);
          return null;
        }
        const next = parseSession(await response.json());
        setSession(next);
        return next;
      } catch (error) {
        if (isApiError(error) && error.status === 0) throw error;
        setSession(null);
        return null;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  async function requestResponse(path: string, options: RequestOptions = {}): Promise<Response> {
    let response = await send(path, options, session?.accessToken ?? null);
    if (response.status === 401) {
      const renewed = await refresh();
      if (renewed === null) throw await toApiError(response);
      response = await send(path, options, renewed.accessToken);
    }
    if (!response.ok) throw await toApiError(response);
    return response;
  }

  async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const response = await requestResponse(path, options);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  async function login(email: string, password: string): Promise<Session> {
    const response = await send('/api/auth/login', { method: 'POST', body: { email, password } }, null);
    if (!response.ok) throw await toApiError(response);
    const next = parseSession(await response.json());
    setSession(next);
    return next;
  }

  async function logout(): Promise<void> {
    const token = session?.accessToken ?? null;
    try {
      if (token !== null) await send('/api/auth/logout', { method: 'POST', body: {} }, token);
    } catch {
      // Signing out locally must succeed even when the server is unreachable.
    } finally {
      setSession(null);
    }
  }

  return {
    request,
    requestResponse,
    login,
    restore: refresh,
    logout,
    onSessionChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function parseSession(body: unknown): Session {
  const value = body as Partial<{ accessToken: string; expiresIn: number; user: User }>;
  if (typeof value.accessToken !== 'string' || typeof value.user?.email !== 'string') {
    throw new ApiError({ status: 500, code: 'BAD_RESPONSE', message: 'The server sent an unexpected answer.' });
  }
  return { accessToken: value.accessToken, expiresIn: value.expiresIn ?? 0, user: value.user };
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // A proxy or a crash may answer without the JSON error envelope.
  }
  const error = (body as { error?: Partial<Record<'code' | 'message' | 'requestId', string>> & { details?: unknown } } | null)
    ?.error;
  return new ApiError({
    status: response.status,
    code: error?.code ?? `HTTP_${response.status}`,
    message: error?.message ?? `The server answered ${response.status} ${response.statusText}`.trim(),
    requestId: error?.requestId,
    details: error?.details,
    retryAfterSeconds: parseRetryAfter(response.headers.get('Retry-After')),
  });
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
