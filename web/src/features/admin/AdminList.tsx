import { useState, type ReactNode } from 'react';
import { Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DataTable, type Column } from '../../shared/ui/DataTable';
import { ErrorState } from '../../shared/ui/errors';

interface AdminListProps<T extends { id: string }> {
  /** Text of the "new …" button above the table. */
  newLabel: string;
  rows: readonly T[] | undefined;
  error: unknown;
  columns: readonly Column<T>[];
  testId: string;
  minWidth: number;
  /** Name used in the Edit button's accessible label. */
  nameOf: (row: T) => string;
  /** Rows for which this is false are shown dimmed. */
  isActive?: (row: T) => boolean;
  /** The create (row null) / edit dialog. */
  renderDialog: (row: T | null, onClose: () => void) => ReactNode;
  /** More buttons for a row, shown before its Edit button (e.g. "Poll now"). */
  rowActions?: (row: T) => ReactNode;
  /** Shown under the table when the list has loaded and is empty. */
  empty?: ReactNode;
}

/** An admin screen: a "new" button, a table with an Edit button per row, and the create/edit dialog. */
export function AdminList<T extends { id: string }>(props: AdminListProps<T>) {
  const { newLabel, rows, error, columns, testId, minWidth, nameOf, isActive, renderDialog, rowActions, empty } = props;
  const { t } = useTranslation();
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const withEdit: Column<T>[] = [
    ...columns,
    {
      key: 'edit',
      cell: (row) => (
        <Group gap={4} wrap="nowrap">
          {rowActions?.(row)}
          <Button size="compact-sm" variant="subtle" onClick={() => setEditing(row)} aria-label={t('admin.editNamed', { name: nameOf(row) })}>
            {t('common.edit')}
          </Button>
        </Group>
      ),
    },
  ];
  return (
    <Stack>
      <Group justify="flex-end">
        <Button onClick={() => setEditing('new')}>{newLabel}</Button>
      </Group>
      {!!error && <ErrorState error={error} />}
      <DataTable<T>
        rows={rows ?? []}
        columns={withEdit}
        testId={testId}
        minWidth={minWidth}
        rowProps={isActive && ((row) => ({ opacity: isActive(row) ? 1 : 0.55 }))}
      />
      {empty && rows?.length === 0 && (
        <Text c="dimmed" ta="center" py="md" data-testid={`${testId}-empty`}>
          {empty}
        </Text>
      )}
      {editing && renderDialog(editing === 'new' ? null : editing, () => setEditing(null))}
    </Stack>
  );
}

/** Cell text for a yes/no value. */
export function useYesNo() {
  const { t } = useTranslation();
  return (v: boolean) => (v ? t('common.yes') : t('common.no'));
}
