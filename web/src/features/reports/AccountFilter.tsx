import { useState } from 'react';
import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../shared/api/client';
import type { Account, Page } from '../../shared/api/types';

/** The account filter: searches accounts on the server as the user types (there may be thousands). */
export function AccountFilter({ value, onChange }: { value: string | null; onChange: (id: string | null) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const list = useQuery({
    queryKey: ['accounts', 'report-filter', q],
    queryFn: ({ signal }) => get<Page<Account>>('/accounts', { q: q || undefined, limit: 25 }, signal),
  });
  const chosen = useQuery({ queryKey: ['account', value], queryFn: () => get<Account>(`/accounts/${value}`), enabled: !!value });
  const items = list.data?.items ?? [];
  const data = [...(chosen.data && !items.some((a) => a.id === chosen.data!.id) ? [chosen.data] : []), ...items].map((a) => ({ value: a.id, label: a.name }));
  return (
    <Select
      label={t('reports.filter.account')}
      placeholder={t('reports.filter.all')}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      clearable
      w={220}
    />
  );
}
