import { useState } from 'react';
import {
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Table,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ROLES, type Language, type Role, type User } from '../../shared/api/types';
import { ErrorState, FormErrorAlert, fieldErrorsOf } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import { USERS_KEY, useGroups, useUsers } from '../people/queries';
import { changed, useSave } from './useSave';

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
  const [form, setForm] = useState<Form>(initial);
  const save = useSave<User>('/users', USERS_KEY, onClose);
  const errors = fieldErrorsOf(save.error);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));

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
    <Modal opened onClose={onClose} title={user ? t('admin.editUser') : t('admin.newUser')} size="lg">
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

export function UsersAdmin() {
  const { t } = useTranslation();
  const l = useLabels();
  const users = useUsers(true);
  const groups = useGroups();
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const groupName = (id: string) => groups.data?.find((g) => g.id === id)?.name ?? id;

  return (
    <Stack>
      <Group justify="flex-end">
        <Button onClick={() => setEditing('new')}>{t('admin.newUser')}</Button>
      </Group>
      {users.error && <ErrorState error={users.error} />}
      <Table.ScrollContainer minWidth={800}>
        <Table highlightOnHover data-testid="users-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.name')}</Table.Th>
              <Table.Th>{t('admin.email')}</Table.Th>
              <Table.Th>{t('admin.roles')}</Table.Th>
              <Table.Th>{t('admin.groups')}</Table.Th>
              <Table.Th>{t('admin.language')}</Table.Th>
              <Table.Th>{t('admin.active')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(users.data ?? []).map((u) => (
              <Table.Tr key={u.id} opacity={u.active ? 1 : 0.55}>
                <Table.Td>{u.name}</Table.Td>
                <Table.Td className="cd-ltr">{u.email}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {u.roles.map((r) => (
                      <Badge key={r} size="sm" variant="light">
                        {l.role(r)}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{u.groupIds.map(groupName).join(', ') || '—'}</Table.Td>
                <Table.Td>{l.language(u.language)}</Table.Td>
                <Table.Td>{u.active ? t('common.yes') : t('common.no')}</Table.Td>
                <Table.Td>
                  <Button size="compact-sm" variant="subtle" onClick={() => setEditing(u)} aria-label={t('admin.editNamed', { name: u.name })}>
                    {t('common.edit')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing && <UserDialog user={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}
