import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from '../../shared/api/client';
import type { Me } from '../../shared/api/types';

export const ME_KEY = ['me'] as const;

/** The signed-in user, or null when there is no session. */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await api<Me>('/me', { quiet401: true });
  } catch (e) {
    if (isApiError(e) && e.status === 401) return null;
    throw e;
  }
}

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 5 * 60_000, retry: false });
}

/** The signed-in user; only for components under the authenticated layout. */
export function useCurrentUser(): Me {
  const qc = useQueryClient();
  const me = qc.getQueryData<Me | null>(ME_KEY);
  const { data } = useMe();
  const user = data ?? me;
  if (!user) throw new Error('useCurrentUser outside an authenticated route');
  return user;
}

export function hasRole(me: Me | null | undefined, ...roles: Me['roles']): boolean {
  return !!me && me.roles.some((r) => roles.includes(r));
}

export function canSeeAll(me: Me | null | undefined): boolean {
  return hasRole(me, 'manager', 'admin');
}
