import { ComingSoon, PageHeader } from '../../ui/page.tsx';

export function AdminPage() {
  return (
    <>
      <PageHeader title="Admin" description="Users, roles, API keys and the audit log arrive with the admin issue." />
      <ComingSoon
        icon="admin"
        planned={[
          'Users and their roles, with two-factor sign-in for privileged roles',
          'API keys with scopes for upstream systems',
          'The hash-chained audit log, searchable by user and action',
        ]}
      />
    </>
  );
}
