import { Switch, TextInput } from '@mantine/core';
import type { QueryKey, UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Column } from '../../shared/ui/DataTable';
import { FormModal } from '../../shared/ui/FormModal';
import { AdminList, useYesNo } from './AdminList';
import { changed, useAdminForm } from './useSave';

/**
 * One field of an admin-edited list entry. Field order is both the form order
 * and the table column order.
 * - `id`: the entry's identifier (key/code); required, set once, LTR.
 * - `name`: a required name in one language.
 * - `flag`: an on/off switch, shown as Yes/No in the table.
 */
export type ListField =
  | { kind: 'id'; name: string; label: string; hint?: string }
  | { kind: 'name'; name: string; label: string; lang: 'en' | 'ar' }
  | { kind: 'flag'; name: string; label: string; hint?: string; initial: boolean };

type Values = Record<string, string | boolean>;

/** An entry of such a list: every field's value plus the fixed ones the screen relies on. */
export interface ListEntry {
  id: string;
  nameEn: string;
  active: boolean;
}

export interface ListEditorConfig {
  /** API collection, e.g. '/categories'. */
  endpoint: string;
  queryKey: QueryKey;
  fields: readonly ListField[];
  testId: string;
  minWidth: number;
  /** i18n keys of the "new" / "edit" dialog titles; `newTitle` is also the button text. */
  newTitle: string;
  editTitle: string;
}

const blank = (f: ListField): string | boolean => (f.kind === 'flag' ? f.initial : '');

function ListEntryDialog<T extends ListEntry>({ config, entry, onClose }: { config: ListEditorConfig; entry: T | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { fields } = config;
  const valuesOf = (e: T) => Object.fromEntries(fields.map((f) => [f.name, (e as unknown as Values)[f.name]!])) as Values;
  const initial: Values = entry ? valuesOf(entry) : Object.fromEntries(fields.map((f) => [f.name, blank(f)]));
  const { form, set, save, errors } = useAdminForm<Values, T>(initial, config.endpoint, config.queryKey, onClose);

  const submit = () => {
    if (entry) {
      // The identifier is fixed once created: send only the other fields that changed.
      const editable = (v: Values) => Object.fromEntries(Object.entries(v).filter(([k]) => fields.find((f) => f.name === k)?.kind !== 'id'));
      save.mutate({ id: entry.id, body: changed(editable(initial), editable(form)) });
    } else save.mutate({ body: { ...form } });
  };

  return (
    <FormModal
      title={entry ? t(config.editTitle) : t(config.newTitle)}
      onClose={onClose}
      onSubmit={submit}
      save={save}
      shown={fields.map((f) => f.name)}
    >
      {fields.map((f) => {
        switch (f.kind) {
          case 'id':
            return (
              <TextInput
                key={f.name}
                label={t(f.label)}
                description={f.hint && t(f.hint)}
                required
                disabled={!!entry}
                value={form[f.name] as string}
                onChange={(e) => set(f.name, e.currentTarget.value)}
                error={errors[f.name]}
                classNames={{ input: 'cd-ltr' }}
              />
            );
          case 'name':
            return (
              <TextInput
                key={f.name}
                label={t(f.label)}
                required
                value={form[f.name] as string}
                onChange={(e) => set(f.name, e.currentTarget.value)}
                error={errors[f.name]}
                lang={f.lang}
                dir={f.lang === 'ar' ? 'rtl' : undefined}
              />
            );
          case 'flag':
            return (
              <Switch
                key={f.name}
                label={t(f.label)}
                description={f.hint && t(f.hint)}
                checked={form[f.name] as boolean}
                onChange={(e) => set(f.name, e.currentTarget.checked)}
              />
            );
        }
      })}
    </FormModal>
  );
}

/** List + create/edit dialog for an admin-edited list (categories, reason codes, …) described by `config`. */
export function AdminListEditor<T extends ListEntry>({ config, query }: { config: ListEditorConfig; query: UseQueryResult<T[]> }) {
  const { t } = useTranslation();
  const yesNo = useYesNo();
  const columns: Column<T>[] = config.fields.map((f) => {
    const value = (row: T) => (row as unknown as Values)[f.name];
    return {
      key: f.name,
      header: t(f.label),
      cell: f.kind === 'flag' ? (row) => yesNo(value(row) as boolean) : (row) => value(row) as string,
      tdProps: f.kind === 'id' ? { className: 'cd-ltr' } : f.kind === 'name' ? { lang: f.lang } : undefined,
    };
  });
  return (
    <AdminList<T>
      newLabel={t(config.newTitle)}
      rows={query.data}
      error={query.error}
      columns={columns}
      testId={config.testId}
      minWidth={config.minWidth}
      nameOf={(row) => row.nameEn}
      isActive={(row) => row.active}
      renderDialog={(row, onClose) => <ListEntryDialog config={config} entry={row} onClose={onClose} />}
    />
  );
}
