import { useQuery } from '@tanstack/react-query';
import { API_BASE, get } from '../../shared/api/client';
import type { AccountOverviewT, ContactTaskT, KeyAccountListT, KeyAccountNotificationT, RevenueImportReportT, SalesMeetingNoteT, SuppliesRequestT } from '@caredesk/contracts';

export interface MyKeyAccount {
  id: string;
  name: string;
  countryCode: string | null;
  rank: number | null;
  openTickets: number;
}

export const useAccountOverview = (id: string) =>
  useQuery({ queryKey: ['account', id, 'overview'], queryFn: () => get<AccountOverviewT>(`/accounts/${id}/overview`) });
export const useMyKeyAccounts = () =>
  useQuery({ queryKey: ['key-accounts', 'mine'], queryFn: () => get<{ items: MyKeyAccount[] }>('/key-accounts/mine') });
export const useKeyAccounts = (month?: string) =>
  useQuery({ queryKey: ['key-accounts', 'list', month ?? null], queryFn: () => get<KeyAccountListT>('/key-accounts', { month }) });
export const useKeyAccountNotifications = () =>
  useQuery({ queryKey: ['key-accounts', 'notifications'], queryFn: () => get<{ items: KeyAccountNotificationT[] }>('/key-accounts/notifications') });

/**
 * Uploads Finance's CSV with XMLHttpRequest rather than fetch, because only XHR reports upload
 * progress; the server's answer (the import report) comes back the same way as from `api()`.
 */
export function uploadRevenue(file: File, createUnknown: boolean, onProgress: (fraction: number) => void): Promise<RevenueImportReportT> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('createUnknown', String(createUnknown));
    form.append('file', file);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${API_BASE}/revenue/imports`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as RevenueImportReportT);
      else reject(Object.assign(new Error((body as { detail?: string } | null)?.detail ?? `HTTP ${xhr.status}`), { problem: body, status: xhr.status }));
    };
    xhr.onerror = () => reject(new Error('network_error'));
    xhr.send(form);
  });
}

export const useContactTasks = (scope: 'mine' | 'overdue', enabled = true) =>
  useQuery({
    queryKey: ['contact-tasks', scope],
    queryFn: () => get<{ items: ContactTaskT[] }>('/contact-tasks', { scope, ...(scope === 'mine' ? { status: 'open' } : {}) }),
    enabled,
  });
export const useAccountCare = (accountId: string) =>
  useQuery({
    queryKey: ['account', accountId, 'care'],
    queryFn: async () => {
      const [tasks, supplies, notes] = await Promise.all([
        get<{ items: ContactTaskT[] }>(`/accounts/${accountId}/contact-tasks`),
        get<{ items: SuppliesRequestT[] }>(`/accounts/${accountId}/supplies`),
        get<{ items: SalesMeetingNoteT[] }>(`/accounts/${accountId}/sales-notes`),
      ]);
      return { tasks: tasks.items, supplies: supplies.items, notes: notes.items };
    },
  });
