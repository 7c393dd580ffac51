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

const RESOLUTION_PARTS = ['rootCause', 'solution', 'actionTaken'] as const;
const EMPTY_RESOLUTION: Resolution = { rootCause: '', solution: '', actionTaken: '' };

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
  const [resolution, setResolution] = useState<Resolution>(EMPTY_RESOLUTION);

  useEffect(() => {
    if (opened) {
      setReasonCodeId(initial?.reasonCodeId ?? null);
      setResolution({ ...EMPTY_RESOLUTION, ...initial?.resolution });
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
          onSubmit({ reasonCodeId, resolution });
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
          {RESOLUTION_PARTS.map((part, i) => (
            <Textarea
              key={part}
              label={t(`resolution.${part}`)}
              required
              autosize
              minRows={2}
              value={resolution[part]}
              onChange={(e) => {
                const value = e.currentTarget.value;
                setResolution((r) => ({ ...r, [part]: value }));
              }}
              // A whole-resolution error belongs under its first part.
              error={errors[`resolution.${part}`] ?? (i === 0 ? resolutionError : undefined)}
            />
          ))}
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
