import { useQuery } from '@tanstack/react-query';
import { get } from '../../shared/api/client';
import type { Group, User } from '../../shared/api/types';

export const USERS_KEY = ['users'] as const;
export const GROUPS_KEY = ['groups'] as const;

export function useUsers(includeInactive = false) {
  return useQuery({
    queryKey: [...USERS_KEY, { includeInactive }],
    queryFn: () => get<{ items: User[] }>('/users', includeInactive ? { includeInactive: true } : undefined),
    select: (d) => d.items,
    staleTime: 60_000,
  });
}

export function useGroups() {
  return useQuery({
    queryKey: GROUPS_KEY,
    queryFn: () => get<{ items: Group[] }>('/groups'),
    select: (d) => d.items,
    staleTime: 60_000,
  });
}
