import { Alert, Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams } from 'react-router';
import { hasRole, useCurrentUser } from '../auth/session';
import { CategoriesAdmin } from './CategoriesAdmin';
import { GroupsAdmin } from './GroupsAdmin';
import { ReasonCodesAdmin } from './ReasonCodesAdmin';
import { UsersAdmin } from './UsersAdmin';

const SECTIONS = ['users', 'groups', 'categories', 'reason-codes'] as const;
type Section = (typeof SECTIONS)[number];

export default function AdminPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const { section } = useParams();

  if (!hasRole(me, 'admin')) return <Alert color="red">{t('errors.forbidden')}</Alert>;
  if (!SECTIONS.includes(section as Section)) return <Navigate to="/admin/users" replace />;

  return (
    <Stack>
      <Title order={2}>{t('nav.admin')}</Title>
      <Tabs value={section} onChange={(v) => v && navigate(`/admin/${v}`)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="users">{t('admin.users')}</Tabs.Tab>
          <Tabs.Tab value="groups">{t('admin.groups')}</Tabs.Tab>
          <Tabs.Tab value="categories">{t('admin.categories')}</Tabs.Tab>
          <Tabs.Tab value="reason-codes">{t('admin.reasonCodes')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="users" pt="md">
          <UsersAdmin />
        </Tabs.Panel>
        <Tabs.Panel value="groups" pt="md">
          <GroupsAdmin />
        </Tabs.Panel>
        <Tabs.Panel value="categories" pt="md">
          <CategoriesAdmin />
        </Tabs.Panel>
        <Tabs.Panel value="reason-codes" pt="md">
          <ReasonCodesAdmin />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
