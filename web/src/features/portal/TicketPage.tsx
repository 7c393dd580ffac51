import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Center, Group, Loader, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { StatusBadge } from '../../shared/ui/badges';
import { ErrorState, errorMessage, fieldErrorsOf } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import type { TicketStatus } from '../../shared/api/types';
import { portalGet, portalPost, type PortalTicket, type Uploaded } from './api';
import { AttachmentPicker } from './Attachments';
import { PromiseLine } from './Promise';

function Conversation({ ticket }: { ticket: PortalTicket }) {
  const { t } = useTranslation();
  const l = useLabels();
  return (
    <Stack gap="sm" data-testid="portal-messages">
      {ticket.messages.map((m) => {
        const ours = m.kind === 'reply';
        return (
          <Paper
            key={m.id}
            withBorder
            radius="md"
            p="sm"
            bg={ours ? 'indigo.0' : 'white'}
            data-testid="portal-message"
            data-kind={m.kind}
            style={{ marginInlineStart: ours ? 0 : '12%', marginInlineEnd: ours ? '12%' : 0 }}
          >
            <Group justify="space-between" gap={4} mb={4} wrap="wrap" align="baseline">
              <Text size="sm" fw={600}>
                {ours ? t('portal.ticket.agentSays', { name: m.author?.name ?? t('portal.ticket.team') }) : (m.author?.name ?? t('portal.ticket.you'))}
              </Text>
              <Text size="xs" c="dimmed">
                {l.dateTime(m.createdAt)}
              </Text>
            </Group>
            {/* bodyHtml is sanitised by the server before it is stored. */}
            <div className="cd-message-body" style={{ overflowWrap: 'anywhere', fontSize: 'var(--mantine-font-size-sm)' }} dangerouslySetInnerHTML={{ __html: m.bodyHtml }} />
            {m.attachments.length > 0 && (
              <Group gap="xs" mt={6}>
                {m.attachments.map((a) => (
                  <Anchor key={a.id} href={a.url} size="sm" className="cd-ltr" download data-testid="portal-attachment">
                    {a.filename} ({l.size(a.size)})
                  </Anchor>
                ))}
              </Group>
            )}
          </Paper>
        );
      })}
    </Stack>
  );
}

export default function PortalTicketPage() {
  const { t } = useTranslation();
  const l = useLabels();
  const qc = useQueryClient();
  const { number = '' } = useParams();
  const key = ['portal', 'ticket', number];
  const ticket = useQuery({ queryKey: key, queryFn: () => portalGet<PortalTicket>(`/tickets/${number}`), refetchInterval: 15_000 });
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<Uploaded[]>([]);
  const reply = useMutation({
    mutationFn: () => portalPost<PortalTicket>(`/tickets/${number}/messages`, { bodyText: body, ...(files.length ? { attachmentIds: files.map((f) => f.id) } : {}) }),
    onSuccess: (tk) => {
      qc.setQueryData(key, tk);
      void qc.invalidateQueries({ queryKey: ['portal', 'tickets'] });
      setBody('');
      setFiles([]);
    },
  });
  if (ticket.isPending)
    return (
      <Center py="xl">
        <Loader aria-label={t('portal.loading')} />
      </Center>
    );
  if (ticket.error) return <ErrorState error={ticket.error} />;
  const tk = ticket.data;
  const errors = fieldErrorsOf(reply.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    reply.mutate();
  };
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/" size="sm">
        {t('portal.ticket.back')}
      </Anchor>
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Title order={3} style={{ overflowWrap: 'anywhere' }}>
            {tk.subject}
          </Title>
          <StatusBadge status={tk.status as TicketStatus} />
        </Group>
        <Text size="sm" c="dimmed">
          {t('portal.ticket.reference', { number: tk.number })} · {tk.category ? l.name(tk.category) : t('portal.tickets.noCategory')} · {t('portal.ticket.opened', { when: l.dateTime(tk.createdAt) })}
        </Text>
        <PromiseLine ticket={tk} />
        {tk.shipment?.trackingNumber && (
          <Text size="sm">
            {t('shipment.trackingNumber')}: <span className="cd-ltr">{tk.shipment.trackingNumber}</span>
          </Text>
        )}
      </Stack>
      <Conversation ticket={tk} />
      {tk.status === 'closed' ? (
        <Alert color="gray">{t('portal.ticket.closed')}</Alert>
      ) : (
        <Paper withBorder p="md" radius="md" component="form" onSubmit={onSubmit} noValidate>
          <Stack gap="sm">
            <Textarea
              label={t('portal.ticket.reply')}
              autosize
              minRows={3}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              error={errors.bodyText}
              data-testid="portal-reply"
            />
            <AttachmentPicker files={files} onChange={setFiles} />
            {reply.error && !errors.bodyText ? (
              <Alert color="red" role="alert">
                {errorMessage(reply.error, t)}
              </Alert>
            ) : null}
            <Group justify="flex-end">
              <Button type="submit" loading={reply.isPending} data-testid="portal-send">
                {t('portal.ticket.send')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
