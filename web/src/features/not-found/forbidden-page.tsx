import { Link } from 'react-router';
import { PageHeader } from '../../ui/page.tsx';

export function ForbiddenPage() {
  return (
    <>
      <PageHeader title="No access" description="Your role does not include this page. Ask an administrator if you need it." />
      <Link className="button button-secondary" to="/">
        Back to overview
      </Link>
    </>
  );
}
