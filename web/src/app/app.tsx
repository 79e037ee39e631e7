// The route table. Everything but /login sits behind RequireAuth inside the AppShell.
import { BrowserRouter, Route, Routes } from 'react-router';
import type { ApiClient } from './api-client.ts';
import { AppShell } from './app-shell.tsx';
import { RequireAuth, RequireRole } from './guards.tsx';
import { SessionProvider, useSession } from './session.tsx';
import { AdminPage } from '../features/admin/admin-page.tsx';
import { ClientDetailPage } from '../features/clients/client-detail-page.tsx';
import { ClientsPage } from '../features/clients/clients-page.tsx';
import { EventsPage } from '../features/events/events-page.tsx';
import { IngestionPage } from '../features/ingestion/ingestion-page.tsx';
import { InstrumentsPage } from '../features/instruments/instruments-page.tsx';
import { LoginPage } from '../features/login/login-page.tsx';
import { NotFoundPage } from '../features/not-found/not-found-page.tsx';
import { NotificationsPage } from '../features/notifications/notifications-page.tsx';
import { OverviewPage } from '../features/overview/overview-page.tsx';
import { TemplatesPage } from '../features/templates/templates-page.tsx';
import { Icon, Logo } from '../ui/icons.tsx';
import { Spinner } from '../ui/page.tsx';

export function App({ client }: { client: ApiClient }) {
  return (
    <SessionProvider client={client}>
      <BrowserRouter>
        <SessionGate />
      </BrowserRouter>
    </SessionProvider>
  );
}

/** Holds the routes back until the page load has found out whether a session exists. */
function SessionGate() {
  const { state, retryRestore } = useSession();
  if (state.status === 'restoring') {
    return (
      <div className="splash">
        <Logo size={40} />
        <Spinner label="Loading Pravah" />
      </div>
    );
  }
  if (state.status === 'unreachable') {
    return (
      <div className="splash">
        <Logo size={40} />
        <p className="alert" role="alert">
          <Icon name="alert" size={16} />
          <span>Cannot reach the Pravah server. Check your connection and try again.</span>
        </p>
        <button type="button" className="button button-secondary" onClick={retryRestore}>
          Try again
        </button>
      </div>
    );
  }
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<RequireAuth />}>
        <Route element={<AppShell />}>
          <Route index element={<OverviewPage />} />
          <Route path="clients" element={<ClientsPage />} />
          <Route path="clients/:code" element={<ClientDetailPage />} />
          <Route path="ingestion" element={<IngestionPage />} />
          <Route path="events" element={<EventsPage />} />
          <Route path="notifications" element={<NotificationsPage />} />
          <Route path="instruments" element={<InstrumentsPage />} />
          <Route path="templates" element={<TemplatesPage />} />
          <Route
            path="admin"
            element={
              <RequireRole roles={['admin']}>
                <AdminPage />
              </RequireRole>
            }
          />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  );
}
