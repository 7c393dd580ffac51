import { Anchor, Badge, Center, Grid, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { get, isApiError } from '../../shared/api/client';
import type { Ticket, TimelineItem } from '../../shared/api/types';
import { PriorityBadge, StatusBadge } from '../../shared/ui/badges';
import { ErrorState } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import { useGroups, useUsers } from '../people/queries';
import { Composer } from './Composer';
import { FieldsPanel } from './FieldsPanel';
import { useCategories, useReasonCodes } from './reference';
import { Timeline } from './Timeline';
import { LogCallButton } from '../phone/LogCallButton';
import { SlaPanel } from '../sla/SlaPanel';

export default function TicketPage() {
  const { t } = useTranslation();
  const l = useLabels();
  const { number = '' } = useParams();
  const ticket = useQuery({
    queryKey: ['ticket', number],
    queryFn: () => get<Ticket>(`/tickets/${encodeURIComponent(number)}`),
  });
  const id = ticket.data?.id;
  const timeline = useQuery({
    queryKey: ['ticket', id, 'timeline'],
    queryFn: () => get<{ items: TimelineItem[] }>(`/tickets/${id}/timeline`),
    enabled: !!id,
    select: (d) => d.items,
  });
  useDocumentTitle(ticket.data ? `#${ticket.data.number} ${ticket.data.subject} · CareDesk` : 'CareDesk');
  const users = useUsers(true);
  const groups = useGroups();
  const categories = useCategories(true);
  const reasonCodes = useReasonCodes(true);

  if (ticket.isPending)
    return (
      <Center py="xl">
        <Loader />
      </Center>
    );
  if (ticket.error) {
    if (isApiError(ticket.error) && ticket.error.status === 404)
      return (
        <Stack>
          <Title order={2}>{t('ticket.notFoundTitle')}</Title>
          <Text>{t('ticket.notFound')}</Text>
          <Anchor component={Link} to="/queues/mine">
            {t('ticket.backToQueue')}
          </Anchor>
        </Stack>
      );
    return <ErrorState error={ticket.error} />;
  }
  const tk = ticket.data;
  // The server may keep the description as the first message of the timeline.
  const descriptionInTimeline = (timeline.data ?? []).some(
    (it) => it.type === 'message' && it.message.bodyText.trim() === (tk.description ?? '').trim(),
  );
  const reload = () => {
    void ticket.refetch();
    void timeline.refetch();
  };

  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Title order={2} data-testid="ticket-title" style={{ overflowWrap: 'anywhere' }}>
          <Text span c="dimmed" inherit>
            #{tk.number}
          </Text>{' '}
          {/* Isolated: an English subject in the Arabic interface keeps its "?" at its own end. */}
          <bdi>{tk.subject}</bdi>
        </Title>
        <Group gap="xs">
          <StatusBadge status={tk.status} />
          <PriorityBadge priority={tk.priority} />
          {tk.category && <Badge variant="outline">{l.name(tk.category)}</Badge>}
          {tk.onBehalf && (
            <Badge variant="outline" color="grape">
              {t('ticket.onBehalfShort')}
            </Badge>
          )}
          {tk.tags.map((tag) => (
            <Badge key={tag} variant="dot" color="gray">
              {tag}
            </Badge>
          ))}
          <LogCallButton ticket={tk} disabled={tk.status === 'closed'} onLogged={reload} />
        </Group>
      </Stack>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            {tk.description && !descriptionInTimeline && (
              <Text style={{ whiteSpace: 'pre-wrap' }} data-testid="ticket-description">
                {tk.description}
              </Text>
            )}
            {timeline.isPending ? (
              <Center py="md">
                <Loader size="sm" />
              </Center>
            ) : timeline.error ? (
              <ErrorState error={timeline.error} />
            ) : (
              <Timeline
                items={timeline.data ?? []}
                look={{
                  users: users.data ?? [],
                  groups: groups.data ?? [],
                  categories: categories.data ?? [],
                  reasonCodes: reasonCodes.data ?? [],
                }}
              />
            )}
            <Composer ticketId={tk.id} disabled={tk.status === 'closed'} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <SlaPanel ticketId={tk.id} />
            <FieldsPanel ticket={tk} onReload={reload} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
