// The signed-in user, as React state. The ApiClient owns the tokens; this context only mirrors
// whether there is a session and why it ended, so pages and guards can react to it.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { ApiClient, Session, User } from './api-client.ts';

/** Why there is no session: never had one, the user signed out, or it expired mid-use. */
export type SignedOutReason = 'none' | 'signed-out' | 'expired';

export type SessionState =
  | { status: 'restoring' }
  | { status: 'unreachable' }
  | { status: 'anonymous'; reason: SignedOutReason }
  | { status: 'authenticated'; user: User };

type SessionContextValue = {
  state: SessionState;
  client: ApiClient;
  login(email: string, password: string): Promise<Session>;
  signOut(): Promise<void>;
  retryRestore(): void;
};

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'restoring' });
  const signingOut = useRef(false);
  const [restoreAttempt, setRestoreAttempt] = useState(0);

  useEffect(
    () =>
      client.onSessionChange((session) => {
        setState((previous) => {
          if (session !== null) return { status: 'authenticated', user: session.user };
          if (previous.status !== 'authenticated') return { status: 'anonymous', reason: 'none' };
          return { status: 'anonymous', reason: signingOut.current ? 'signed-out' : 'expired' };
        });
      }),
    [client],
  );

  useEffect(() => {
    let current = true;
    client.restore().catch(() => {
      if (current) setState({ status: 'unreachable' });
    });
    return () => {
      current = false;
    };
  }, [client, restoreAttempt]);

  const login = useCallback((email: string, password: string) => client.login(email, password), [client]);

  const signOut = useCallback(async () => {
    signingOut.current = true;
    try {
      await client.logout();
    } finally {
      signingOut.current = false;
    }
  }, [client]);

  const retryRestore = useCallback(() => {
    setState({ status: 'restoring' });
    setRestoreAttempt((n) => n + 1);
  }, []);

  const value = useMemo(
    () => ({ state, client, login, signOut, retryRestore }),
    [state, client, login, signOut, retryRestore],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (value === null) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

/** The signed-in user; only for components rendered behind <RequireAuth>. */
export function useUser(): User {
  const { state } = useSession();
  if (state.status !== 'authenticated') throw new Error('useUser needs a signed-in user');
  return state.user;
}
