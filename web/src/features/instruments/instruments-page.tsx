import { ComingSoon, PageHeader } from '../../ui/page.tsx';

export function InstrumentsPage() {
  return (
    <>
      <PageHeader title="Instruments" description="Instrument search arrives with the instrument-search issue." />
      <ComingSoon
        icon="instruments"
        planned={[
          'Search across about 20,000 instruments as you type',
          'Filters by exchange, segment and expiry',
          'Imports from the instrument workbook and the public CSV formats',
        ]}
      />
    </>
  );
}
