import type { Reconciliation, Rejection } from '../../core/types';
import type { SiteData } from '../data';

/** Up to this many rejected rows the page lists every one, by file; above it, counts and the first rows of each reason. */
export const FULL_LIST_MAX = 500;
/** Rows shown per reason when the list is summarised; rejected.csv has them all. */
export const ROWS_PER_REASON = 5;

/**
 * The kind of a rejection, for counting: the reason's first clause, before the offending value
 * ("未知类别：文体类（应为…）" → "未知类别"), with numbers replaced by # so "字段数为 7，表头为 9" and
 * "字段数为 8，表头为 9" count together. Both languages, "zh / en" as in the reason.
 */
export function reasonKind(reason: string): string {
  const [zh, en = ''] = reason.split(' / ');
  const head = (text: string, stop: RegExp) => text.split(stop)[0].replace(/\d+(\.\d+)?/g, '#').trim();
  return `${head(zh, /[；：]/)} / ${head(en, /[;:]/)}`;
}

export interface ReasonGroup {
  kind: string;
  n: number;
  /** Files with rows of this kind, with how many each. */
  files: { file: string; n: number }[];
  /** The first rows of this kind, in file/line order. */
  first: Rejection[];
}

export interface QualityView {
  rec: Reconciliation;
  balanced: boolean;
  total: number;
  /** Every row, grouped by file (only when total ≤ FULL_LIST_MAX). */
  byFileRows: { file: string; rows: Rejection[] }[] | null;
  byReason: ReasonGroup[];
  byFile: { file: string; n: number }[];
}

/** /quality/: reconciliation, counts of rejected rows by reason and by file, and the rows themselves or the first of each reason. */
export function qualityView(data: SiteData): QualityView {
  const rec = data.reconciliation();
  const rej = data.rejections();
  const groups = new Map<string, { n: number; files: Map<string, number>; first: Rejection[] }>();
  const files = new Map<string, Rejection[]>();
  for (const r of rej) {
    const kind = reasonKind(r.reason);
    let g = groups.get(kind);
    if (!g) groups.set(kind, (g = { n: 0, files: new Map(), first: [] }));
    g.n++;
    g.files.set(r.file, (g.files.get(r.file) ?? 0) + 1);
    if (g.first.length < ROWS_PER_REASON) g.first.push(r);
    const list = files.get(r.file);
    if (list) list.push(r);
    else files.set(r.file, [r]);
  }
  const byName = <T extends { file: string }>(a: T, b: T) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  const byReason = [...groups]
    .map(([kind, g]) => ({ kind, n: g.n, files: [...g.files].map(([file, n]) => ({ file, n })).sort(byName), first: g.first }))
    .sort((a, b) => b.n - a.n || (a.kind < b.kind ? -1 : 1));
  const byFile = [...files].map(([file, rows]) => ({ file, n: rows.length })).sort(byName);
  return {
    rec,
    balanced: rec.rowsRead === rec.accepted + rec.rejected,
    total: rej.length,
    byFileRows: rej.length <= FULL_LIST_MAX ? [...files].map(([file, rows]) => ({ file, rows })).sort(byName) : null,
    byReason,
    byFile,
  };
}
