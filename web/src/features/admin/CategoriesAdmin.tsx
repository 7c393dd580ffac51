import { useState } from 'react';
import { Button, Group, Modal, Stack, Switch, Table, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Category } from '../../shared/api/types';
import { ErrorState, FormErrorAlert, fieldErrorsOf } from '../../shared/ui/errors';
import { CATEGORIES_KEY, useCategories } from '../tickets/reference';
import { changed, useSave } from './useSave';

interface Form {
  key: string;
  nameEn: string;
  nameAr: string;
  shipmentRelated: boolean;
  active: boolean;
}
const SHOWN = ['key', 'nameEn', 'nameAr', 'shipmentRelated', 'active'];

function CategoryDialog({ category, onClose }: { category: Category | null; onClose: () => void }) {
  const { t } = useTranslation();
  const initial: Form = category
    ? { key: category.key, nameEn: category.nameEn, nameAr: category.nameAr, shipmentRelated: category.shipmentRelated, active: category.active }
    : { key: '', nameEn: '', nameAr: '', shipmentRelated: false, active: true };
  const [form, setForm] = useState<Form>(initial);
  const save = useSave<Category>('/categories', CATEGORIES_KEY, onClose);
  const errors = fieldErrorsOf(save.error);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));

  const submit = () => {
    if (category) {
      const { key: _k, ...next } = form;
      const { key: _k2, ...prev } = initial;
      save.mutate({ id: category.id, body: changed(prev, next) });
    } else save.mutate({ body: { ...form } });
  };

  return (
    <Modal opened onClose={onClose} title={category ? t('admin.editCategory') : t('admin.newCategory')} size="lg">
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
            label={t('admin.key')}
            description={t('admin.keyHint')}
            required
            disabled={!!category}
            value={form.key}
            onChange={(e) => set('key', e.currentTarget.value)}
            error={errors.key}
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
          <Switch
            label={t('admin.shipmentRelated')}
            description={t('admin.shipmentRelatedHint')}
            checked={form.shipmentRelated}
            onChange={(e) => set('shipmentRelated', e.currentTarget.checked)}
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

export function CategoriesAdmin() {
  const { t } = useTranslation();
  const categories = useCategories(true);
  const [editing, setEditing] = useState<Category | 'new' | null>(null);
  return (
    <Stack>
      <Group justify="flex-end">
        <Button onClick={() => setEditing('new')}>{t('admin.newCategory')}</Button>
      </Group>
      {categories.error && <ErrorState error={categories.error} />}
      <Table.ScrollContainer minWidth={700}>
        <Table highlightOnHover data-testid="categories-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.key')}</Table.Th>
              <Table.Th>{t('admin.nameEn')}</Table.Th>
              <Table.Th>{t('admin.nameAr')}</Table.Th>
              <Table.Th>{t('admin.shipmentRelated')}</Table.Th>
              <Table.Th>{t('admin.active')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(categories.data ?? []).map((c) => (
              <Table.Tr key={c.id} opacity={c.active ? 1 : 0.55}>
                <Table.Td className="cd-ltr">{c.key}</Table.Td>
                <Table.Td lang="en">{c.nameEn}</Table.Td>
                <Table.Td lang="ar">{c.nameAr}</Table.Td>
                <Table.Td>{c.shipmentRelated ? t('common.yes') : t('common.no')}</Table.Td>
                <Table.Td>{c.active ? t('common.yes') : t('common.no')}</Table.Td>
                <Table.Td>
                  <Button size="compact-sm" variant="subtle" onClick={() => setEditing(c)} aria-label={t('admin.editNamed', { name: c.nameEn })}>
                    {t('common.edit')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing && <CategoryDialog category={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}
