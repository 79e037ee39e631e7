// Building blocks every page shares: the header, cards, and the empty state of an unbuilt area.
import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { Icon } from './icons.tsx';
import type { IconName } from './icons.tsx';

/** The page's h1 and summary; it also names the browser tab after the page. */
export function PageHeader({ title, description, actions }: { title: string; description?: string; actions?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Pravah`;
  }, [title]);
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {description !== undefined && <p className="muted">{description}</p>}
      </div>
      {actions !== undefined && <div className="page-actions">{actions}</div>}
    </header>
  );
}

export function Card({ title, actions, children }: { title?: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="card">
      {(title !== undefined || actions !== undefined) && (
        <div className="card-header">
          {title !== undefined && <h2>{title}</h2>}
          {actions}
        </div>
      )}
      <div className="card-body">{children}</div>
    </section>
  );
}

/** The body of a page whose feature has not been built yet: what it will hold, plainly listed. */
export function ComingSoon({ icon, planned }: { icon: IconName; planned: readonly string[] }) {
  return (
    <section className="empty-state" aria-label="Planned for this page">
      <span className="empty-state-icon">
        <Icon name={icon} size={22} />
      </span>
      <div>
        <h2>Not built yet</h2>
        <ul className="planned-list">
          {planned.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </div>
    </section>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <span className="spinner" role="status">
      <span className="spinner-ring" aria-hidden="true" />
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
