import { Anchor, Badge, Center, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorState } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import { canSeeAll, useCurrentUser } from '../auth/session';
import { TicketList } from '../tickets/TicketList';
import { useContact } from './queries';
import { CallsList } from '../phone/CallsList';
import { LogCallButton } from '../phone/LogCallButton';
import { MergeContactButton } from './MergeContactButton';
import { AccountAdminSwitch } from './AccountAdminSwitch';

export default function ContactPage() {
  const { t } = useTranslation();
  const l = useLabels();
  const me = useCurrentUser();
  const { id = '' } = useParams();
  const contact = useContact(id);

  if (contact.isPending)
    return (
      <Center py="xl">
        <Loader />
      </Center>
    );
  if (contact.error) return <ErrorState error={contact.error} />;
  const c = contact.data;

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{c.name}</Title>
        <Group gap="xs">
          <MergeContactButton contact={c} />
          <LogCallButton contact={c} />
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Paper withBorder p="md" radius="md">
          <Stack gap="xs">
            <Text fw={600}>{t('contacts.identities')}</Text>
            {c.identities.length === 0 && <Text c="dimmed">—</Text>}
            {c.identities.map((i) => (
              <Group key={i.id} gap="xs" wrap="nowrap">
                <Badge variant="light" size="sm">
                  {l.identityKind(i.kind)}
                  {i.platform && i.kind !== 'email' && i.kind !== 'phone' ? ` · ${i.platform}` : ''}
                </Badge>
                <Text size="sm" className="cd-ltr">
                  {i.value}
                </Text>
              </Group>
            ))}
          </Stack>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Stack gap={6}>
            <Text size="sm">
              <Text span c="dimmed">
                {t('ticket.account')}:{' '}
              </Text>
              {c.account ? (
                <Anchor component={Link} to={`/accounts/${c.account.id}`}>
                  {c.account.name}
                </Anchor>
              ) : c.accountId ? (
                <Anchor component={Link} to={`/accounts/${c.accountId}`}>
                  {t('contacts.openAccount')}
                </Anchor>
              ) : (
                '—'
              )}
            </Text>
            <Text size="sm">
              <Text span c="dimmed">
                {t('contacts.language')}:{' '}
              </Text>
              {l.language(c.language)}
            </Text>
            <Text size="sm">
              <Text span c="dimmed">
                {t('contacts.preferredChannel')}:{' '}
              </Text>
              {c.preferredChannel ? l.channel(c.preferredChannel) : '—'}
            </Text>
            <Text size="sm">
              <Text span c="dimmed">
                {t('ticket.created')}:{' '}
              </Text>
              {l.dateTime(c.createdAt)}
            </Text>
            <AccountAdminSwitch contact={c} />
          </Stack>
        </Paper>
      </SimpleGrid>
      <Title order={3}>{t('phone.calls')}</Title>
      <CallsList contactId={c.id} />
      <Title order={3}>{t('contacts.tickets')}</Title>
      <TicketList query={{ queue: canSeeAll(me) ? 'all' : 'groups', contactId: c.id, limit: 25 }} />
    </Stack>
  );
}
