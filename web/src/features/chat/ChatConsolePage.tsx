import { useCallback, useEffect, useRef, useState } from 'react';
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  FileButton,
  Grid,
  Group,
  Menu,
  NumberInput,
  Paper,
  ScrollArea,
  SegmentedControl,
  Select,
  Stack,
  Tabs,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../shared/api/client';
import type { Attachment } from '../../shared/api/types';
import { errorMessage, notifyError } from '../../shared/ui/errors';
import { canSeeAll, useCurrentUser } from '../auth/session';
import { useGroups, useUsers } from '../people/queries';
import { TicketList } from '../tickets/TicketList';
import { CHATS_KEY, fetchMessages, sendAgentMessage, useChatAction, useChats, usePresence, type ChatMessage, type ChatSession } from './queries';
import { staffSocket, useStaffSocket, useTopic } from '../../shared/realtime';

const CANNED = ['greeting', 'checking', 'tracking', 'anythingElse', 'closing'] as const;

/** Live chats: waiting ones to accept, and several of one's own side by side in tabs. */
export default function ChatConsolePage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const qc = useQueryClient();
  const up = useStaffSocket();
  const chats = useChats();
  const presence = usePresence();
  const [status, setStatus] = useState<'online' | 'away'>('online');
  const [capacity, setCapacity] = useState<number>(3);
  const [tab, setTab] = useState<string | null>(null);
  const action = useChatAction();

  useEffect(() => {
    if (presence.data) setCapacity(presence.data.capacity);
  }, [presence.data]);
  // Presence rides on the socket: declared again on every (re)connect, withdrawn when it closes.
  useEffect(() => {
    if (up) staffSocket.send({ type: 'chat.presence', status, capacity });
  }, [up, status, capacity]);
  useEffect(() => staffSocket.onFrame((f) => f.type === 'open' && void qc.invalidateQueries({ queryKey: CHATS_KEY })), [qc]);
  const refresh = useCallback(() => void qc.invalidateQueries({ queryKey: CHATS_KEY }), [qc]);
  useTopic('agents', (e) => e.type === 'chat.queue' && refresh());
  useTopic(`user:${me.id}`, (e) => (e.type === 'chat.offered' || e.type === 'chat.withdrawn') && refresh());

  const all = chats.data ?? [];
  const waiting = all.filter((c) => c.status === 'queued');
  const mine = all.filter((c) => c.status === 'active' && c.agent?.id === me.id);
  const current = mine.find((c) => c.id === tab) ?? mine[0] ?? null;

  const accept = (c: ChatSession) =>
    action.mutate(
      { id: c.id, action: 'accept' },
      { onSuccess: (s) => setTab(s.id), onError: (e) => notifyError(e, t) },
    );

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('chat.title')}</Title>
        <Group>
          {!up && (
            <Badge color="orange" variant="light">
              {t('chat.reconnecting')}
            </Badge>
          )}
          <SegmentedControl
            aria-label={t('chat.presence')}
            value={status}
            onChange={(v) => setStatus(v as 'online' | 'away')}
            data={[
              { value: 'online', label: t('chat.online') },
              { value: 'away', label: t('chat.away') },
            ]}
          />
          <NumberInput
            aria-label={t('chat.capacity')}
            leftSection={<Text size="xs">{t('chat.capacityShort')}</Text>}
            leftSectionWidth={70}
            w={130}
            min={1}
            max={20}
            value={capacity}
            onChange={(v) => typeof v === 'number' && v >= 1 && v <= 20 && setCapacity(v)}
          />
        </Group>
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, md: 3 }}>
          <Paper withBorder p="sm" radius="md">
            <Text fw={600} mb="xs">
              {t('chat.waiting', { count: waiting.length })}
            </Text>
            <Stack gap="xs" data-testid="chat-queue">
              {waiting.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t('chat.noneWaiting')}
                </Text>
              )}
              {waiting.map((c) => (
                <Card key={c.id} withBorder padding="xs" data-testid="chat-waiting">
                  <Group justify="space-between" wrap="nowrap" gap="xs">
                    <Stack gap={0} style={{ minWidth: 0 }}>
                      <Text size="sm" fw={600} truncate>
                        {c.contact.name}
                      </Text>
                      <Text size="xs" c="dimmed" lineClamp={2}>
                        {c.topic}
                      </Text>
                      {c.offeredToId === me.id && (
                        <Badge size="xs" color="teal" mt={2}>
                          {t('chat.offeredToYou')}
                        </Badge>
                      )}
                    </Stack>
                    <Button size="xs" onClick={() => accept(c)} loading={action.isPending && action.variables?.id === c.id}>
                      {t('chat.accept')}
                    </Button>
                  </Group>
                </Card>
              ))}
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9 }}>
          {mine.length === 0 ? (
            <Paper withBorder p="xl" radius="md">
              <Text c="dimmed" ta="center">
                {t('chat.noneActive')}
              </Text>
            </Paper>
          ) : (
            <Tabs value={current?.id ?? null} onChange={setTab} keepMounted>
              <Tabs.List>
                {mine.map((c) => (
                  <Tabs.Tab key={c.id} value={c.id}>
                    {c.contact.name}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
              {mine.map((c) => (
                <Tabs.Panel key={c.id} value={c.id} pt="sm">
                  <ChatPanel chat={c} />
                </Tabs.Panel>
              ))}
            </Tabs>
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function ChatPanel({ chat }: { chat: ChatSession }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [typing, setTyping] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const lastSeq = useRef(0);
  const lastTyping = useRef(0);
  const viewport = useRef<HTMLDivElement>(null);
  const action = useChatAction();
  const groups = useGroups();
  const users = useUsers();

  const merge = useCallback((incoming: ChatMessage[]) => {
    setMessages((cur) => {
      const seen = new Set(cur.map((m) => m.seq));
      const next = [...cur, ...incoming.filter((m) => !seen.has(m.seq))].sort((a, b) => a.seq - b.seq);
      lastSeq.current = next.at(-1)?.seq ?? 0;
      return next;
    });
  }, []);
  const catchUp = useCallback(() => {
    void fetchMessages(chat.id, lastSeq.current).then(merge, () => {});
  }, [chat.id, merge]);
  useEffect(catchUp, [catchUp]);
  useEffect(() => staffSocket.onFrame((f) => (f.type === 'open' || f.type === 'resync') && catchUp()), [catchUp]);
  useTopic(`chat:${chat.id}`, (e) => {
    if (e.type === 'message') {
      merge([e.message as ChatMessage]);
      if ((e.message as ChatMessage).author === 'customer') setTyping(null);
    }
    if (e.type === 'typing' && e.author === 'customer') {
      setTyping(String(e.name ?? ''));
      setTimeout(() => setTyping(null), 4000);
    }
  });
  useEffect(() => {
    viewport.current?.scrollTo({ top: viewport.current.scrollHeight });
  }, [messages.length]);

  const send = async (body: string, attachmentIds?: string[]) => {
    if (!body.trim() && !attachmentIds?.length) return;
    setSending(true);
    setError(null);
    const clientId = `a-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    // A failed request is retried with the same id: the server keeps one message.
    for (let attempt = 0; ; attempt++) {
      try {
        await sendAgentMessage(chat.id, { clientId, text: body.trim(), attachmentIds });
        setText('');
        catchUp();
        break;
      } catch (e) {
        const status = (e as { status?: number }).status ?? 0;
        if (attempt < 2 && (status === 0 || status >= 500)) continue;
        setError(errorMessage(e, t));
        break;
      }
    }
    setSending(false);
  };
  const upload = async (file: File | null) => {
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    try {
      const a = await api<Attachment>('/attachments', { method: 'POST', body: form });
      await send('', [a.id]);
    } catch (e) {
      setError(errorMessage(e, t));
    }
  };
  const onType = (v: string) => {
    setText(v);
    const now = Date.now();
    if (now - lastTyping.current > 2000) {
      lastTyping.current = now;
      staffSocket.send({ type: 'chat.typing', sessionId: chat.id });
    }
  };

  return (
    <Grid>
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <Paper withBorder radius="md" p="sm">
          <Group justify="space-between" mb="xs">
            <Stack gap={0}>
              <Text fw={600}>{chat.contact.name}</Text>
              <Anchor component={Link} to={`/tickets/${chat.ticket.number}`} size="sm">
                #{chat.ticket.number} {chat.ticket.subject}
              </Anchor>
            </Stack>
            <Group gap="xs">
              <Menu>
                <Menu.Target>
                  <Button variant="default" size="xs">
                    {t('chat.transfer')}
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Label>{t('chat.toGroup')}</Menu.Label>
                  {(groups.data ?? []).map((g) => (
                    <Menu.Item key={g.id} onClick={() => action.mutate({ id: chat.id, action: 'transfer', body: { groupId: g.id } }, { onError: (e) => notifyError(e, t) })}>
                      {g.name}
                    </Menu.Item>
                  ))}
                  <Menu.Divider />
                  <Menu.Label>{t('chat.toAgent')}</Menu.Label>
                  {(users.data ?? [])
                    .filter((u) => u.id !== chat.agent?.id)
                    .map((u) => (
                      <Menu.Item key={u.id} onClick={() => action.mutate({ id: chat.id, action: 'transfer', body: { userId: u.id } }, { onError: (e) => notifyError(e, t) })}>
                        {u.name}
                      </Menu.Item>
                    ))}
                </Menu.Dropdown>
              </Menu>
              <Button color="red" variant="light" size="xs" onClick={() => action.mutate({ id: chat.id, action: 'end' }, { onError: (e) => notifyError(e, t) })}>
                {t('chat.end')}
              </Button>
            </Group>
          </Group>
          <ScrollArea h={360} viewportRef={viewport} type="auto">
            <Stack gap={6} p={4} data-testid="chat-transcript">
              {messages.map((m) => (
                <Bubble key={m.seq} m={m} />
              ))}
            </Stack>
          </ScrollArea>
          <Text size="xs" c="dimmed" h={18} aria-live="polite">
            {typing !== null ? t('chat.typing', { name: typing || chat.contact.name }) : ''}
          </Text>
          {error && (
            <Alert color="red" mb="xs" withCloseButton onClose={() => setError(null)}>
              {error}
            </Alert>
          )}
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void send(text);
            }}
          >
            {/* Canned replies on their own row, so the message box keeps the width of the chat. */}
            <Select
              aria-label={t('chat.canned')}
              placeholder={t('chat.canned')}
              w={220}
              mb="xs"
              size="xs"
              value={null}
              data={CANNED.map((k) => ({ value: k, label: t(`chat.cannedReplies.${k}.label`) }))}
              onChange={(k) => k && setText(t(`chat.cannedReplies.${k}.text`, { lng: chat.language }))}
            />
            <Group align="flex-end" gap="xs" wrap="nowrap">
              <Textarea
                aria-label={t('chat.message')}
                placeholder={t('chat.message')}
                style={{ flex: 1 }}
                autosize
                minRows={1}
                maxRows={5}
                value={text}
                data-testid="console-input"
                onChange={(e) => onType(e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && !e.shiftKey) {
                    e.preventDefault();
                    void send(text);
                  }
                }}
              />
              <FileButton onChange={(f) => void upload(f)}>
                {(props) => (
                  <ActionIcon {...props} variant="default" size="lg" aria-label={t('chat.attach')}>
                    <Paperclip />
                  </ActionIcon>
                )}
              </FileButton>
              <Button type="submit" loading={sending} data-testid="console-send">
                {t('chat.send')}
              </Button>
            </Group>
          </form>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <Paper withBorder radius="md" p="sm">
          <Group justify="space-between" mb="xs">
            <Text fw={600}>{t('chat.history')}</Text>
            <Anchor component={Link} to={`/contacts/${chat.contact.id}`} size="sm">
              {t('chat.openContact')}
            </Anchor>
          </Group>
          <TicketList query={{ queue: canSeeAll(me) ? 'all' : 'groups', contactId: chat.contact.id, limit: 10 }} />
        </Paper>
      </Grid.Col>
    </Grid>
  );
}

function Bubble({ m }: { m: ChatMessage }) {
  const { t } = useTranslation();
  if (m.author === 'system')
    return (
      <Text size="xs" c="dimmed" ta="center">
        {t(`chat.system.${m.code ?? 'ended'}`, { name: m.name ?? '' })}
      </Text>
    );
  const mine = m.author === 'agent';
  return (
    <Paper
      data-testid="console-message"
      p="xs"
      radius="md"
      bg={mine ? 'blue.0' : 'gray.1'}
      maw="85%"
      style={{ alignSelf: mine ? 'flex-end' : 'flex-start', whiteSpace: 'pre-wrap', unicodeBidi: 'plaintext' }}
    >
      <Text size="xs" c="dimmed">
        {m.name ?? (mine ? t('chat.agent') : t('chat.customer'))} · {new Date(m.at).toLocaleTimeString()}
      </Text>
      <Text size="sm">{m.text}</Text>
      {m.files.map((f) => (
        <Anchor key={f.id} href={`/api/v1/attachments/${f.id}/download`} size="sm" display="block">
          <Paperclip /> {f.filename}
        </Anchor>
      ))}
    </Paper>
  );
}

function Paperclip() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true" style={{ verticalAlign: '-3px' }}>
      <path d="M21.44 11.05l-9.19 9.19a6 6 0 0 1-8.49-8.49l9.19-9.19a4 4 0 0 1 5.66 5.66l-9.2 9.19a2 2 0 0 1-2.83-2.83l8.49-8.48" />
    </svg>
  );
}
