import { useEffect, useState } from 'react';
import { Button, Group, Modal, Select, Stack, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Resolution } from '../../shared/api/types';
import { FormErrorAlert, fieldErrorsOf } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import { useReasonCodes } from './reference';

export interface SolveInput {
  reasonCodeId: string | null;
  resolution: Resolution;
}

const SHOWN = ['reasonCodeId', 'resolution', 'resolution.rootCause', 'resolution.solution', 'resolution.actionTaken'];

export function SolveDialog({
  opened,
  onClose,
  onSubmit,
  pending,
  error,
  initial,
}: {
  opened: boolean;
  onClose: () => void;
  onSubmit: (input: SolveInput) => void;
  pending: boolean;
  error: unknown;
  initial?: Partial<SolveInput>;
}) {
  const { t } = useTranslation();
  const l = useLabels();
  const reasonCodes = useReasonCodes();
  const [reasonCodeId, setReasonCodeId] = useState<string | null>(null);
  const [rootCause, setRootCause] = useState('');
  const [solution, setSolution] = useState('');
  const [actionTaken, setActionTaken] = useState('');

  useEffect(() => {
    if (opened) {
      setReasonCodeId(initial?.reasonCodeId ?? null);
      setRootCause(initial?.resolution?.rootCause ?? '');
      setSolution(initial?.resolution?.solution ?? '');
      setActionTaken(initial?.resolution?.actionTaken ?? '');
    }
    // initial is read when the dialog opens only
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  const errors = fieldErrorsOf(error);
  const resolutionError = errors['resolution'];

  return (
    <Modal opened={opened} onClose={onClose} title={t('solve.title')} size="lg" centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit({ reasonCodeId, resolution: { rootCause, solution, actionTaken } });
        }}
        noValidate
      >
        <Stack>
          <FormErrorAlert error={error} shown={SHOWN} />
          <Select
            label={t('solve.reasonCode')}
            placeholder={t('solve.reasonCodePlaceholder')}
            data={(reasonCodes.data ?? []).map((r) => ({ value: r.id, label: l.name(r) }))}
            value={reasonCodeId}
            onChange={setReasonCodeId}
            searchable
            required
            error={errors['reasonCodeId']}
            comboboxProps={{ withinPortal: true }}
          />
          <Textarea
            label={t('resolution.rootCause')}
            required
            autosize
            minRows={2}
            value={rootCause}
            onChange={(e) => setRootCause(e.currentTarget.value)}
            error={errors['resolution.rootCause'] ?? resolutionError}
          />
          <Textarea
            label={t('resolution.solution')}
            required
            autosize
            minRows={2}
            value={solution}
            onChange={(e) => setSolution(e.currentTarget.value)}
            error={errors['resolution.solution']}
          />
          <Textarea
            label={t('resolution.actionTaken')}
            required
            autosize
            minRows={2}
            value={actionTaken}
            onChange={(e) => setActionTaken(e.currentTarget.value)}
            error={errors['resolution.actionTaken']}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="teal" loading={pending}>
              {t('solve.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
