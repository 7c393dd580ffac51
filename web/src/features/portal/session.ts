import { useQuery } from '@tanstack/react-query';
import { isApiError } from '../../shared/api/client';
import { portalApi, type PortalMe } from './api';

export const PORTAL_ME_KEY = ['portal', 'me'];

/** The signed-in customer, or null. */
export function usePortalMe() {
  return useQuery({
    queryKey: PORTAL_ME_KEY,
    queryFn: async () => {
      try {
        return await portalApi<PortalMe>('/me', { quiet401: true });
      } catch (e) {
        if (isApiError(e) && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
}
