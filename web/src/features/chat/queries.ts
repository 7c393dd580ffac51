import type { ChatFileT, ChatMessageT } from '@caredesk/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, get } from '../../shared/api/client';

export type ChatFile = ChatFileT;
export type ChatMessage = ChatMessageT;
export interface ChatSession {
  id: string;
  status: 'queued' | 'active' | 'ended';
  topic: string;
  language: string;
  contact: { id: string; name: string };
  ticket: { id: string; number: number; subject: string };
  group: { id: string; name: string } | null;
  agent: { id: string; name: string } | null;
  offeredToId: string | null;
  createdAt: string;
  acceptedAt: string | null;
  endedAt: string | null;
}

export const CHATS_KEY = ['chats'] as const;

export function useChats() {
  return useQuery({
    queryKey: CHATS_KEY,
    queryFn: () => get<{ items: ChatSession[] }>('/chat/sessions'),
    select: (d) => d.items,
  });
}

export function usePresence() {
  return useQuery({ queryKey: ['chat-presence'], queryFn: () => get<{ status: 'online' | 'away'; capacity: number }>('/chat/presence') });
}

export function useChatAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, body }: { id: string; action: 'accept' | 'end' | 'transfer'; body?: unknown }) =>
      api<ChatSession>(`/chat/sessions/${id}/${action}`, { method: 'POST', body: body ?? {} }),
    onSettled: () => void qc.invalidateQueries({ queryKey: CHATS_KEY }),
  });
}

export const fetchMessages = (id: string, after: number) => get<{ items: ChatMessage[] }>(`/chat/sessions/${id}/messages`, { after }).then((r) => r.items);
export const sendAgentMessage = (id: string, body: { clientId: string; text: string; attachmentIds?: string[] }) =>
  api<{ seq: number; duplicate: boolean }>(`/chat/sessions/${id}/messages`, { method: 'POST', body });
