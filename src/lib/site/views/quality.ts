import { t, type Lang, type StringKey } from '../../../i18n/strings';
import type { FileReconciliation, SkipKind } from '../../core/types';
import type { SiteData } from '../data';
import { formatInt, pickLang, punct } from '../format';

/**
 * /quality/: the reconciliation (rows read = accepted + rejected + skipped, per file and per
 * worksheet), counts by reason and by file, every rejected row, every warning, every skipped row
 * and worksheet, and the reader's notes on files and sheets. Only what the pipeline wrote
 * (build/site/reconciliation.json, rejections.json, warnings.json, skipped.json, notes.json) is shown.
 */

type Cell = string | number | null | { text: string; sort?: string | number | null };
export interface QualityTable {
  id: string;
  heading: string;
  caption: string;
  columns: { key: string; label: string; numeric?: boolean }[];
  rows: Record<string, Cell>[];
}

/** A file, or a worksheet of a workbook: "organizations/台账.xlsx · 白马镇". */
const whereOf = (file: string, sheet: string | undefined) => (sheet ? `${file} · ${sheet}` : file);

/**
 * What a reason is about, without its particulars (values, dates, numbers): the text before its
 * first "：" / "（" / "；" (":" "(" ";" in English), digits replaced by "…". Rows are counted by it.
 */
