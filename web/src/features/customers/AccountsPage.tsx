import { useTranslation } from 'react-i18next';
import type { Account } from '../../shared/api/types';
import { useLabels } from '../../shared/ui/labels';
import { useAccountPages } from './queries';
import { SearchablePagedList } from './SearchablePagedList';
import { TierBadge } from './TierBadge';

const useAccountSearch = (q: string | undefined) => useAccountPages({ q });

export default function AccountsPage() {
  const { t } = useTranslation();
  const l = useLabels();
  return (
    <SearchablePagedList<Account>
      title={t('nav.accounts')}
      searchLabel={t('accounts.search')}
      searchPlaceholder={t('accounts.searchPlaceholder')}
      emptyText={t('accounts.empty')}
      testId="accounts-table"
      usePages={useAccountSearch}
      hrefOf={(a) => `/accounts/${a.id}`}
      columns={[
        { key: 'name', header: t('accounts.name'), cell: (a) => a.name, link: true },
        { key: 'tier', header: t('accounts.tier'), cell: (a) => <TierBadge tier={a.tier} /> },
        { key: 'country', header: t('accounts.country'), cell: (a) => a.countryCode ?? '—' },
        { key: 'officer', header: t('accounts.officer'), cell: (a) => a.officer?.name ?? '—' },
        { key: 'updated', header: t('ticket.updated'), cell: (a) => l.dateTime(a.updatedAt) },
      ]}
    />
  );
}
