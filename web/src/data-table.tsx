import type { ReactNode } from 'react';
import { Loading, TableWrap } from './components';

export interface Column<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
}

/**
 * A list page's table: "Loading" until the rows arrive (nothing when loading failed: the page shows
 * the problem), then one row a record with the page's columns and, last, its buttons under a
 * header that only screen readers hear.
 */
export function DataTable<Row extends { id: string }>({
  label,
  rows,
  loadError,
  columns,
  actions,
  actionsHeader = 'Actions',
  className,
  rowProps,
  empty,
}: {
  /** The table's name, for the scroll region on a narrow screen. */
  label: string;
  rows: Row[] | undefined;
  loadError: unknown;
  columns: Column<Row>[];
  actions: (row: Row) => ReactNode;
  actionsHeader?: string;
  className?: string;
  /** Attributes of a row (its test id, or its id as a link target). */
  rowProps?: (row: Row) => Record<string, string>;
  /** Shown instead of the table when there are no rows; absent: an empty table. */
  empty?: ReactNode;
}) {
  if (rows === undefined) return loadError === null ? <Loading /> : null;
  if (rows.length === 0 && empty !== undefined) return empty;
  return (
    <TableWrap label={label}>
      <table className={className}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header}>{column.header}</th>
            ))}
            <th>
              <span className="visually-hidden">{actionsHeader}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} {...rowProps?.(row)}>
              {columns.map((column) => (
                <td key={column.header}>{column.cell(row)}</td>
              ))}
              <td>{actions(row)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
