import { useState } from 'react';
import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Contact, Ticket } from '../../shared/api/types';
import { LogCallDialog } from './LogCallDialog';

export function LogCallButton(props: { contact?: Contact | null; ticket?: Ticket | null; disabled?: boolean; onLogged?: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="light" size="sm" onClick={() => setOpen(true)} disabled={props.disabled} data-testid="log-call">
        {t('phone.logCall')}
      </Button>
      {open && <LogCallDialog contact={props.contact} ticket={props.ticket} onClose={() => setOpen(false)} onLogged={props.onLogged} />}
    </>
  );
}
