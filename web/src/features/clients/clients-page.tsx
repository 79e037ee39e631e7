import { ComingSoon, PageHeader } from '../../ui/page.tsx';

export function ClientsPage() {
  return (
    <>
      <PageHeader title="Clients" description="Client search and KYC records arrive with the clients issue." />
      <ComingSoon
        icon="clients"
        planned={[
          'Exact search by client code, PAN, mobile or email',
          'KYC status and its history for each client',
          'Personal data masked by default; revealing a field needs a reason and is audited',
        ]}
      />
    </>
  );
}
