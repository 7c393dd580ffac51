import type { ReactNode } from 'react';
import { Table, type TableTdProps, type TableTrProps } from '@mantine/core';

export interface Column<T> {
  /** React key for the column; also handy when reading a column list. */
  key: string;
  /** Header cell content; leave out for an empty header (e.g. an actions column). */
  header?: ReactNode;
  cell: (row: T) => ReactNode;
  /** Extra props for every body cell of this column (className, lang, …). */
  tdProps?: TableTdProps;
}

interface DataTableProps<T extends { id: string }> {
  rows: readonly T[];
  columns: readonly Column<T>[];
  testId: string;
  minWidth: number;
  /** Extra props per body row (opacity, className, onClick, …). */
  rowProps?: (row: T) => TableTrProps;
}

/** A scrollable, hover-highlighted table drawn from a column description. */
export function DataTable<T extends { id: string }>({ rows, columns, testId, minWidth, rowProps }: DataTableProps<T>) {
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table highlightOnHover data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c.key}>{c.header}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.id} {...rowProps?.(row)}>
              {columns.map((c) => (
                <Table.Td key={c.key} {...c.tdProps}>
                  {c.cell(row)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
