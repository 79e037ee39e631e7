// The authenticated frame: sidebar navigation, the top bar with the signed-in user, and the page.
import { useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import { Icon, Logo } from '../ui/icons.tsx';
import { canSee, roleLabels, sections } from './navigation.ts';
import { useSession, useUser } from './session.tsx';

export function AppShell() {
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar />
      <div className="shell-main">
        <TopBar />
        <main id="main" className="content" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}

function Sidebar() {
  const user = useUser();
  return (
    <aside className="sidebar">
      <div className="brand">
        <Logo />
        <div className="brand-text">
          <span className="brand-name">Pravah</span>
          <span className="brand-native" lang="hi">
            प्रवाह
          </span>
        </div>
      </div>
      <nav aria-label="Main" className="nav">
        <ul>
          {sections
            .filter((section) => canSee(section, user.role))
            .map((section) => (
              <li key={section.path}>
                <NavLink to={section.path} end={section.path === '/'} className="nav-link">
                  <Icon name={section.icon} />
                  <span>{section.label}</span>
                </NavLink>
              </li>
            ))}
        </ul>
      </nav>
      <p className="sidebar-footer">Client data &amp; notifications</p>
    </aside>
  );
}

function TopBar() {
  const user = useUser();
  const { signOut } = useSession();
  const [signingOut, setSigningOut] = useState(false);

  async function handleSignOut() {
    setSigningOut(true);
    try {
      await signOut();
    } finally {
      setSigningOut(false);
    }
  }

  return (
    <header className="topbar">
      <div className="user-menu" aria-label="Signed-in user">
        <span className="avatar" aria-hidden="true">
          {initialsOf(user.name || user.email)}
        </span>
        <span className="user-identity">
          <span className="user-email" data-testid="user-email">
            {user.email}
          </span>
          <span className="role-badge" data-role={user.role}>
            {roleLabels[user.role].label}
          </span>
        </span>
        <button type="button" className="button button-ghost" onClick={handleSignOut} disabled={signingOut}>
          <Icon name="sign-out" size={16} />
          <span>{signingOut ? 'Signing out…' : 'Sign out'}</span>
        </button>
      </div>
    </header>
  );
}

function initialsOf(nameOrEmail: string): string {
  const words = nameOrEmail.split(/[\s@._-]+/).filter((word) => word !== '');
  const initials = words.slice(0, 2).map((word) => word[0]?.toUpperCase() ?? '');
  return initials.join('') || '?';
}
