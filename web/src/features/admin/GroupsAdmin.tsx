import { useState } from 'react';
import { Button, Group as Row, Modal, MultiSelect, Select, Stack, Table, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { GROUP_KINDS, type Group, type GroupKind } from '../../shared/api/types';
import { ErrorState, FormErrorAlert, fieldErrorsOf } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import { GROUPS_KEY, useGroups, useUsers } from '../people/queries';
import { changed, useSave } from './useSave';

interface Form {
  name: string;
  countryCode: string;
  kind: GroupKind;
  memberIds: string[];
}
const SHOWN = ['name', 'countryCode', 'kind', 'memberIds'];

function GroupDialog({ group, onClose }: { group: Group | null; onClose: () => void }) {
  const { t } = useTranslation();
  const l = useLabels();
  const users = useUsers(true);
  const initial: Form = group
    ? { name: group.name, countryCode: group.countryCode ?? '', kind: group.kind, memberIds: group.memberIds }
    : { name: '', countryCode: '', kind: 'customer-service', memberIds: [] };
  const [form, setForm] = useState<Form>(initial);
  const save = useSave<Group>('/groups', GROUPS_KEY, onClose);
  const errors = fieldErrorsOf(save.error);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));

  const submit = () => {
    const country = form.countryCode.trim().toUpperCase();
    const next = { ...form, countryCode: country || null };
    const prev = { ...initial, countryCode: initial.countryCode || null };
    if (group) save.mutate({ id: group.id, body: changed(prev, next) });
    else {
      const body: Record<string, unknown> = { name: form.name, kind: form.kind, memberIds: form.memberIds };
      if (country) body.countryCode = country;
      save.mutate({ body });
    }
  };

  return (
    <Modal opened onClose={onClose} title={group ? t('admin.editGroup') : t('admin.newGroup')} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        noValidate
      >
        <Stack>
          <FormErrorAlert error={save.error} shown={SHOWN} />
          <TextInput label={t('admin.name')} required value={form.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} />
          <TextInput
            label={t('admin.countryCode')}
            description={t('admin.countryCodeHint')}
            maxLength={2}
            value={form.countryCode}
            onChange={(e) => set('countryCode', e.currentTarget.value)}
            error={errors.countryCode}
          />
          <Select
            label={t('admin.kind')}
            data={GROUP_KINDS.map((k) => ({ value: k, label: l.groupKind(k) }))}
            value={form.kind}
            onChange={(v) => v && set('kind', v as GroupKind)}
            allowDeselect={false}
            error={errors.kind}
          />
          <MultiSelect
            label={t('admin.members')}
            data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
            value={form.memberIds}
            onChange={(v) => set('memberIds', v)}
            searchable
            clearable
            error={errors.memberIds}
          />
          <Row justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Row>
        </Stack>
      </form>
    </Modal>
  );
}

export function GroupsAdmin() {
  const { t } = useTranslation();
  const l = useLabels();
  const groups = useGroups();
  const users = useUsers(true);
  const [editing, setEditing] = useState<Group | 'new' | null>(null);
  const userName = (id: string) => users.data?.find((u) => u.id === id)?.name ?? '…';

  return (
    <Stack>
      <Row justify="flex-end">
        <Button onClick={() => setEditing('new')}>{t('admin.newGroup')}</Button>
      </Row>
      {groups.error && <ErrorState error={groups.error} />}
      <Table.ScrollContainer minWidth={700}>
        <Table highlightOnHover data-testid="groups-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.name')}</Table.Th>
              <Table.Th>{t('admin.kind')}</Table.Th>
              <Table.Th>{t('admin.countryCode')}</Table.Th>
              <Table.Th>{t('admin.members')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(groups.data ?? []).map((g) => (
              <Table.Tr key={g.id}>
                <Table.Td>{g.name}</Table.Td>
                <Table.Td>{l.groupKind(g.kind)}</Table.Td>
                <Table.Td>{g.countryCode ?? '—'}</Table.Td>
                <Table.Td>{g.memberIds.map(userName).join(', ') || '—'}</Table.Td>
                <Table.Td>
                  <Button size="compact-sm" variant="subtle" onClick={() => setEditing(g)} aria-label={t('admin.editNamed', { name: g.name })}>
                    {t('common.edit')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing && <GroupDialog group={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}
