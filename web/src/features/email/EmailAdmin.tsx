import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Center, Group, Loader, SegmentedControl, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Link } from 'react-router';
import { API_BASE } from '../../shared/api/client';
import { INBOUND_STATUSES, type InboundEmail, type InboundStatus, type OutboundEmail } from '../../shared/api/types';
import { DataTable } from '../../shared/ui/DataTable';
import { ErrorState } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import { DeliveryBadge, InboundStatusBadge } from './EmailBadges';
import { useEmailAction, useInbound, useOutbound } from './queries';

/** Reasons the server stores as `code: detail`; the code gets a readable name, the detail stays as written. */
const REASON_CODES = ['too_large', 'timeout', 'out_of_memory', 'limits_exceeded', 'parser_error', 'no_content', 'worker_failed', 'no_sender', 'processing_failed'];

function Reason({ reason, classification }: { reason: string | null; classification: string | null }) {
  const { t } = useTranslation();
  const m = reason?.match(/^([a-z_]+): ?([\s\S]*)$/);
  const code = m && REASON_CODES.includes(m[1]!) ? m[1]! : null;
  return (
    <Stack gap={2}>
      {classification && classification !== 'human' && (
        <Badge size="xs" variant="outline" color="gray" className="cd-badge-full">
          {t(`email.classification.${classification}`, { defaultValue: classification })}
        </Badge>
      )}
      {code ? (
        <>
          <Text size="sm" fw={500}>
            {t(`email.reason.${code}`)}
          </Text>
          {m![2] && (
            <Text size="xs" c="dimmed" lang="en" dir="ltr" lineClamp={2} title={m![2]} style={{ overflowWrap: 'anywhere' }}>
              {m![2]}
            </Text>
          )}
        </>
      ) : reason ? (
        <Text size="xs" c="dimmed" lang="en" dir="ltr" lineClamp={3} title={reason} style={{ overflowWrap: 'anywhere' }}>
          {reason}
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          —
        </Text>
      )}
    </Stack>
  );
}

function When({ iso }: { iso: string }) {
  const l = useLabels();
  return (
    <Tooltip label={l.dateTime(iso)} withArrow>
      <Text size="sm" span style={{ whiteSpace: 'nowrap' }}>
        {l.relative(iso)}
      </Text>
    </Tooltip>
  );
}

const ticketLink = (tk: { number: number } | null, t: TFunction) =>
  tk ? (
    <Anchor component={Link} to={`/tickets/${tk.number}`} size="sm" aria-label={t('email.openTicket', { number: tk.number })}>
      #{tk.number}
    </Anchor>
  ) : (
    <Text size="sm" c="dimmed">
      —
    </Text>
  );

function LoadMore({ q }: { q: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) {
  const { t } = useTranslation();
  if (!q.hasNextPage) return null;
  return (
    <Center>
      <Button variant="default" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
        {t('tickets.loadMore')}
      </Button>
    </Center>
  );
}

function InboundSection() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<InboundStatus>('quarantined');
  const [made, setMade] = useState<{ number: number; subject: string } | null>(null);
  const inbound = useInbound(status);
  const retry = useEmailAction<{ queued: boolean }>((id) => `/email/inbound/${id}/retry`, t('email.retryQueued'));
  const makeTicket = useEmailAction<{ id: string; number: number }>((id) => `/email/inbound/${id}/ticket`, (r) => t('email.ticketMade', { number: r.number }));
  const items = inbound.data?.pages.flatMap((p) => p.items) ?? [];
  const canAct = (m: InboundEmail) => m.status === 'quarantined' || m.status === 'ignored';

  return (
    <Stack gap="sm" component="section" aria-labelledby="email-inbound-title">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Title order={3} id="email-inbound-title">
          {t('email.inboundTitle')}
        </Title>
        <SegmentedControl
          aria-label={t('email.filterStatus')}
          value={status}
          onChange={(v) => setStatus(v as InboundStatus)}
          data={INBOUND_STATUSES.map((s) => ({ value: s, label: t(`email.inboundStatus.${s}`) }))}
          size="xs"
          data-testid="inbound-status"
        />
      </Group>
      <Text size="sm" c="dimmed">
        {t(`email.inboundHint.${status}`)}
      </Text>
      {made && (
        <Alert color="teal" withCloseButton closeButtonLabel={t('email.dismiss')} onClose={() => setMade(null)} data-testid="ticket-made">
          {t('email.ticketMadeFrom', { subject: made.subject })}{' '}
          <Anchor component={Link} to={`/tickets/${made.number}`} fw={600}>
            {t('email.openTicket', { number: made.number })}
          </Anchor>
        </Alert>
      )}
      {inbound.error ? (
        <ErrorState error={inbound.error} />
      ) : inbound.isPending ? (
        <Center py="md">
          <Loader size="sm" />
        </Center>
      ) : items.length === 0 ? (
        <Text c="dimmed" ta="center" py="md" data-testid="inbound-empty">
          {t(`email.inboundEmpty.${status}`)}
        </Text>
      ) : (
        <DataTable<InboundEmail>
          rows={items}
          testId="inbound-table"
          minWidth={1000}
          columns={[
            { key: 'received', header: t('email.received'), cell: (m) => <When iso={m.receivedAt} /> },
            {
              key: 'from',
              header: t('email.from'),
              cell: (m) => (
                <Text size="sm" className="cd-ltr" style={{ overflowWrap: 'anywhere' }}>
                  {m.fromAddress ?? m.envelopeFrom ?? '—'}
                </Text>
              ),
            },
            {
              key: 'subject',
              header: t('email.subject'),
              cell: (m) => (
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  <bdi>{m.subject || t('email.noSubject')}</bdi>
                </Text>
              ),
            },
            { key: 'mailbox', header: t('email.mailbox'), cell: (m) => m.mailbox.name },
            { key: 'status', header: t('email.status'), cell: (m) => <InboundStatusBadge status={m.status} /> },
            { key: 'reason', header: t('email.reasonTitle'), cell: (m) => <Reason reason={m.reason} classification={m.classification} /> },
            { key: 'ticket', header: t('email.ticket'), cell: (m) => ticketLink(m.ticket, t) },
            {
              key: 'actions',
              cell: (m) => (
                <Group gap={4} wrap="nowrap">
                  {canAct(m) && (
                    <Button
                      size="compact-sm"
                      variant="light"
                      loading={retry.isPending && retry.variables === m.id}
                      onClick={() => retry.mutate(m.id)}
                    >
                      {t('email.retry')}
                    </Button>
                  )}
                  {canAct(m) && !m.ticket && (
                    <Button
                      size="compact-sm"
                      variant="light"
                      color="teal"
                      loading={makeTicket.isPending && makeTicket.variables === m.id}
                      onClick={() =>
                        makeTicket.mutate(m.id, { onSuccess: (r) => setMade({ number: r.number, subject: m.subject || m.fromAddress || '' }) })
                      }
                    >
                      {t('email.makeTicket')}
                    </Button>
                  )}
                  <Button
                    component="a"
                    size="compact-sm"
                    variant="subtle"
                    href={`${API_BASE}/email/inbound/${m.id}/raw`}
                    download={`message-${m.id}.eml`}
                    aria-label={t('email.downloadNamed', { subject: m.subject || m.id })}
                  >
                    {t('email.download')}
                  </Button>
                </Group>
              ),
            },
          ]}
        />
      )}
      <LoadMore q={inbound} />
    </Stack>
  );
}

