import { t, type Lang } from '../../../i18n/strings';
import { statusLabel, type AnyStatus } from '../format';

/**
 * What src/components/DataTable.astro renders in one cell: its text, and the data-sort key that
 * public/scripts/sort-table.js sorts by when the text does not say it exactly.
 */

/** A cell as pages pass it: text, a number, nothing (shown as "—"), a text with its own sort key or link, or a status. */
export type TableCell = string | number | null | { text: string; sort?: string | number | null; href?: string } | { status: AnyStatus };

export interface TableCellView {
  text: string;
  /** data-sort, or undefined when the text sorts as it is */
  sort?: string;
  href?: string;
  status?: AnyStatus;
  symbol?: string;
}

/**
 * data-sort is written only for numbers and explicit sort keys; text cells sort by their text content, so
 * user-supplied text never lands in an attribute (Astro escapes quotes there, not '<'). A national build has ~6,700
 * briefings of tables: a key the cell's text already says exactly ("1,364" for 1364, "0.80" for 0.8) is left out
 * and the script reads the text (thousands separators aside). A blank ("—") needs none either: its text is no
 * number, which the script sorts last like an empty key; a status sorts by its text (symbol and word), which groups
 * the same statuses together.
 */
export function tableCellView(cell: TableCell | undefined, numeric: boolean, lang: Lang): TableCellView {
  if (cell === null || cell === undefined) return { text: t(lang, 'common.none') };
  if (typeof cell === 'number') {
    const text = String(cell);
    return numeric && !Number.isNaN(cell) ? { text } : { text, sort: text };
  }
  if (typeof cell === 'string') return { text: cell };
  if ('status' in cell) {
    const label = statusLabel(cell.status, lang);
    return { text: label.text, status: cell.status, symbol: label.symbol };
  }
  const sort = cell.sort === null || cell.sort === undefined || cell.sort === '' ? undefined : String(cell.sort);
  const said = sort !== undefined && numeric && Number(cell.text.replace(/,/g, '')) === Number(sort);
  return { text: cell.text, sort: said ? undefined : sort, href: cell.href };
}
