import { Link, useLocation } from 'react-router';
import { PageHeader } from '../../ui/page.tsx';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <>
      <PageHeader title="Page not found" description={`Nothing lives at ${pathname}.`} />
      <Link className="button button-secondary" to="/">
        Back to overview
      </Link>
    </>
  );
}
