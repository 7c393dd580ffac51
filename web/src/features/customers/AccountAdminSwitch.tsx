import { Switch } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { patch } from '../../shared/api/client';
import type { Contact } from '../../shared/api/types';
import { notifyError } from '../../shared/ui/errors';

/** Lets the contact see every ticket of their account in the customer portal. */
export function AccountAdminSwitch({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: (accountAdmin: boolean) => patch<Contact>(`/contacts/${contact.id}`, { accountAdmin, version: contact.version }),
    onSuccess: (c) => qc.setQueryData(['contact', contact.id], c),
    onError: (e) => notifyError(e, t),
  });
  return (
    <Switch
      data-testid="account-admin-switch"
      label={t('contacts.accountAdmin')}
      description={contact.accountId ? t('contacts.accountAdminHint') : t('contacts.accountAdminNoAccount')}
      checked={contact.accountAdmin}
      disabled={!contact.accountId || save.isPending}
      onChange={(e) => save.mutate(e.currentTarget.checked)}
    />
  );
}
