import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { staffSocket, useStaffSocket, useTopic } from '../../shared/realtime';
import { useCurrentUser } from '../auth/session';
import { api, get } from '../../shared/api/client';
import type { Call, CallScript, Page, ScreenPop } from '../../shared/api/types';

export const CALL_SCRIPTS_KEY = ['call-scripts'] as const;
export const CALLS_KEY = ['calls'] as const;

export function useCallScripts() {
  return useQuery({
    queryKey: CALL_SCRIPTS_KEY,
    queryFn: () => get<{ items: CallScript[] }>('/call-scripts'),
    select: (d) => d.items,
    staleTime: 60_000,
  });
}

export function useCalls(query: { contactId?: string; ticketId?: string }) {
  return useQuery({
    queryKey: [...CALLS_KEY, query],
    queryFn: ({ signal }) => get<Page<Call>>('/calls', { ...query, limit: 50 }, signal),
    select: (d) => d.items,
  });
}

export function useLogCall(onDone: (call: Call) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api<Call>('/calls', { method: 'POST', body }),
    onSuccess: (call) => {
      void qc.invalidateQueries({ queryKey: CALLS_KEY });
      void qc.invalidateQueries({ queryKey: ['ticket'] });
      void qc.invalidateQueries({ queryKey: ['tickets'] });
      onDone(call);
    },
  });
}

export function useSaveScript(onDone: () => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ categoryId, body }: { categoryId: string; body: Record<string, unknown> }) =>
      api<CallScript>(`/call-scripts/${categoryId}`, { method: 'PUT', body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: CALL_SCRIPTS_KEY });
      onDone();
    },
  });
}

/**
 * Calls the phone system reports for this agent. The server pushes `phone.call` on the agent's own
 * topic (or everyone's, when the phone system named no agent) and the list is re-read at once; the
 * slow poll only covers a socket that is down.
 */
export function useScreenPops(enabled: boolean) {
  const qc = useQueryClient();
  const me = useCurrentUser();
  const up = useStaffSocket();
  const refresh = () => void qc.invalidateQueries({ queryKey: ['screen-pops'] });
  useTopic(enabled ? `user:${me.id}` : null, (e) => e.type === 'phone.call' && refresh());
  useTopic(enabled ? 'agents' : null, (e) => e.type === 'phone.call' && refresh());
  // Events sent while the socket was down are not replayed: re-read after a reconnect or resync.
  useEffect(() => (enabled ? staffSocket.onFrame((f) => (f.type === 'open' || f.type === 'resync') && refresh()) : undefined), [enabled]);
  return useQuery({
    queryKey: ['screen-pops'],
    queryFn: ({ signal }) => get<{ items: ScreenPop[] }>('/phone/screen-pops', undefined, signal),
    select: (d) => d.items,
    refetchInterval: up ? 60_000 : 4000,
    enabled,
  });
}
