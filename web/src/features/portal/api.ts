// The portal's own API client: the customer's session cookie (not the agent's), answers in the
// language the customer chose, and problem+json turned into the shared ApiError.
import type { PortalCategoryT, PortalMeT, PortalTicketSummaryT, PortalTicketT } from '@caredesk/contracts';
import { ApiError, type Problem } from '../../shared/api/client';
import i18n from '../../shared/i18n';

export type PortalMe = PortalMeT;
export type PortalTicket = PortalTicketT;
export type PortalTicketSummary = PortalTicketSummaryT;
export type PortalCategory = PortalCategoryT;
export interface Uploaded {
  id: string;
  filename: string;
  size: number;
  url: string;
}

const BASE = '/api/v1/portal';

let onUnauthorized: () => void = () => {};
export const setPortalUnauthorizedHandler = (f: () => void) => {
  onUnauthorized = f;
};

export async function portalApi<T>(path: string, opts: { method?: string; body?: unknown; quiet401?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': i18n.language === 'ar' ? 'ar' : 'en' };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(BASE + path, { method: opts.method ?? 'GET', credentials: 'same-origin', headers, body });
  } catch {
    throw new ApiError({ status: 0, code: 'network_error', detail: '' });
  }
  if (!res.ok) {
    let problem: Problem = { status: res.status };
    try {
      problem = { ...(await res.json()), status: res.status };
    } catch {
      // not JSON
    }
    if (res.status === 401 && !opts.quiet401) onUnauthorized();
    throw new ApiError(problem);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const portalGet = <T>(path: string) => portalApi<T>(path);
export const portalPost = <T>(path: string, body?: unknown) => portalApi<T>(path, { method: 'POST', body: body ?? {} });

export function uploadFile(file: File) {
  const form = new FormData();
  form.append('file', file);
  return portalApi<Uploaded>('/attachments', { method: 'POST', body: form });
}
