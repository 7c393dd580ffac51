import { useState } from 'react';
import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../shared/api/client';
import type { Contact, Page } from '../../shared/api/types';
import { FormErrorAlert, fieldErrorsOf, notifySuccess } from '../../shared/ui/errors';

/** "Merge with…": folds another contact (the same person) into this one, which is the one kept. */
export function MergeContactButton({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const [otherId, setOtherId] = useState<string | null>(null);
  const found = useQuery({
    queryKey: ['contacts', 'merge-search', q],
    queryFn: ({ signal }) => get<Page<Contact>>('/contacts', { q, limit: 20 }, signal),
    enabled: open && q.trim().length >= 2,
  });
  const merge = useMutation({
    mutationFn: () => post<Contact>(`/contacts/${contact.id}/merge`, { otherId }),
    onSuccess: () => {
      notifySuccess(t('contacts.merge.done'));
      setOpen(false);
      setOtherId(null);
      void qc.invalidateQueries({ queryKey: ['contact'] });
      void qc.invalidateQueries({ queryKey: ['contacts'] });
      void qc.invalidateQueries({ queryKey: ['tickets'] });
    },
  });
  const options = (found.data?.items ?? []).filter((c) => c.id !== contact.id).map((c) => ({ value: c.id, label: c.name }));
  return (
    <>
      <Button variant="light" onClick={() => setOpen(true)}>
        {t('contacts.merge.button')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('contacts.merge.title', { name: contact.name })}>
        <Stack>
          <Text size="sm">{t('contacts.merge.help', { name: contact.name })}</Text>
          <Select
            label={t('contacts.merge.other')}
            searchable
            searchValue={q}
            onSearchChange={setQ}
            data={options}
            value={otherId}
            onChange={setOtherId}
            nothingFoundMessage={q.trim().length >= 2 ? t('contacts.merge.noMatch') : undefined}
            error={fieldErrorsOf(merge.error).otherId}
            filter={({ options: o }) => o}
          />
          <FormErrorAlert error={merge.error} shown={['otherId']} />
          <Group justify="flex-end">
            <Button variant="subtle" onClick={() => setOpen(false)}>
              {t('contacts.merge.cancel')}
            </Button>
            <Button color="red" disabled={!otherId} loading={merge.isPending} onClick={() => merge.mutate()}>
              {t('contacts.merge.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
