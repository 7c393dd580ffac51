import { MultiSelect, Select, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { GROUP_KINDS, type Group, type GroupKind } from '../../shared/api/types';
import { FormModal } from '../../shared/ui/FormModal';
import { useLabels } from '../../shared/ui/labels';
import { GROUPS_KEY, useGroups, useUsers } from '../people/queries';
import { AdminList } from './AdminList';
import { changed, useAdminForm } from './useSave';

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
  const { form, set, save, errors } = useAdminForm<Form, Group>(initial, '/groups', GROUPS_KEY, onClose);

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
    <FormModal title={group ? t('admin.editGroup') : t('admin.newGroup')} onClose={onClose} onSubmit={submit} save={save} shown={SHOWN}>
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
    </FormModal>
  );
}

export function GroupsAdmin() {
  const { t } = useTranslation();
  const l = useLabels();
  const groups = useGroups();
  const users = useUsers(true);
  const userName = (id: string) => users.data?.find((u) => u.id === id)?.name ?? '…';

  return (
    <AdminList<Group>
      newLabel={t('admin.newGroup')}
      rows={groups.data}
      error={groups.error}
      testId="groups-table"
      minWidth={700}
      columns={[
        { key: 'name', header: t('admin.name'), cell: (g) => g.name },
        { key: 'kind', header: t('admin.kind'), cell: (g) => l.groupKind(g.kind) },
        { key: 'countryCode', header: t('admin.countryCode'), cell: (g) => g.countryCode ?? '—' },
        { key: 'members', header: t('admin.members'), cell: (g) => g.memberIds.map(userName).join(', ') || '—' },
      ]}
      nameOf={(g) => g.name}
      renderDialog={(g, onClose) => <GroupDialog group={g} onClose={onClose} />}
    />
  );
}
