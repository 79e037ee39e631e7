import { ComingSoon, PageHeader } from '../../ui/page.tsx';

export function TemplatesPage() {
  return (
    <>
      <PageHeader title="Templates" description="Message templates arrive with the templates issue." />
      <ComingSoon
        icon="templates"
        planned={[
          'One template per event type and channel, with its variables',
          'A preview rendered with sample data',
          'DLT template ids for SMS and approved WhatsApp templates',
        ]}
      />
    </>
  );
}
