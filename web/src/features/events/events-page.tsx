import { ComingSoon, PageHeader } from '../../ui/page.tsx';

export function EventsPage() {
  return (
    <>
      <PageHeader title="Events" description="The triggered-event stream arrives with the events issue." />
      <ComingSoon
        icon="events"
        planned={[
          'Events as they arrive from the API, the stream and the scheduler',
          'Processing status per event, with the notifications it planned',
          'Dead-lettered events, with replay',
        ]}
      />
    </>
  );
}
