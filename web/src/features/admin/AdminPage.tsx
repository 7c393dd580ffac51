import type { ComponentType } from 'react';
import { Alert, Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams } from 'react-router';
import { hasRole, useCurrentUser } from '../auth/session';
import { EmailAdmin } from '../email/EmailAdmin';
import { MailboxesAdmin } from '../email/MailboxesAdmin';
import { CategoriesAdmin } from './CategoriesAdmin';
import { GroupsAdmin } from './GroupsAdmin';
import { ReasonCodesAdmin } from './ReasonCodesAdmin';
import { UsersAdmin } from './UsersAdmin';
import { SlaCalendarsAdmin } from './SlaCalendarsAdmin';
import { SlaPoliciesAdmin } from './SlaPoliciesAdmin';
import { SlaLaddersAdmin } from './SlaLaddersAdmin';
import { SlaGroupsAdmin } from './SlaGroupsAdmin';
import { RoutingRulesAdmin } from './RoutingRulesAdmin';
import { CurrencyRatesAdmin } from './CurrencyRatesAdmin';
import { ConnectorsAdmin } from '../social/ConnectorsAdmin';
import { CallScriptsAdmin } from '../phone/CallScriptsAdmin';

const SECTIONS = ['users', 'groups', 'categories', 'reason-codes', 'mailboxes', 'email', 'connectors', 'call-scripts', 'sla-calendars', 'sla-policies', 'sla-ladders', 'sla-groups', 'routing', 'currency-rates'] as const;
type Section = (typeof SECTIONS)[number];

/** Tab label (i18n key) and screen of each section, in tab order. */
const SCREENS: Record<Section, { label: string; Screen: ComponentType }> = {
  users: { label: 'admin.users', Screen: UsersAdmin },
  groups: { label: 'admin.groups', Screen: GroupsAdmin },
  categories: { label: 'admin.categories', Screen: CategoriesAdmin },
  'reason-codes': { label: 'admin.reasonCodes', Screen: ReasonCodesAdmin },
  mailboxes: { label: 'admin.mailboxes', Screen: MailboxesAdmin },
  email: { label: 'admin.emailTab', Screen: EmailAdmin },
  connectors: { label: 'admin.connectors', Screen: ConnectorsAdmin },
  'call-scripts': { label: 'phone.scriptEditor', Screen: CallScriptsAdmin },
  'sla-calendars': { label: 'sla.admin.calendarsTab', Screen: SlaCalendarsAdmin },
  'sla-policies': { label: 'sla.admin.policiesTab', Screen: SlaPoliciesAdmin },
  'sla-ladders': { label: 'sla.ladder.tab', Screen: SlaLaddersAdmin },
  'sla-groups': { label: 'sla.groups.tab', Screen: SlaGroupsAdmin },
  routing: { label: 'routingAdmin.tab', Screen: RoutingRulesAdmin },
  'currency-rates': { label: 'ratesAdmin.tab', Screen: CurrencyRatesAdmin },
};

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
          {SECTIONS.map((s) => (
            <Tabs.Tab key={s} value={s}>
              {t(SCREENS[s].label)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {SECTIONS.map((s) => {
          const { Screen } = SCREENS[s];
          return (
            <Tabs.Panel key={s} value={s} pt="md">
              <Screen />
            </Tabs.Panel>
          );
        })}
      </Tabs>
    </Stack>
  );
}
