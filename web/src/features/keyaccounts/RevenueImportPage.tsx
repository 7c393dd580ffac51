import { useState, type ReactNode } from 'react';
import { Alert, Button, Checkbox, FileInput, Group, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { RevenueImportReportT } from '@caredesk/contracts';
import { uploadRevenue } from './queries';

interface UploadProblem {
  problem?: { detail?: string; errors?: { message: string }[] };
  message: string;
}

export default function RevenueImportPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [createUnknown, setCreateUnknown] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [report, setReport] = useState<RevenueImportReportT | null>(null);
  const [error, setError] = useState<string | null>(null);

  const start = async () => {
    if (!file) return;
    setReport(null);
    setError(null);
    setProgress(0);
    try {
      const r = await uploadRevenue(file, createUnknown, (f) => setProgress(Math.round(f * 95)));
      setProgress(100);
      setReport(r);
      void qc.invalidateQueries({ queryKey: ['key-accounts'] });
    } catch (e) {
      const p = e as UploadProblem;
      setProgress(null);
      setError([p.problem?.detail, ...(p.problem?.errors?.map((x) => x.message) ?? [])].filter(Boolean).join(' ') || t('revenue.failed'));
    }
  };

  return (
    <Stack maw={900}>
      <Title order={2}>{t('revenue.title')}</Title>
      <Text c="dimmed" size="sm">
        {t('revenue.help')}
      </Text>
      <Paper withBorder p="md" radius="md">
        <Stack>
          <FileInput label={t('revenue.file')} accept=".csv,text/csv" value={file} onChange={setFile} data-testid="revenue-file" clearable />
          <Checkbox label={t('revenue.createUnknown')} checked={createUnknown} onChange={(e) => setCreateUnknown(e.currentTarget.checked)} />
          <Group>
            <Button onClick={start} disabled={!file || (progress !== null && progress < 100 && !report && !error)}>
              {t('revenue.upload')}
            </Button>
          </Group>
          {progress !== null && <Progress value={progress} animated={progress < 100} aria-label={t('revenue.progress')} data-testid="revenue-progress" />}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
        </Stack>
      </Paper>
      {report && (
        <Paper withBorder p="md" radius="md" data-testid="revenue-report">
          <Stack gap="xs">
            <Text fw={600}>{t('revenue.reportTitle', { filename: report.filename })}</Text>
            <Text size="sm">{t('revenue.summary', { imported: report.imported, rows: report.rows, rejected: report.rejected, created: report.createdAccounts })}</Text>
            <Text size="sm">
              {t('revenue.months')}: <span className="cd-ltr">{report.months.join(', ') || '—'}</span>
            </Text>
            {report.rejections.length > 0 && (
              <Table.ScrollContainer minWidth={400}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('revenue.row')}</Table.Th>
                      <Table.Th>{t('revenue.reason')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {report.rejections.slice(0, 500).map((r) => (
                      <Table.Tr key={r.row}>
                        <Table.Td>{r.row}</Table.Td>
                        <Table.Td data-testid="revenue-rejection">{rejectionText(r, t)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}

/** A refused row in the reader's language; a report stored before rows had codes keeps its English reason. */
function rejectionText(r: RevenueImportReportT['rejections'][number], t: TFunction): ReactNode {
  if (!r.code) return <span className="cd-ltr">{r.reason}</span>;
  const key = r.code === 'unknown_account' ? (r.params?.externalId ? 'unknown_account_id' : 'unknown_account_name') : r.code;
  return t(`revenue.rejection.${key}`, { ...(r.params ?? {}) });
}
