import type { ReactNode } from 'react';
import { Button, Group, Modal, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert } from './errors';

interface FormModalProps {
  title: ReactNode;
  onClose: () => void;
  onSubmit: () => void;
  /** The save mutation: its error is summarised above the inputs (field errors for names not in `shown`), and Save spins while it is pending. */
  save: { error: unknown; isPending: boolean };
  shown: string[];
  children: ReactNode;
}

/** A modal holding one form: error summary, the inputs, then Cancel / Save. */
export function FormModal({ title, onClose, onSubmit, save, shown, children }: FormModalProps) {
  const { t } = useTranslation();
  return (
    <Modal opened onClose={onClose} title={title} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
        noValidate
      >
        <Stack>
          <FormErrorAlert error={save.error} shown={shown} />
          {children}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
