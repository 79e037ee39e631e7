// Sign-in. Wrong credentials, rate limiting and an unreachable server each get their own message.
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router';
import { isApiError } from '../../app/api-client.ts';
import type { ReturnTo } from '../../app/guards.tsx';
import { useSession } from '../../app/session.tsx';
import { Icon, Logo } from '../../ui/icons.tsx';

export function LoginPage() {
  const { state, login } = useSession();
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    document.title = 'Sign in · Pravah';
  }, []);

  if (state.status === 'authenticated') {
    const from = (location.state as ReturnTo | null)?.from;
    const target = from !== undefined && from.pathname !== '/login' ? from : '/';
    return <Navigate to={target} replace />;
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    if (email === '' || password === '') {
      setError('Enter your email and password.');
      return;
    }
    setError(null);
    setSubmitting(true);
    try {
      await login(email, password);
      // The session change re-renders this page into a redirect.
    } catch (cause) {
      setError(describeLoginError(cause));
      setSubmitting(false);
    }
  }

  const expired = state.status === 'anonymous' && state.reason === 'expired';

  return (
    <div className="auth-page">
      <div className="auth-panel">
        <div className="auth-brand">
          <Logo size={36} />
          <div>
            <div className="brand-name">Pravah</div>
            <div className="brand-native" lang="hi">
              प्रवाह
            </div>
          </div>
        </div>
        <div className="auth-card">
          <h1>Sign in</h1>
          <p className="muted">Operations console for client data, events and notifications.</p>

          {expired && error === null && (
            <p className="notice" role="status">
              Your session has ended. Sign in again to continue.
            </p>
          )}
          {error !== null && (
            <p className="alert" role="alert">
              <Icon name="alert" size={16} />
              <span>{error}</span>
            </p>
          )}

          <form className="form" onSubmit={handleSubmit} noValidate>
            <div className="field">
              <label htmlFor="login-email">Email</label>
              <input
                id="login-email"
                name="email"
                type="email"
                autoComplete="username"
                autoFocus
                required
                aria-invalid={error !== null}
              />
            </div>
            <div className="field">
              <label htmlFor="login-password">Password</label>
              <input
                id="login-password"
                name="password"
                type="password"
                autoComplete="current-password"
                required
                aria-invalid={error !== null}
              />
            </div>
            <button type="submit" className="button button-primary button-block" disabled={submitting}>
              {submitting ? 'Signing in…' : 'Sign in'}
            </button>
          </form>
        </div>
        <p className="auth-footnote muted">Every sign-in is recorded in the audit log.</p>
      </div>
    </div>
  );
}

function describeLoginError(cause: unknown): string {
  if (!isApiError(cause)) return 'Something went wrong while signing in. Try again.';
  if (cause.status === 0) return 'Cannot reach the Pravah server. Check your connection and try again.';
  if (cause.status === 401) return 'Email or password is incorrect';
  if (cause.status === 429) {
    const seconds = cause.retryAfterSeconds;
    return seconds === undefined
      ? 'Too many attempts, try again in a little while'
      : `Too many attempts, try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  }
  return cause.message;
}
