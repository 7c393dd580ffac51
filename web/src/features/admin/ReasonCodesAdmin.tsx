import { useState } from 'react';
import { Button, Group, Modal, Stack, Switch, Table, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ReasonCode } from '../../shared/api/types';
import { ErrorState, FormErrorAlert, fieldErrorsOf } from '../../shared/ui/errors';
import { REASON_CODES_KEY, useReasonCodes } from '../tickets/reference';
import { changed, useSave } from './useSave';

interface Form {
  code: string;
  nameEn: string;
  nameAr: string;
  active: boolean;
}
const SHOWN = ['code', 'nameEn', 'nameAr', 'active'];

function ReasonCodeDialog({ reason, onClose }: { reason: ReasonCode | null; onClose: () => void }) {
  const { t } = useTranslation();
  const initial: Form = reason
    ? { code: reason.code, nameEn: reason.nameEn, nameAr: reason.nameAr, active: reason.active }
    : { code: '', nameEn: '', nameAr: '', active: true };
  const [form, setForm] = useState<Form>(initial);
  const save = useSave<ReasonCode>('/reason-codes', REASON_CODES_KEY, onClose);
  const errors = fieldErrorsOf(save.error);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));

  const submit = () => {
    if (reason) {
      const { code: _c, ...next } = form;
      const { code: _c2, ...prev } = initial;
      save.mutate({ id: reason.id, body: changed(prev, next) });
    } else save.mutate({ body: { ...form } });
  };

  return (
    <Modal opened onClose={onClose} title={reason ? t('admin.editReasonCode') : t('admin.newReasonCode')} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        noValidate
      >
        <Stack>
          <FormErrorAlert error={save.error} shown={SHOWN} />
          <TextInput
            label={t('admin.code')}
            required
            disabled={!!reason}
            value={form.code}
            onChange={(e) => set('code', e.currentTarget.value)}
            error={errors.code}
            classNames={{ input: 'cd-ltr' }}
          />
          <TextInput label={t('admin.nameEn')} required value={form.nameEn} onChange={(e) => set('nameEn', e.currentTarget.value)} error={errors.nameEn} lang="en" />
          <TextInput
            label={t('admin.nameAr')}
            required
            value={form.nameAr}
            onChange={(e) => set('nameAr', e.currentTarget.value)}
            error={errors.nameAr}
            lang="ar"
            dir="rtl"
          />
          <Switch label={t('admin.active')} checked={form.active} onChange={(e) => set('active', e.currentTarget.checked)} />
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

export function ReasonCodesAdmin() {
  const { t } = useTranslation();
  const reasons = useReasonCodes(true);
  const [editing, setEditing] = useState<ReasonCode | 'new' | null>(null);
  return (
    <Stack>
      <Group justify="flex-end">
        <Button onClick={() => setEditing('new')}>{t('admin.newReasonCode')}</Button>
      </Group>
      {reasons.error && <ErrorState error={reasons.error} />}
      <Table.ScrollContainer minWidth={600}>
        <Table highlightOnHover data-testid="reason-codes-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.code')}</Table.Th>
              <Table.Th>{t('admin.nameEn')}</Table.Th>
              <Table.Th>{t('admin.nameAr')}</Table.Th>
              <Table.Th>{t('admin.active')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(reasons.data ?? []).map((r) => (
              <Table.Tr key={r.id} opacity={r.active ? 1 : 0.55}>
                <Table.Td className="cd-ltr">{r.code}</Table.Td>
                <Table.Td lang="en">{r.nameEn}</Table.Td>
                <Table.Td lang="ar">{r.nameAr}</Table.Td>
                <Table.Td>{r.active ? t('common.yes') : t('common.no')}</Table.Td>
                <Table.Td>
                  <Button size="compact-sm" variant="subtle" onClick={() => setEditing(r)} aria-label={t('admin.editNamed', { name: r.nameEn })}>
                    {t('common.edit')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing && <ReasonCodeDialog reason={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}
