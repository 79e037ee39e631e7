// Route guards: send anonymous visitors to /login (remembering where they were going) and keep
// role-restricted pages to their roles.
import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import type { Role } from './api-client.ts';
import { useSession, useUser } from './session.tsx';
import { ForbiddenPage } from '../features/not-found/forbidden-page.tsx';

/** Where a redirected visitor was going; kept in history state so it never reaches the server. */
export type ReturnTo = { from?: { pathname: string; search: string; hash: string } };

export function RequireAuth() {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'authenticated') return <Outlet />;
  // An explicit sign-out starts over at the overview; an expired session returns to this page.
  const returnTo: ReturnTo =
    state.status === 'anonymous' && state.reason === 'signed-out'
      ? {}
      : { from: { pathname: location.pathname, search: location.search, hash: location.hash } };
  return <Navigate to="/login" replace state={returnTo} />;
}

export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const user = useUser();
  return roles.includes(user.role) ? children : <ForbiddenPage />;
}
