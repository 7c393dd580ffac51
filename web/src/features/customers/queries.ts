import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { get } from '../../shared/api/client';
import type { Account, Contact, Page } from '../../shared/api/types';

export function useContactPages(query: { q?: string; accountId?: string }) {
  return useInfiniteQuery({
    queryKey: ['contacts', 'list', query],
    queryFn: ({ pageParam, signal }) =>
      get<Page<Contact>>('/contacts', { ...query, limit: 25, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useAccountPages(query: { q?: string }) {
  return useInfiniteQuery({
    queryKey: ['accounts', 'list', query],
    queryFn: ({ pageParam, signal }) =>
      get<Page<Account>>('/accounts', { ...query, limit: 25, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useContact(id: string) {
  return useQuery({ queryKey: ['contact', id], queryFn: () => get<Contact>(`/contacts/${id}`) });
}

export function useAccount(id: string) {
  return useQuery({ queryKey: ['account', id], queryFn: () => get<Account>(`/accounts/${id}`) });
}
