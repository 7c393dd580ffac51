import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../shared/api/client';
import type { InboundEmail, InboundStatus, Mailbox, OutboundEmail, Page } from '../../shared/api/types';
import { notifyError, notifySuccess } from '../../shared/ui/errors';

export const MAILBOXES_KEY = ['mailboxes'] as const;
export const EMAIL_KEY = ['email'] as const;

export function useMailboxes() {
  return useQuery({
    queryKey: MAILBOXES_KEY,
    queryFn: () => get<{ items: Mailbox[] }>('/mailboxes'),
    select: (d) => d.items,
    // The counters (pending, quarantined, outbox) move while the page is open.
    refetchInterval: 30_000,
  });
}

export function useInbound(status: InboundStatus) {
  return useInfiniteQuery({
    queryKey: [...EMAIL_KEY, 'inbound', status],
    queryFn: ({ pageParam, signal }) => get<Page<InboundEmail>>('/email/inbound', { status, limit: 50, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Outgoing mail that has not left: failed, bounced, waiting for a relay, queued. */
export function useOutbound() {
  return useInfiniteQuery({
    queryKey: [...EMAIL_KEY, 'outbound'],
    queryFn: ({ pageParam, signal }) =>
      get<Page<OutboundEmail>>('/email/outbound', { status: 'failed,bounced,no_relay,queued', limit: 50, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/**
 * A POST that acts on one email record (retry, make a ticket, poll now): shows `done` when it
 * succeeds and refreshes the email lists and the mailbox counters.
 */
export function useEmailAction<R>(path: (id: string) => string, done: string | ((r: R) => string)) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => post<R>(path(id)),
    onSuccess: (r) => {
      notifySuccess(typeof done === 'function' ? done(r) : done);
      void qc.invalidateQueries({ queryKey: EMAIL_KEY });
      void qc.invalidateQueries({ queryKey: MAILBOXES_KEY });
    },
    onError: (e) => notifyError(e, t),
  });
}
