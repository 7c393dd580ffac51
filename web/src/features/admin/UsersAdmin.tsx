import { Badge, Checkbox, Group, MultiSelect, PasswordInput, Select, Switch, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ROLES, type Language, type Role, type User } from '../../shared/api/types';
import { FormModal } from '../../shared/ui/FormModal';
import { useLabels } from '../../shared/ui/labels';
import { USERS_KEY, useGroups, useUsers } from '../people/queries';
import { AdminList, useYesNo } from './AdminList';
import { changed, useAdminForm } from './useSave';

interface Form {
  name: string;
  email: string;
  password: string;
  language: Language;
  roles: Role[];
  groupIds: string[];
  active: boolean;
}

const SHOWN = ['name', 'email', 'password', 'language', 'roles', 'groupIds', 'active'];

function UserDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const l = useLabels();
  const groups = useGroups();
  const initial: Form = user
    ? { ...user, password: '' }
    : { name: '', email: '', password: '', language: 'en', roles: ['agent'], groupIds: [], active: true };
  const { form, set, save, errors } = useAdminForm<Form, User>(initial, '/users', USERS_KEY, onClose);

  const submit = () => {
    if (user) {
      const { password, ...rest } = form;
      const { password: _p, ...prev } = initial;
      const body = changed(prev, rest);
      if (password) body.password = password;
      save.mutate({ id: user.id, body });
    } else {
      const { active: _a, ...body } = form;
      save.mutate({ body });
    }
  };

  return (
    <FormModal title={user ? t('admin.editUser') : t('admin.newUser')} onClose={onClose} onSubmit={submit} save={save} shown={SHOWN}>
      <TextInput label={t('admin.name')} required value={form.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} />
      <TextInput
        label={t('admin.email')}
        type="email"
        required
        value={form.email}
        onChange={(e) => set('email', e.currentTarget.value)}
        error={errors.email}
        classNames={{ input: 'cd-ltr' }}
      />
      <PasswordInput
        visibilityToggleButtonProps={{ 'aria-label': t('common.togglePassword') }}
        label={user ? t('admin.setPassword') : t('admin.password')}
        description={user ? t('admin.setPasswordHint') : undefined}
        required={!user}
        autoComplete="new-password"
        value={form.password}
        onChange={(e) => set('password', e.currentTarget.value)}
        error={errors.password}
      />
      <Select
        label={t('admin.language')}
        data={(['en', 'ar'] as const).map((x) => ({ value: x, label: l.language(x) }))}
        value={form.language}
        onChange={(v) => v && set('language', v as Language)}
        allowDeselect={false}
        error={errors.language}
      />
      <Checkbox.Group label={t('admin.roles')} value={form.roles} onChange={(v) => set('roles', v as Role[])} error={errors.roles}>
        <Group mt={4}>
          {ROLES.map((r) => (
            <Checkbox key={r} value={r} label={l.role(r)} />
          ))}
        </Group>
      </Checkbox.Group>
      <MultiSelect
        label={t('admin.groups')}
        data={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))}
        value={form.groupIds}
        onChange={(v) => set('groupIds', v)}
        searchable
        clearable
        error={errors.groupIds}
      />
      {user && (
        <Switch label={t('admin.active')} checked={form.active} onChange={(e) => set('active', e.currentTarget.checked)} />
      )}
    </FormModal>
  );
}

export function UsersAdmin() {
  const { t } = useTranslation();
  const l = useLabels();
  const yesNo = useYesNo();
  const users = useUsers(true);
  const groups = useGroups();
  const groupName = (id: string) => groups.data?.find((g) => g.id === id)?.name ?? id;

  return (
    <AdminList<User>
      newLabel={t('admin.newUser')}
      rows={users.data}
      error={users.error}
      testId="users-table"
      minWidth={800}
      columns={[
        { key: 'name', header: t('admin.name'), cell: (u) => u.name },
        { key: 'email', header: t('admin.email'), cell: (u) => u.email, tdProps: { className: 'cd-ltr' } },
        {
          key: 'roles',
          header: t('admin.roles'),
          cell: (u) => (
            <Group gap={4}>
              {u.roles.map((r) => (
                // Full role names: "Supervisor" was cut to "SUPERVIS…" in a narrow column.
                <Badge key={r} size="sm" variant="light" style={{ overflow: 'visible' }} styles={{ label: { overflow: 'visible' } }}>
                  {l.role(r)}
                </Badge>
              ))}
            </Group>
          ),
        },
        { key: 'groups', header: t('admin.groups'), cell: (u) => u.groupIds.map(groupName).join(', ') || '—' },
        { key: 'language', header: t('admin.language'), cell: (u) => l.language(u.language) },
        { key: 'active', header: t('admin.active'), cell: (u) => yesNo(u.active) },
      ]}
      nameOf={(u) => u.name}
      isActive={(u) => u.active}
      renderDialog={(u, onClose) => <UserDialog user={u} onClose={onClose} />}
    />
  );
}
