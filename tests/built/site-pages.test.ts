import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Papa from 'papaparse';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../helpers/build';
import { SITE_DATA_DIR, type SiteMeta } from '../../src/lib/site/data';
import { formatDensity, formatInt, formatTarget, pickLang } from '../../src/lib/site/format';
import type { AreaAggregate, Rejection } from '../../src/lib/core/types';
import type { ProgressOutput, ProgressRow } from '../../src/lib/model/progress';

/**
 * A table cell's number as its sort key: data-sort where DataTable.astro writes one, else the text, which then
 * says the number exactly (thousands separators aside), in the same canonical form ("0.80" → "0.8").
 */
const sortValue = (cell: Element | undefined): string | null => {
  if (!cell) return null;
  const key = cell.getAttribute('data-sort');
  if (key !== null) return key;
  const text = cell.textContent!.trim().replace(/,/g, '');
  return text === '—' ? '' : String(Number(text)); // a blank: no number
};
import type { TimeSeriesOutput } from '../../src/lib/model/timeseries';

/**
 * Assertions on the built pages (dist/) against the data they were built from (build/site/*.json,
 * or SITE_DATA_DIR). Run `SITE_DIST=… SITE_DATA_DIR=…` to check a build of another dataset.
 */
let dist = '';
let meta: SiteMeta;
let areas: AreaAggregate[];
let rejections: Rejection[];
let progress: ProgressOutput;
let timeseries: TimeSeriesOutput;
const rowsOf = (code: string): ProgressRow[] => progress.rows.filter((r) => r.area_code === code);
const readJson = <T>(name: string): T => JSON.parse(readFileSync(path.join(SITE_DATA_DIR, name), 'utf8')) as T;
const page = (rel: string) => readFileSync(path.join(dist, rel), 'utf8');
const dom = (rel: string) => parseHTML(page(rel)).document;
/** A briefing shows its trend as the figure's SVG file (src/components/TrendFigure.astro): that file's chart, parsed. */
function trendSvg(doc: Document): Element | null {
  const img = doc.querySelector('#trend img[data-figure-file]');
  if (!img) return null;
  const file = path.join(dist, img.getAttribute('src')!.replace(/^\//, ''));
  const text = readFileSync(file, 'utf8').replace(/^<\?xml[^>]*>/, '');
  return parseHTML(`<!doctype html><html><body>${text}</body></html>`).document.querySelector('svg > svg');
}

/** Every HTML page this engineer's routes produce (downloads pages are another test's concern). */
function sitePages(): string[] {
  const out = ['index.html', 'targets/index.html', 'methodology/index.html', 'quality/index.html', 'published/index.html', 'areas/index.html'];
  for (const code of meta.area_codes) out.push(`areas/${code}/index.html`);
  return out;
}

let shortfall: Record<string, { count: number }>;
beforeAll(() => {
  dist = ensureBuilt();
  meta = readJson<SiteMeta>('meta.json');
  areas = readJson<AreaAggregate[]>('areas.json');
  rejections = readJson<Rejection[]>('rejections.json');
  shortfall = readJson<Record<string, { count: number }>>('shortfall.json');
  progress = readJson<ProgressOutput>('progress.json');
  timeseries = readJson<TimeSeriesOutput>('timeseries.json');
});

describe('every page', () => {
  it('exists for every area code and the fixed routes', () => {
    const missing = sitePages().filter((rel) => !existsSync(path.join(dist, rel)));
    expect(missing).toEqual([]);
  });

  it('shows the dataset title, the as-of date and (for a sample) the sample banner', () => {
    for (const rel of sitePages()) {
      const doc = dom(rel);
      expect(doc.querySelector('[data-dataset-title]')?.textContent, rel).toBe(meta.dataset.title);
      expect(doc.querySelector(`time[datetime="${meta.dataset.as_of}"]`), rel).not.toBeNull();
      const banner = doc.querySelector('[data-sample-banner]');
      // The banner marks pages that show sample organization counts: not /published/, not an area the dataset does not cover.
      const code = rel.match(/^areas\/(\d{6})\//)?.[1];
      const showsCounts = rel !== 'published/index.html' && (code === undefined || areas.find((a) => a.code === code)?.has_data === true || (shortfall[code]?.count ?? 0) > 0 || areas.some((a) => a.parent_code === code && a.has_data));
      if (meta.dataset.sample && showsCounts) expect(banner?.textContent, rel).toContain('示例数据，非官方统计');
      else expect(banner, rel).toBeNull();
    }
  });

  it('never contains unescaped markup from the data', () => {
    for (const rel of sitePages()) {
      const html = page(rel);
      expect(html, rel).not.toMatch(/<script>alert/i);
      // the only scripts are our own enhancement files: public/scripts/*.js and the search box's bundled module
      for (const m of html.matchAll(/<script\b[^>]*>/g)) expect(m[0], rel).toMatch(/src="\/scripts\/[a-z-]+\.js"|type="module" src="\/_astro\/[A-Za-z0-9_.-]+\.js"/);
    }
  });
});

describe('overview', () => {
  it('has one map region per district, with its name, in each of the two maps', () => {
    const doc = dom('index.html');
    const maps = [...doc.querySelectorAll('svg.choropleth')];
    expect(maps).toHaveLength(2);
    for (const svg of maps) {
      const paths = [...svg.querySelectorAll('path[data-code]')];
      expect(paths.map((p) => p.getAttribute('data-code')).sort()).toEqual([...meta.district_codes].sort());
      const labels = [...svg.querySelectorAll('g.labels text')].map((el) => el.textContent ?? '');
      for (const code of meta.district_codes) {
        const name = areas.find((a) => a.code === code)!.name;
        const region = paths.find((p) => p.getAttribute('data-code') === code)!;
        expect(region.querySelector('title')?.textContent).toContain(name);
        expect(labels.some((l) => l.startsWith(name))).toBe(true);
      }
      expect(svg.querySelector('g.legend')).not.toBeNull();
    }
  });

  it.each(['urban', 'rural'] as const)('ranked chart shows each district against its own target (%s)', (kind) => {
    const doc = dom('index.html');
    const svg = doc.querySelector(`#ranked-${kind} svg`)!;
    expect(svg).not.toBeNull();
    const yOf = (el: Element) => Number(/translate\([^,]+,([\d.]+)\)/.exec(el.getAttribute('transform') ?? '')![1]);
    const rows = [...svg.querySelectorAll('g[aria-label="y-axis tick label"] text')];
    const targets = [...svg.querySelectorAll('text')].filter((el) => /^目标 /.test(el.textContent ?? ''));
    expect(rows.map((r) => r.textContent).sort()).toEqual(meta.district_codes.map((c) => areas.find((a) => a.code === c)!.name).sort());
    for (const row of rows) {
      const area = areas.find((a) => a.name === row.textContent && meta.district_codes.includes(a.code))!;
      const target = kind === 'urban' ? area.urban_target : area.rural_target;
      if (target === null) continue;
      const onRow = targets.find((el) => Math.abs(yOf(el) - yOf(row)) < 0.01);
      expect(onRow?.textContent, area.name).toBe(`目标 ${formatTarget(target)}`);
    }
    // text alternative and a data table
    expect(svg.getAttribute('aria-label')).toContain(areas.find((a) => a.code === meta.district_codes[0])!.name);
    expect(doc.querySelectorAll(`#ranked-${kind} table tbody tr`)).toHaveLength(meta.district_codes.length);
  });

  it('states the status in plain language with the counts of areas.json', () => {
    const districts = areas.filter((a) => meta.district_codes.includes(a.code));
    const met = districts.filter((a) => a.status === 'met').length;
    const sentence = dom('index.html').querySelector('[data-status-sentence]')?.textContent ?? '';
    expect(sentence).toContain(`${districts.length} 个区县中 ${met} 个达到目标`);
  });

  it('has a sortable table with every district’s figures', () => {
    const doc = dom('index.html');
    const rows = [...doc.querySelectorAll('#districts-table tbody tr')];
    expect(rows).toHaveLength(meta.district_codes.length);
    for (const row of rows) {
      const name = row.querySelector('th')!.textContent;
      const a = areas.find((x) => x.name === name && meta.district_codes.includes(x.code))!;
      const cells = [...row.querySelectorAll('td')].map((td) => sortValue(td));
      expect(cells.slice(0, 5)).toEqual([a.urban_units, a.urban_orgs, a.urban_per_unit, a.urban_target, a.urban_gap].map((v) => (v === null ? '' : String(v))));
    }
  });

  it('has small multiples of every covered district’s density trend, with a data table per kind', () => {
    const doc = dom('index.html');
    const fig = doc.querySelector('#trend-multiples')!;
    expect(fig).not.toBeNull();
    const covered = meta.district_codes.filter((c) => timeseries.areas.some((a) => a.code === c));
    expect(covered.length).toBeGreaterThan(0);
    const svgText = [...fig.querySelectorAll('svg text')].map((el) => el.textContent ?? '');
    for (const code of covered) expect(svgText, code).toContain(timeseries.areas.find((a) => a.code === code)!.name);
    // every district's deadline is marked
    const years = new Set(progress.rows.filter((r) => covered.includes(r.area_code) && r.metric.endsWith('_orgs_per_unit')).map((r) => r.deadline.slice(0, 4)));
    for (const y of years) expect(svgText.some((tx) => tx.includes(y))).toBe(true);
    expect(fig.querySelector('details table')).not.toBeNull();
    for (const kind of ['urban', 'rural'] as const) {
      const rows = [...doc.querySelectorAll(`#trend-table-${kind} tbody tr`)];
      expect(rows).toHaveLength(covered.length);
      // last column before the target: the as-of value of timeseries.json
      const first = timeseries.areas.find((a) => a.code === covered[0])!;
      const cells = [...rows[0].querySelectorAll('td')];
      const asOfPoint = first.points.at(-1)!;
      expect(sortValue(cells[first.points.length - 1])).toBe(String(kind === 'urban' ? asOfPoint.urban_per_unit : asOfPoint.rural_per_unit));
    }
  });

  it('stays small: ≤ 100 KB gzip with the map, < 20 KB of JavaScript', () => {
    const html = page('index.html');
    expect(gzipSync(html).length).toBeLessThanOrEqual(100 * 1024);
    const scripts = [...html.matchAll(/<script\b[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    const bytes = scripts.reduce((sum, src) => sum + statSync(path.join(dist, src)).size, 0);
    expect(bytes).toBeLessThan(20 * 1024);
  });
});

describe('briefing /areas/511102/', () => {
  const code = '511102';
  const figures = (doc: Document) =>
    Object.fromEntries(
      [...doc.querySelectorAll('[data-figures] .headline')]
        .filter((h) => h.getAttribute('data-field') !== 'total_orgs')
        .map((h) => [h.querySelector('.label')!.textContent, h.querySelector('.value')!.textContent]),
    );

  it('shows the figures of areas.json', () => {
    const a = areas.find((x) => x.code === code)!;
    const doc = dom(`areas/${code}/index.html`);
    expect(doc.querySelector('[data-area-code]')?.getAttribute('data-area-code')).toBe(code);
    expect(figures(doc)).toEqual({
      城市社区平均: formatDensity(a.urban_per_unit),
      农村社区平均: formatDensity(a.rural_per_unit),
      城市尚缺: formatInt(a.urban_gap),
      农村尚缺: formatInt(a.rural_gap),
    });
    expect(doc.querySelector('h2#status-heading .status')?.getAttribute('data-status')).toBe(a.status);
    // a county's row is in its parent's per-area file (src/lib/site/views/use-data.ts, useDataView areaFiles)
    const chip = doc.querySelector(`a[href="/data/areas/${a.parent_code}.csv"]`);
    expect(chip?.textContent).toContain('含本地区一行');
  });

  it.skipIf(!existsSync(path.resolve(process.env.SITE_DIST ?? 'dist', 'data/areas.csv')))('shows the same numbers as /data/areas.csv', () => {
    const csv = page('data/areas.csv').replace(/^\uFEFF/, '');
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    const row = rows.find((r) => r.code === code)!;
    const doc = dom(`areas/${code}/index.html`);
    const f = figures(doc);
    const num = (s: string) => (s === '' ? null : Number(s));
    expect(f['城市社区平均']).toBe(formatDensity(num(row.urban_per_unit)));
    expect(f['农村社区平均']).toBe(formatDensity(num(row.rural_per_unit)));
    expect(f['城市尚缺']).toBe(formatInt(num(row.urban_gap)));
    expect(f['农村尚缺']).toBe(formatInt(num(row.rural_gap)));
  });

  it('lists short communities worst first and peers of the same tier', () => {
    const doc = dom(`areas/${code}/index.html`);
    const gaps = [...doc.querySelectorAll('#shortfall-table tbody tr')].map((tr) => Number(sortValue(tr.querySelectorAll('td')[4])));
    for (let i = 1; i < gaps.length; i++) expect(gaps[i - 1]).toBeGreaterThanOrEqual(gaps[i]);
    const a = areas.find((x) => x.code === code)!;
    const peerNames = [...doc.querySelectorAll('#peers-table tbody th')].map((th) => th.textContent);
    const expected = areas.filter((x) => x.level === a.level && x.urban_target === a.urban_target && x.rural_target === a.rural_target);
    expect(peerNames).toHaveLength(Math.min(expected.length, 1 + 10)); // the area itself + at most 10 peers
  });
});

describe.each(['511100', '511102', '511133', '140105', '220000'])('progress on the briefing /areas/%s/', (code) => {
  it('has one row per applicable target with the status of progress.json', () => {
    const rows = rowsOf(code);
    expect(rows.length).toBeGreaterThan(0);
    const doc = dom(`areas/${code}/index.html`);
    const trs = [...doc.querySelectorAll('#progress-table tbody tr')];
    expect(trs.map((tr) => tr.getAttribute('data-target-id'))).toEqual(rows.map((r) => r.target_id));
    trs.forEach((tr, i) => {
      const r = rows[i];
      expect(tr.getAttribute('data-status'), r.target_id).toBe(r.status);
      expect(tr.querySelector('.status')?.getAttribute('data-status'), r.target_id).toBe(r.status);
      expect(tr.querySelector('th')?.textContent, r.target_id).toContain(formatTarget(r.target_value));
      if (r.value_source === 'organizations') expect(tr.querySelector('td.source')?.textContent).toContain('组织名录');
      if (r.value_source === 'observations') expect(tr.querySelector('td.source')?.textContent).toContain(pickLang(r.sources[0].source_title));
      if (r.status === 'no_data') expect(tr.querySelector('[data-needed]')?.textContent, r.target_id).toContain(r.data_needed);
    });
    // the calculation inputs, one row per target
    const inputs = [...doc.querySelectorAll('#progress-table-inputs tbody tr')];
    expect(inputs).toHaveLength(rows.length);
    rows.forEach((r, i) => {
      const cells = [...inputs[i].querySelectorAll('td')];
      expect(cells[1].getAttribute('data-sort')).toBe(r.inputs.required_per_year === null ? '' : String(r.inputs.required_per_year));
      expect(cells[2].getAttribute('data-sort')).toBe(r.inputs.observed_per_year === null ? '' : String(r.inputs.observed_per_year));
      expect(cells[4].getAttribute('data-sort')).toBe(r.inputs.pace_ratio === null ? '' : String(r.inputs.pace_ratio));
    });
  });

  it('shows the trend chart with each density target and its deadline year, where the dataset covers the area', () => {
    const doc = dom(`areas/${code}/index.html`);
    const series = timeseries.areas.find((a) => a.code === code);
    const svg = trendSvg(doc);
    if (!series) {
      expect(svg).toBeNull();
      return;
    }
    expect(svg).not.toBeNull();
    const texts = [...svg!.querySelectorAll('text')].map((el) => el.textContent ?? '');
    const density = rowsOf(code).filter((r) => r.metric === 'urban_orgs_per_unit' || r.metric === 'rural_orgs_per_unit');
    expect(density.length).toBeGreaterThan(0);
    for (const r of density) {
      const kind = r.metric === 'urban_orgs_per_unit' ? '城市' : '农村';
      expect(texts, r.target_id).toContain(`${kind}目标 ${formatTarget(r.target_value)}`);
      expect(texts.some((tx) => tx.includes(r.deadline.slice(0, 4))), r.target_id).toBe(true);
    }
    // its text alternative, on the <img> of the file
    expect(doc.querySelector('#trend img')!.getAttribute('alt')).toContain(series.name);
    // its data table: one row per date of the series
    expect(doc.querySelectorAll('#trend details tbody tr')).toHaveLength(series.points.length);
  });
});

describe('a Shanxi county the dataset does not cover: /areas/140105/', () => {
  const code = '140105';
  it('shows its targets and its real unit counts, every target with status 无数据', () => {
    const a = areas.find((x) => x.code === code)!;
    expect(a.urban_units).toBeGreaterThan(0);
    const doc = dom(`areas/${code}/index.html`);
    const notes = [...doc.querySelectorAll('[data-figures] .headline .note')].map((n) => n.textContent ?? '');
    expect(notes.some((n) => n.includes(`${formatInt(a.urban_units)} 城市社区`))).toBe(true);
    expect(notes.some((n) => n.includes(`${formatInt(a.rural_units)} 农村社区`))).toBe(true);
    const rows = rowsOf(code);
    expect(rows.map((r) => r.document)).toContain('shanxi-2021');
    const trs = [...doc.querySelectorAll('#progress-table tbody tr')];
    expect(trs).toHaveLength(rows.length);
    for (const tr of trs) {
      expect(tr.getAttribute('data-status')).toBe('no_data');
      expect(tr.querySelector('.status')?.textContent).toContain('无数据');
    }
    expect(doc.querySelector('#trend-heading')?.parentElement?.textContent).toContain('无法绘制趋势');
  });
});

describe('quality and targets', () => {
  it('lists every rejected, warned and skipped row, and every note', () => {
    const doc = dom('quality/index.html');
    const count = (sel: string) => doc.querySelectorAll(sel).length;
    const files = new Set(rejections.map((r) => `${r.file}|${r.sheet ?? ''}`)).size;
    const rec = readJson<{ files: { sheets: unknown[] }[] }>('reconciliation.json');
    // one reconciliation row per CSV file and per worksheet, and the total
    expect(count('#reconciliation-table tbody tr')).toBe(rec.files.reduce((n, f) => n + Math.max(1, f.sheets.length), 0) + 1);
    expect(count('#rejections table tbody tr')).toBe(rejections.length);
    expect(count('#rejections h3')).toBe(files);
    expect(count('#warnings table tbody tr')).toBe(readJson<unknown[]>('warnings.json').length);
    expect(count('#skipped table tbody tr')).toBe(readJson<unknown[]>('skipped.json').length);
    expect(count('#notes li')).toBe(readJson<unknown[]>('notes.json').length);
    const reasons = [...doc.querySelectorAll('#by-reason-table tbody tr td:nth-child(3)')].reduce((n, td) => n + Number(sortValue(td)), 0);
    expect(reasons).toBe(rejections.filter((r) => r.line > 0).length + readJson<unknown[]>('warnings.json').length + readJson<unknown[]>('skipped.json').length);
  });

  it('shows every target of the registry under its document', () => {
    const registry = JSON.parse(readFileSync('data/targets/registry.json', 'utf8')) as { targets: { id: string; document: string }[] };
    const doc = dom('targets/index.html');
    for (const target of registry.targets) {
      const li = doc.getElementById(target.id);
      expect(li, target.id).not.toBeNull();
      expect(li!.closest('section')?.id).toBe(`doc-${target.document}`);
    }
  });

  it('shows per target the areas evaluated, their status counts and, for a single area, its value and source', () => {
    const doc = dom('targets/index.html');
    const byTarget = new Map<string, ProgressRow[]>();
    for (const r of progress.rows) byTarget.set(r.target_id, [...(byTarget.get(r.target_id) ?? []), r]);
    for (const [id, rows] of byTarget) {
      const li = doc.getElementById(id)!;
      expect(li.getAttribute('data-areas-evaluated'), id).toBe(String(rows.length));
      const counts = [...li.querySelectorAll('[data-status-counts] [data-count]')].map((el) => [el.querySelector('.status')!.getAttribute('data-status'), Number(el.getAttribute('data-count'))]);
      const expected = ['met', 'on_track', 'off_track', 'missed', 'no_data'].map((st) => [st, rows.filter((r) => r.status === st).length]).filter(([, n]) => n !== 0);
      expect(counts, id).toEqual(expected);
      const withData = rows.filter((r) => r.current_value !== null);
      if (withData.length === 0) expect(li.querySelector('[data-no-data]'), id).not.toBeNull();
      if (rows.length === 1 && withData.length === 1) {
        const current = li.querySelector('[data-current]')!.textContent ?? '';
        expect(current).toContain(rows[0].value_source === 'organizations' ? '组织名录' : pickLang(rows[0].sources[0].source_title));
        expect(li.querySelector('[data-current] .status')?.getAttribute('data-status')).toBe(rows[0].status);
      }
    }
  });

  it('publishes the status method on the methodology page, with a worked example from progress.json', () => {
    const doc = dom('methodology/index.html');
    const text = doc.querySelector('main')!.textContent ?? '';
    expect(doc.querySelector('[data-unit-basis]')?.textContent).toContain('2023');
    expect(doc.querySelector('[data-undated]')?.textContent).toContain('每一个时点');
    expect(doc.querySelector('[data-why-linear]')?.textContent).toContain('CAGR');
    expect(text).toContain(`近 ${progress.trend_years} 年`);
    expect(text).toContain('进度比 r_obs ÷ r_req ≥ 1');
    for (const word of ['达标', '进度正常', '进度落后', '逾期未达', '无数据']) expect(text).toContain(word);
    const example = doc.querySelector('[data-example]')!;
    const [area, target] = example.getAttribute('data-example')!.split('|');
    const row = progress.rows.find((r) => r.area_code === area && r.target_id === target)!;
    expect(row.basis).toBe('trend');
    expect(example.textContent).toContain(formatTarget(row.inputs.pace_ratio));
    expect(example.textContent).toContain(row.inputs.baseline_as_of!);
  });
});

describe('briefing fixes: organization counts and a city met on average', () => {
  const fieldValue = (doc: Document, field: string) => doc.querySelector(`[data-figures] [data-field="${field}"] .value`)?.textContent ?? null;

  it.each(['511102', '511133', '511100'])('%s shows the organization counts beside the densities, and the total with the unplaced', (code) => {
    const a = areas.find((x) => x.code === code)!;
    for (const [rel, lang] of [[`areas/${code}/index.html`, 'zh-CN'], [`en/areas/${code}/index.html`, 'en']] as const) {
      const doc = dom(rel);
      for (const kind of ['urban', 'rural'] as const) {
        const orgs = kind === 'urban' ? a.urban_orgs : a.rural_orgs;
        const units = kind === 'urban' ? a.urban_units : a.rural_units;
        const card = doc.querySelector(`[data-figures] [data-field="${kind}_per_unit"]`)!;
        expect(card.querySelector('[data-orgs]')?.getAttribute('data-value'), `${rel} ${kind}`).toBe(String(orgs));
        const note = card.querySelector('.note')!.textContent ?? '';
        expect(note, rel).toContain(formatInt(orgs, lang));
        expect(note, rel).toContain(formatInt(units, lang));
      }
      expect(fieldValue(doc, 'total_orgs'), rel).toBe(formatInt(a.total_orgs, lang));
      const totalNote = doc.querySelector('[data-figures] [data-field="total_orgs"] .note')?.textContent ?? '';
      if ((a.unplaced_orgs ?? 0) > 0) expect(totalNote, rel).toContain(formatInt(a.unplaced_orgs, lang));
    }
  });

  it('a prefecture met on average says how many of its districts meet their own tier (counted from areas.json)', () => {
    for (const p of areas.filter((x) => x.level === 'prefecture' && meta.area_codes.includes(x.code))) {
      const children = areas.filter((x) => x.parent_code === p.code && (x.status === 'met' || x.status === 'not_met'));
      const met = children.filter((x) => x.status === 'met').length;
      const note = dom(`areas/${p.code}/index.html`).querySelector('[data-children-note]');
      if (p.status === 'met' && met < children.length) expect(note?.textContent, p.code).toBe(`全市平均达标；${children.length} 个区县中 ${met} 个达到本档次目标。`);
      else expect(note, p.code).toBeNull();
    }
    // the case of the browser review: 乐山市 met on average, 4 of 11 districts met
    const leshan = dom('areas/511100/index.html').querySelector('[data-children-note]')?.textContent ?? '';
    const kids = areas.filter((x) => x.parent_code === '511100');
    expect(leshan).toContain(`${kids.length} 个区县中 ${kids.filter((x) => x.status === 'met').length} 个`);
    expect(dom('en/areas/511100/index.html').querySelector('[data-children-note]')?.textContent).toContain(`${kids.filter((x) => x.status === 'met').length} of its ${kids.length} districts`);
    expect(dom('areas/511102/index.html').querySelector('[data-children-note]')).toBeNull();
  });
});

describe('English version under /en/', () => {
  const dataPages = ['data/index.html', 'data/dictionary/index.html'];
  const allPages = () => [...sitePages(), ...dataPages];
  const urlOf = (rel: string) => '/' + rel.replace(/index\.html$/, '');
  // UI words of the Chinese strings that must not appear in English pages (outside names and quoted policy text).
  const ZH_UI = ['数据截至', '达标', '查看数据表', '总览', '尚缺', '城市社区平均', '农村社区平均', '个/社区', '目标登记表', '数据下载', '方法说明', '示例数据，非官方统计', '状态', '下载', '区县', '组织名录', '期限'];
  /** The page's text without what is Chinese by nature: elements marked lang="zh-CN" (registry text, the language switch) and quoted clauses. */
  const englishText = (doc: Document) => {
    const main = doc.querySelector('body')!.cloneNode(true) as Element;
    for (const el of main.querySelectorAll('[lang="zh-CN"], blockquote, script')) el.remove();
    return main.textContent ?? '';
  };

  it('has an English twin of every page, in English, with the switch to Chinese and back', () => {
    for (const rel of allPages()) {
      const en = `en/${rel}`;
      expect(existsSync(path.join(dist, en)), en).toBe(true);
      const doc = dom(en);
      const zh = dom(rel);
      expect(doc.documentElement.getAttribute('lang'), en).toBe('en');
      expect(zh.documentElement.getAttribute('lang'), rel).toBe('zh-CN');
      const toZh = doc.querySelector('a[data-lang-switch]')!;
      expect(toZh.getAttribute('href'), en).toBe(urlOf(rel));
      expect(toZh.getAttribute('hreflang')).toBe('zh-CN');
      const toEn = zh.querySelector('a[data-lang-switch]')!;
      expect(toEn.getAttribute('href'), rel).toBe('/en' + urlOf(rel));
      expect(toEn.getAttribute('hreflang')).toBe('en');
      for (const d of [doc, zh]) {
        expect(d.querySelector('link[rel="alternate"][hreflang="en"]')?.getAttribute('href')).toBe('/en' + urlOf(rel));
        expect(d.querySelector('link[rel="alternate"][hreflang="zh-CN"]')?.getAttribute('href')).toBe(urlOf(rel));
      }
      const banner = doc.querySelector('[data-sample-banner]');
      const code = rel.match(/^areas\/(\d{6})\//)?.[1];
      const showsCounts = rel !== 'published/index.html' && (code === undefined || areas.find((a) => a.code === code)?.has_data === true || (shortfall[code]?.count ?? 0) > 0 || areas.some((a) => a.parent_code === code && a.has_data));
      if (meta.dataset.sample && showsCounts) expect(banner?.textContent, en).toContain('SAMPLE DATA — not official statistics');
      else expect(banner, en).toBeNull();
      expect(doc.querySelector('[data-dataset-title]')?.textContent).toBe(meta.dataset.title_en ?? meta.dataset.title);
      expect(doc.querySelector(`time[datetime="${meta.dataset.as_of}"]`), en).not.toBeNull();
    }
  });

  it('keeps internal links within the language (downloads are shared files)', () => {
    for (const rel of allPages()) {
      for (const [file, lang] of [[`en/${rel}`, 'en'], [rel, 'zh-CN']] as const) {
        const links = [...dom(file).querySelectorAll('a[href^="/"]:not([data-lang-switch])')].map((a) => a.getAttribute('href')!);
        expect(links.length, file).toBeGreaterThan(0);
        const isDownload = (href: string) => /^\/data\/.+\.[a-z0-9]+(#.*)?$/i.test(href) || /^\/scripts\//.test(href);
        const wrong = links.filter((href) => !isDownload(href) && (lang === 'en' ? !href.startsWith('/en/') : href.startsWith('/en/')));
        expect(wrong, file).toEqual([]);
      }
    }
  });

  it('leaks no Chinese UI string into English pages', () => {
    for (const rel of allPages()) {
      const doc = dom(`en/${rel}`);
      const text = englishText(doc) + ' ' + (doc.querySelector('title')?.textContent ?? '');
      const leaked = ZH_UI.filter((w) => text.includes(w));
      expect(leaked, `en/${rel}`).toEqual([]);
    }
  });

  it('shows the same figures on /en/areas/511102/ as on the Chinese page and in areas.json', () => {
    const a = areas.find((x) => x.code === '511102')!;
    const en = dom('en/areas/511102/index.html');
    const zh = dom('areas/511102/index.html');
    for (const field of ['urban_per_unit', 'rural_per_unit', 'urban_gap', 'rural_gap', 'total_orgs'] as const) {
      const value = (d: Document) => d.querySelector(`[data-figures] [data-field="${field}"] .value`)?.textContent ?? '';
      const want = a[field];
      expect(Number(value(en).replace(/,/g, '')), field).toBe(want);
      expect(value(en).replace(/,/g, ''), field).toBe(value(zh).replace(/,/g, ''));
    }
    expect(en.querySelector('h2#status-heading .status')?.getAttribute('data-status')).toBe(a.status);
    expect(en.querySelector('h2#status-heading .status')?.textContent).toContain(a.status === 'met' ? 'Met' : a.status === 'not_met' ? 'Not met' : 'No data');
    // progress rows: the same targets and statuses in both languages
    const ids = (d: Document) => [...d.querySelectorAll('#progress-table tbody tr')].map((tr) => `${tr.getAttribute('data-target-id')}:${tr.getAttribute('data-status')}`);
    expect(ids(en)).toEqual(ids(zh));
    expect(ids(en)).toEqual(rowsOf('511102').map((r) => `${r.target_id}:${r.status}`));
    // downloads are the same files
    expect(en.querySelector('a[href="/data/areas/511100.csv"]')?.textContent).toContain('this area is one row');
    // the trend chart is labelled in English
    const texts = [...trendSvg(en)!.querySelectorAll('text')].map((el) => el.textContent ?? '');
    for (const r of rowsOf('511102').filter((x) => x.metric === 'urban_orgs_per_unit')) expect(texts).toContain(`Urban target ${formatTarget(r.target_value, 'en')}`);
  });

  it('the English overview states the status, labels the charts and map in English, and keeps the budget', () => {
    const doc = dom('en/index.html');
    const districts = areas.filter((x) => meta.district_codes.includes(x.code));
    const met = districts.filter((x) => x.status === 'met').length;
    expect(doc.querySelector('[data-status-sentence]')?.textContent).toContain(`${met} of ${districts.length} districts meet their target`);
    const svg = doc.querySelector('#ranked-urban svg')!;
    expect([...svg.querySelectorAll('text')].some((el) => /^Target \d/.test(el.textContent ?? ''))).toBe(true);
    expect(svg.textContent).toContain('Organizations per community');
    for (const map of doc.querySelectorAll('svg.choropleth')) {
      expect(map.querySelector('g.legend')?.textContent).toContain('Attainment');
      expect(map.querySelector('title')?.textContent).toMatch(/attainment/i);
    }
    // the district rows link to the English briefings with the figures of areas.json
    const rows = [...doc.querySelectorAll('#districts-table tbody tr')];
    expect(rows).toHaveLength(meta.district_codes.length);
    for (const row of rows) {
      const href = row.querySelector('th a')!.getAttribute('href')!;
      const a = areas.find((x) => href === `/en/areas/${x.code}/`)!;
      expect(sortValue(row.querySelectorAll('td')[2])).toBe(a.urban_per_unit === null ? '' : String(a.urban_per_unit));
    }
    const html = page('en/index.html');
    expect(gzipSync(html).length).toBeLessThanOrEqual(100 * 1024);
    const bytes = [...html.matchAll(/<script\b[^>]*src="([^"]+)"/g)].reduce((sum, m) => sum + statSync(path.join(dist, m[1])).size, 0);
    expect(bytes).toBeLessThan(20 * 1024);
  });

  it('the English methodology page carries the same method, with this build’s worked example', () => {
    const doc = dom('en/methodology/index.html');
    const text = doc.querySelector('main')!.textContent ?? '';
    expect(doc.querySelector('[data-why-linear]')?.textContent).toContain('CAGR');
    expect(text).toContain(`last ${progress.trend_years} years`);
    expect(text).toContain('pace ratio r_obs ÷ r_req ≥ 1');
    for (const word of ['Met', 'On track', 'Off track', 'Missed', 'No data']) expect(text).toContain(word);
    const zhExample = dom('methodology/index.html').querySelector('[data-example]')!.getAttribute('data-example');
    expect(doc.querySelector('[data-example]')?.getAttribute('data-example')).toBe(zhExample);
    const root = areas.find((x) => x.code === meta.root_code)!;
    expect(doc.querySelector('[data-unit-counts]')?.textContent).toContain(`${formatInt(root.urban_units, 'en')} urban communities`);
  });
});
