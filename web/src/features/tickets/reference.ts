import { useQuery } from '@tanstack/react-query';
import { get } from '../../shared/api/client';
import type { Category, ReasonCode } from '../../shared/api/types';

export const CATEGORIES_KEY = ['categories'] as const;
export const REASON_CODES_KEY = ['reason-codes'] as const;

export function useCategories(includeInactive = false) {
  return useQuery({
    queryKey: [...CATEGORIES_KEY, { includeInactive }],
    queryFn: () => get<{ items: Category[] }>('/categories', includeInactive ? { includeInactive: true } : undefined),
    select: (d) => d.items,
    staleTime: 5 * 60_000,
  });
}

export function useReasonCodes(includeInactive = false) {
  return useQuery({
    queryKey: [...REASON_CODES_KEY, { includeInactive }],
    queryFn: () => get<{ items: ReasonCode[] }>('/reason-codes', includeInactive ? { includeInactive: true } : undefined),
    select: (d) => d.items,
    staleTime: 5 * 60_000,
  });
}