function OutboundSection() {
  const { t } = useTranslation();
  const outbound = useOutbound();
  const retry = useEmailAction<{ queued: boolean }>((id) => `/email/outbound/${id}/retry`, t('email.sendQueued'));
  const items = outbound.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="sm" component="section" aria-labelledby="email-outbound-title">
      <Title order={3} id="email-outbound-title">
        {t('email.outboundTitle')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('email.outboundHint')}
      </Text>
      {outbound.error ? (
        <ErrorState error={outbound.error} />
      ) : outbound.isPending ? (
        <Center py="md">
          <Loader size="sm" />
        </Center>
      ) : items.length === 0 ? (
        <Text c="dimmed" ta="center" py="md" data-testid="outbound-empty">
          {t('email.outboundEmpty')}
        </Text>
      ) : (
        <DataTable<OutboundEmail>
          rows={items}
          testId="outbound-table"
          minWidth={1000}
          columns={[
            { key: 'created', header: t('email.written'), cell: (m) => <When iso={m.createdAt} /> },
            {
              key: 'to',
              header: t('email.to'),
              cell: (m) => (
                <Text size="sm" className="cd-ltr" style={{ overflowWrap: 'anywhere' }}>
                  {m.to.join(', ')}
                </Text>
              ),
            },
            {
              key: 'subject',
              header: t('email.subject'),
              cell: (m) => (
                <Stack gap={0}>
                  <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                    <bdi>{m.subject}</bdi>
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t(`email.purpose.${m.purpose}`, { defaultValue: m.purpose })} · {m.mailbox.name}
                  </Text>
                </Stack>
              ),
            },
            { key: 'ticket', header: t('email.ticket'), cell: (m) => ticketLink(m.ticket, t) },
            { key: 'status', header: t('email.status'), cell: (m) => <DeliveryBadge status={m.status} /> },
            { key: 'attempts', header: t('email.attempts'), cell: (m) => m.attempts },
            {
              key: 'error',
              header: t('email.lastError'),
              cell: (m) =>
                m.status === 'no_relay' ? (
                  <Anchor component={Link} to="/admin/mailboxes" size="sm">
                    {t('email.setRelay')}
                  </Anchor>
                ) : m.lastError ? (
                  <Text size="xs" c="red" lang="en" dir="ltr" lineClamp={3} title={m.lastError} style={{ overflowWrap: 'anywhere' }}>
                    {m.lastError}
                  </Text>
                ) : (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                ),
            },
            {
              key: 'actions',
              cell: (m) =>
                m.status === 'failed' || m.status === 'bounced' ? (
                  <Button size="compact-sm" variant="light" loading={retry.isPending && retry.variables === m.id} onClick={() => retry.mutate(m.id)}>
                    {t('email.retry')}
                  </Button>
                ) : null,
            },
          ]}
        />
      )}
      <LoadMore q={outbound} />
    </Stack>
  );
}

/** Admin > Email: incoming mail that needs a look (quarantine) and outgoing mail that has not left. */
export function EmailAdmin() {
  return (
    <Stack gap="xl">
      <InboundSection />
      <OutboundSection />
    </Stack>
  );
}
