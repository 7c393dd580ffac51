import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ArchivedReportSummaryT, ReportRecipientT, ReportRecipientsT, ScheduledReportData, ScheduledReportKind } from '@caredesk/contracts';
import { api, get, post, withQuery, API_BASE, ApiError } from '../../../shared/api/client';

export type ArchivedReport = ArchivedReportSummaryT & { data: ScheduledReportData };

export function useArchive(kind: ScheduledReportKind | null) {
  return useQuery({
    queryKey: ['reports', 'archive', kind],
    queryFn: () => get<{ items: ArchivedReportSummaryT[]; nextCursor: string | null }>('/reports/archive', { kind: kind ?? undefined, limit: 100 }),
  });
}

export function useArchivedReport(id: string) {
  return useQuery({ queryKey: ['reports', 'archive', 'one', id], queryFn: () => get<ArchivedReport>(`/reports/archive/${id}`) });
}

export function useGenerate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { kind: ScheduledReportKind; period?: string; replace?: boolean }) => post<{ created: boolean; report: ArchivedReportSummaryT }>('/reports/archive', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['reports', 'archive'] }),
  });
}

export function useRecipients(enabled: boolean) {
  return useQuery({ queryKey: ['reports', 'recipients'], queryFn: () => get<ReportRecipientsT>('/reports/recipients'), enabled });
}

export function useSaveRecipients() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { kind: ScheduledReportKind; recipients: ReportRecipientT[] }) =>
      api<ReportRecipientsT>(`/reports/recipients/${v.kind}`, { method: 'PUT', body: { recipients: v.recipients } }),
    onSuccess: (data) => qc.setQueryData(['reports', 'recipients'], data),
  });
}

export const archiveCsvUrl = (id: string, lang: string) => withQuery(`${API_BASE}/reports/archive/${id}/export.csv`, { lang });

/**
 * Fetches the PDF and hands it to the browser as a download; an error (503 without Chromium)
 * comes back as an ApiError for the page to show instead of a raw JSON tab.
 */
export async function downloadPdf(id: string, lang: string, filename: string) {
  const res = await fetch(withQuery(`${API_BASE}/reports/archive/${id}/report.pdf`, { lang }), { credentials: 'include' });
  if (!res.ok) {
    let problem: { code?: string; detail?: string; message?: string } = {};
    try {
      problem = await res.json();
    } catch {
      /* not JSON */
    }
    throw new ApiError({ status: res.status, code: problem.code ?? 'error', detail: problem.detail ?? problem.message ?? '' });
  }
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
