import { useState } from 'react';
import { Alert, Anchor, Button, Group, Paper, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, isApiError } from '../../shared/api/client';
import type { Contact } from '../../shared/api/types';
import { errorMessage, fieldErrorsOf } from '../../shared/ui/errors';

type Kind = 'email' | 'phone';

/** Finds the requester by email or phone, and offers to create them. */
export function RequesterPicker({
  value,
  onChange,
  error,
}: {
  value: Contact | null;
  onChange: (c: Contact | null) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Kind>('email');
  const [identity, setIdentity] = useState('');
  const [name, setName] = useState('');
  const [notFound, setNotFound] = useState(false);

  const lookup = useMutation({
    mutationFn: (create: boolean) =>
      api<Contact>('/contacts/lookup', {
        method: 'POST',
        body: create
          ? { kind, value: identity.trim(), name: name.trim(), create: true }
          : { kind, value: identity.trim(), create: false },
      }),
    onSuccess: (c) => {
      setNotFound(false);
      onChange(c);
    },
    onError: (e) => {
      if (isApiError(e) && e.status === 404) setNotFound(true);
    },
  });

  if (value) {
    return (
      <Paper withBorder p="sm" radius="md" data-testid="requester-selected">
        <Group justify="space-between" wrap="nowrap">
          <Stack gap={0}>
            <Text size="xs" c="dimmed">
              {t('newTicket.requester')}
            </Text>
            <Anchor component={Link} to={`/contacts/${value.id}`} fw={600} target="_blank">
              {value.name}
            </Anchor>
            <Text size="sm" c="dimmed" className="cd-ltr" ta="start">
              {value.identities.map((i) => i.value).join(' · ')}
            </Text>
            {value.account && (
              <Text size="sm">
                {t('ticket.account')}: {value.account.name}
              </Text>
            )}
          </Stack>
          <Button
            variant="subtle"
            onClick={() => {
              onChange(null);
              lookup.reset();
            }}
          >
            {t('newTicket.changeRequester')}
          </Button>
        </Group>
      </Paper>
    );
  }

  const lookupErrors = fieldErrorsOf(lookup.error);
  const otherError =
    lookup.error && !(isApiError(lookup.error) && lookup.error.status === 404) && !lookupErrors['value'] && !lookupErrors['name']
      ? errorMessage(lookup.error, t)
      : null;

  return (
    <Paper withBorder p="sm" radius="md" data-testid="requester-picker">
      <Stack gap="xs">
        <Text fw={600} size="sm">
          {t('newTicket.requester')}
        </Text>
        <SegmentedControl
          value={kind}
          onChange={(v) => {
            setKind(v as Kind);
            setNotFound(false);
          }}
          data={[
            { value: 'email', label: t('identityKind.email') },
            { value: 'phone', label: t('identityKind.phone') },
          ]}
          aria-label={t('newTicket.findBy')}
        />
        <Group align="flex-start" gap="xs" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            label={kind === 'email' ? t('newTicket.requesterEmail') : t('newTicket.requesterPhone')}
            type={kind === 'email' ? 'email' : 'tel'}
            value={identity}
            onChange={(e) => {
              setIdentity(e.currentTarget.value);
              setNotFound(false);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                if (identity.trim()) lookup.mutate(false);
              }
            }}
            error={lookupErrors['value'] ?? error}
            classNames={{ input: 'cd-ltr' }}
          />
          <Button
            mt={25}
            variant="light"
            onClick={() => lookup.mutate(false)}
            loading={lookup.isPending && !notFound}
            disabled={!identity.trim()}
          >
            {t('newTicket.find')}
          </Button>
        </Group>
        {otherError && (
          <Alert color="red" role="alert">
            {otherError}
          </Alert>
        )}
        {notFound && (
          <Alert color="blue" data-testid="requester-not-found">
            <Stack gap="xs">
              <Text size="sm">{t('newTicket.notFound')}</Text>
              <Group align="flex-end" gap="xs">
                <TextInput
                  style={{ flex: 1, minWidth: 180 }}
                  label={t('newTicket.newContactName')}
                  value={name}
                  onChange={(e) => setName(e.currentTarget.value)}
                  error={lookupErrors['name']}
                />
                <Button onClick={() => lookup.mutate(true)} loading={lookup.isPending} disabled={!name.trim()}>
                  {t('newTicket.createContact')}
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