export function reasonKey(text: string, lang: Lang): string {
  const half = pickLang(text, lang).replace(/^(跳过工作表：|worksheet skipped: )/, '');
  const cut = lang === 'en' ? /[:(;]/ : /[：（；]/;
  const at = half.search(cut);
  const head = (at > 0 ? half.slice(0, at) : half).trim();
  return head.replace(/\d{4}-\d{2}-\d{2}|\d+(\.\d+)?/g, '…');
}

const SKIP_KIND_KEY: Record<SkipKind, StringKey> = {
  total: 'quality.skip_total',
  footer: 'quality.skip_footer',
  blank: 'quality.skip_blank',
  header: 'quality.skip_header',
  heading: 'quality.skip_heading',
  sheet: 'quality.skip_sheet',
};

/** Rows listed per file or worksheet on the page; the downloads (rejected.csv, warnings.csv, skipped.csv) list every row. */
export const ROWS_LISTED = 100;

export function qualityView(data: SiteData, lang: Lang) {
  const rec = data.reconciliation();
  const rejections = data.rejections();
  const warnings = data.warnings();
  const skipped = data.skipped();
  const notes = data.notes();
  const p = punct(lang);
  const n = (x: number) => ({ text: formatInt(x, lang), sort: x });

  const balanced = rec.rowsRead === rec.accepted + rec.rejected + rec.skipped;
  const balance = t(lang, balanced ? 'quality.balanced' : 'quality.unbalanced', {
    read: formatInt(rec.rowsRead, lang),
    accepted: formatInt(rec.accepted, lang),
    rejected: formatInt(rec.rejected, lang),
    skipped: formatInt(rec.skipped, lang),
    warnings: formatInt(rec.warnings, lang),
  });

  // one row per CSV file and per worksheet, then the total
  const countRow = (f: FileReconciliation, sheet: FileReconciliation['sheets'][number] | null) => {
    const x = sheet ?? f;
    return {
      file: f.file,
      sheet: sheet ? sheet.sheet : '',
      encoding: f.encoding,
      read: n(x.rowsRead),
      accepted: n(x.accepted),
      rejected: n(x.rejected),
      skipped: n(x.skipped),
      warnings: n(x.warnings),
      ignored: sheet?.status === 'skipped' ? t(lang, 'quality.sheet_skipped', { reason: pickLang(sheet.reason ?? '', lang) }) : x.ignoredColumns.length ? x.ignoredColumns.join(p.list) : null,
    };
  };
  const reconciliation: QualityTable = {
    id: 'reconciliation-table',
    heading: t(lang, 'quality.reconciliation'),
    caption: t(lang, 'quality.reconciliation'),
    columns: [
      { key: 'file', label: t(lang, 'col.file') },
      { key: 'sheet', label: t(lang, 'col.sheet') },
      { key: 'encoding', label: t(lang, 'col.encoding') },
      { key: 'read', label: t(lang, 'col.rows_read'), numeric: true },
      { key: 'accepted', label: t(lang, 'col.accepted'), numeric: true },
      { key: 'rejected', label: t(lang, 'col.rejected'), numeric: true },
      { key: 'skipped', label: t(lang, 'col.skipped'), numeric: true },
      { key: 'warnings', label: t(lang, 'col.warnings'), numeric: true },
      { key: 'ignored', label: t(lang, 'col.ignored_columns') },
    ],
    rows: [
      ...rec.files.flatMap((f) => (f.sheets.length ? f.sheets.map((s) => countRow(f, s)) : [countRow(f, null)])),
      {
        file: t(lang, 'quality.total'),
        sheet: '',
        encoding: '',
        read: n(rec.rowsRead),
        accepted: n(rec.accepted),
        rejected: n(rec.rejected),
        skipped: n(rec.skipped),
        warnings: n(rec.warnings),
        ignored: '',
      },
    ],
  };

  // counts by reason: kind × reason, with the files they are in
  type Item = { kind: 'rejected' | 'warning' | 'skipped'; file: string; sheet?: string; reason: string; line: number };
  const items: Item[] = [
    ...rejections.filter((r) => r.line > 0).map((r) => ({ kind: 'rejected' as const, file: r.file, sheet: r.sheet, reason: r.reason, line: r.line })),
    ...warnings.map((w) => ({ kind: 'warning' as const, file: w.file, sheet: w.sheet, reason: w.reason, line: w.line })),
    ...skipped.map((s) => ({ kind: 'skipped' as const, file: s.file, sheet: s.sheet, reason: s.reason, line: s.line })),
  ];
  const groups = new Map<string, { kind: Item['kind']; label: string; count: number; files: Map<string, number> }>();
  for (const item of items) {
    // grouped by the Chinese key, so both languages count the same groups
    const key = `${item.kind}\u0000${reasonKey(item.reason, 'zh-CN')}`;
    const g = groups.get(key) ?? { kind: item.kind, label: reasonKey(item.reason, lang), count: 0, files: new Map() };
    g.count++;
    const where = whereOf(item.file, item.sheet);
    g.files.set(where, (g.files.get(where) ?? 0) + 1);
    groups.set(key, g);
  }
  const kindOrder = { rejected: 0, warning: 1, skipped: 2 };
  const kindLabel = { rejected: t(lang, 'quality.kind_rejected'), warning: t(lang, 'quality.kind_warning'), skipped: t(lang, 'quality.kind_skipped') };
  const byReason: QualityTable = {
    id: 'by-reason-table',
    heading: t(lang, 'quality.by_reason'),
    caption: t(lang, 'quality.by_reason'),
    columns: [
      { key: 'kind', label: t(lang, 'col.problem') },
      { key: 'reason', label: t(lang, 'col.reason') },
      { key: 'count', label: t(lang, 'col.row_count'), numeric: true },
      { key: 'files', label: t(lang, 'col.files') },
    ],
    rows: [...groups.values()]
      .sort((a, b) => kindOrder[a.kind] - kindOrder[b.kind] || b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
      .map((g) => ({
        kind: kindLabel[g.kind],
        reason: g.label,
        count: n(g.count),
        files: [...g.files].map(([where, c]) => `${where}${p.open}${formatInt(c, lang)}${p.close}`).join(p.list),
      })),
  };

  /** One table per file (and worksheet), in reading order. */
  function sections<T extends { file: string; sheet?: string }>(prefix: string, list: T[], columns: QualityTable['columns'], row: (x: T) => Record<string, Cell>): QualityTable[] {
    const order: string[] = [];
    const by = new Map<string, T[]>();
    for (const x of list) {
      const where = whereOf(x.file, x.sheet);
      if (!by.has(where)) {
        by.set(where, []);
        order.push(where);
      }
      by.get(where)!.push(x);
    }
    // A national load can reject tens of thousands of rows: each file lists its first rows, the downloads have them all.
    return order.map((where, i) => {
      const all = by.get(where)!;
      return {
        id: `${prefix}-${i + 1}`,
        heading: t(lang, 'quality.section', { where, n: formatInt(all.length, lang) }),
        caption: all.length > ROWS_LISTED ? `${where}${p.open}${t(lang, 'quality.first_rows', { shown: formatInt(ROWS_LISTED, lang), n: formatInt(all.length, lang) })}${p.close}` : where,
        columns,
        rows: all.slice(0, ROWS_LISTED).map(row),
      };
    });
  }
  const line = (l: number) => ({ text: l === 0 ? t(lang, 'common.none') : String(l), sort: l });
  const rejectionTables = sections(
    'rejected',
    rejections,
    [
      { key: 'line', label: t(lang, 'col.line'), numeric: true },
      { key: 'column', label: t(lang, 'col.column') },
      { key: 'reason', label: t(lang, 'col.reason') },
      { key: 'value', label: t(lang, 'col.value') },
      { key: 'name', label: t(lang, 'col.name') },
    ],
    (r) => ({ line: line(r.line), column: r.column, reason: pickLang(r.reason, lang), value: r.value, name: r.name }),
  );
  const warningTables = sections(
    'warnings',
    warnings,
    [
      { key: 'line', label: t(lang, 'col.line'), numeric: true },
      { key: 'column', label: t(lang, 'col.column') },
      { key: 'value', label: t(lang, 'col.value') },
      { key: 'assumed', label: t(lang, 'col.assumed') },
      { key: 'reason', label: t(lang, 'col.reason') },
      { key: 'name', label: t(lang, 'col.name') },
    ],
    (w) => ({ line: line(w.line), column: w.column, value: w.value, assumed: w.assumed, reason: pickLang(w.reason, lang), name: w.name }),
  );
  const skippedTables = sections(
    'skipped',
    skipped,
    [
      { key: 'line', label: t(lang, 'col.line'), numeric: true },
      { key: 'kind', label: t(lang, 'col.kind') },
      { key: 'reason', label: t(lang, 'col.reason') },
      { key: 'text', label: t(lang, 'col.text') },
    ],
    (s) => ({ line: line(s.line), kind: t(lang, SKIP_KIND_KEY[s.kind]), reason: pickLang(s.reason, lang), text: s.text }),
  );

  // notes, grouped by file (and worksheet) in reading order
  const noteGroups: { where: string; texts: string[] }[] = [];
  for (const note of notes) {
    const where = whereOf(note.file, note.sheet);
    let g = noteGroups.find((x) => x.where === where);
    if (!g) noteGroups.push((g = { where, texts: [] }));
    g.texts.push(lang === 'en' ? note.en : note.zh);
  }

  return { balanced, balance, reconciliation, byReason, rejectionTables, warningTables, skippedTables, noteGroups };
}
