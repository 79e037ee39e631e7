import { ComingSoon, PageHeader } from '../../ui/page.tsx';

export function NotificationsPage() {
  return (
    <>
      <PageHeader title="Notifications" description="The notification ledger and message timelines arrive with the notifications issue." />
      <ComingSoon
        icon="notifications"
        planned={[
          'Every SMS, WhatsApp and push message with its delivery state',
          'A timeline per message: retries, provider failover and delivery receipts',
          'The sandbox inbox of messages sent in embedded mode',
        ]}
      />
    </>
  );
}
