import { ComingSoon, PageHeader } from '../../ui/page.tsx';

export function IngestionPage() {
  return (
    <>
      <PageHeader title="Ingestion" description="KYC file uploads and ingestion jobs arrive with the ingestion issue." />
      <ComingSoon
        icon="ingestion"
        planned={[
          'Upload CSV, XLSX or JSONL files of KYC and back-office records',
          'Live progress of each job: rows read, accepted and rejected',
          'A rejects report for every bad row, with the field and the reason',
        ]}
      />
    </>
  );
}
