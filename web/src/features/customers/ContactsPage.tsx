import { useTranslation } from 'react-i18next';
import type { Contact } from '../../shared/api/types';
import { useContactPages } from './queries';
import { SearchablePagedList } from './SearchablePagedList';

const useContactSearch = (q: string | undefined) => useContactPages({ q });

export default function ContactsPage() {
  const { t } = useTranslation();
  return (
    <SearchablePagedList<Contact>
      title={t('nav.contacts')}
      searchLabel={t('contacts.search')}
      searchPlaceholder={t('contacts.searchPlaceholder')}
      emptyText={t('contacts.empty')}
      testId="contacts-table"
      usePages={useContactSearch}
      hrefOf={(c) => `/contacts/${c.id}`}
      columns={[
        { key: 'name', header: t('contacts.name'), cell: (c) => c.name, link: true },
        { key: 'identities', header: t('contacts.identities'), cell: (c) => <span className="cd-ltr">{c.identities.map((i) => i.value).join(', ')}</span> },
        { key: 'account', header: t('ticket.account'), cell: (c) => c.account?.name ?? '—' },
      ]}
    />
  );
}
