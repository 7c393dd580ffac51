import { keepPreviousData, useQuery, type QueryClient } from '@tanstack/react-query';
import type { KpiSummaryT, LiveDashboardT, ReportDimension, ReportMetric, ReportSeriesT, DrillTicketT } from '@caredesk/contracts';
import { get, withQuery, API_BASE, type Query } from '../../shared/api/client';

export interface ReportFilters {
  from?: string;
  to?: string;
  groupId?: string;
  agentId?: string;
  accountId?: string;
  channel?: string;
  categoryId?: string;
}
export const FILTER_KEYS = ['from', 'to', 'groupId', 'agentId', 'accountId', 'channel', 'categoryId'] as const;

export const LIVE_KEY = ['reports', 'live'] as const;

/**
 * The live dashboard polls every `refreshSeconds` (15 s). REALTIME HOOK: when the WebSocket layer
 * lands, subscribe to ticket and SLA events where the app sets up its socket and call
 * `refreshLiveDashboard(queryClient)` on each; then `refetchInterval` can go to a slow safety net.
 */
export function useLiveDashboard() {
  return useQuery({
    queryKey: LIVE_KEY,
    queryFn: () => get<LiveDashboardT>('/reports/live'),
    refetchInterval: (q) => (q.state.data?.refreshSeconds ?? 15) * 1000,
    refetchIntervalInBackground: false,
  });
}

export function refreshLiveDashboard(qc: QueryClient) {
  return qc.invalidateQueries({ queryKey: LIVE_KEY });
}

export function useKpis(filters: ReportFilters) {
  return useQuery({
    queryKey: ['reports', 'kpis', filters],
    queryFn: () => get<KpiSummaryT>('/reports/kpis', filters as Query),
    placeholderData: keepPreviousData,
  });
}

export function useSeries(metric: ReportMetric, filters: ReportFilters, by?: ReportDimension) {
  return useQuery({
    queryKey: ['reports', 'series', metric, filters, by],
    queryFn: () => get<ReportSeriesT>(`/reports/metrics/${metric}`, { ...filters, by } as Query),
    placeholderData: keepPreviousData,
  });
}

export function useDrill(metric: ReportMetric, filters: ReportFilters, by: ReportDimension | undefined, key: string | null) {
  return useQuery({
    queryKey: ['reports', 'drill', metric, filters, by, key],
    queryFn: () => get<{ items: DrillTicketT[]; nextCursor: string | null }>(`/reports/metrics/${metric}/tickets`, { ...filters, by, key: key ?? undefined, limit: 200 } as Query),
    enabled: key !== null,
  });
}

export function csvUrl(metric: ReportMetric, filters: ReportFilters, extra: Query) {
  return withQuery(`${API_BASE}/reports/metrics/${metric}/export.csv`, { ...filters, ...extra } as Query);
}
