import { useState, type ReactNode } from 'react';
import { Anchor, Button, Center, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Page } from '../../shared/api/types';
import { DataTable, type Column } from '../../shared/ui/DataTable';
import { ErrorState } from '../../shared/ui/errors';

export interface ListColumn<T> extends Column<T> {
  /** Render this column's cell as a link to the row's page. */
  link?: boolean;
}

interface SearchablePagedListProps<T extends { id: string }> {
  title: ReactNode;
  searchLabel: string;
  searchPlaceholder: string;
  emptyText: ReactNode;
  testId: string;
  /** The paged query for a (debounced, trimmed) search text. */
  usePages: (q: string | undefined) => UseInfiniteQueryResult<InfiniteData<Page<T>>>;
  /** Where a row leads when clicked. */
  hrefOf: (row: T) => string;
  columns: readonly ListColumn<T>[];
}

/** A titled list with a search box, clickable rows and "Load more" paging. */
export function SearchablePagedList<T extends { id: string }>(props: SearchablePagedListProps<T>) {
  const { title, searchLabel, searchPlaceholder, emptyText, testId, usePages, hrefOf } = props;
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 300);
  const pages = usePages(debounced || undefined);
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  const columns: Column<T>[] = props.columns.map((c) =>
    c.link
      ? {
          ...c,
          cell: (row: T) => (
            <Anchor component={Link} to={hrefOf(row)} onClick={(e) => e.stopPropagation()}>
              {c.cell(row)}
            </Anchor>
          ),
        }
      : c,
  );

  return (
    <Stack>
      <Title order={2}>{title}</Title>
      <TextInput label={searchLabel} placeholder={searchPlaceholder} value={q} onChange={(e) => setQ(e.currentTarget.value)} maw={420} type="search" />
      {pages.isPending ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : pages.error ? (
        <ErrorState error={pages.error} />
      ) : items.length === 0 ? (
        <Text c="dimmed">{emptyText}</Text>
      ) : (
        <DataTable<T>
          rows={items}
          columns={columns}
          testId={testId}
          minWidth={600}
          rowProps={(row) => ({ className: 'cd-row-link', onClick: () => void navigate(hrefOf(row)) })}
        />
      )}
      {pages.hasNextPage && (
        <Center>
          <Button variant="default" onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage}>
            {t('tickets.loadMore')}
          </Button>
        </Center>
      )}
    </Stack>
  );
}
