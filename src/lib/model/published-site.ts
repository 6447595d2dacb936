import { NATIONAL_CODE } from '../core/area-codes';
import type { Divisions } from '../ingest/divisions';
import { FIGURE_COMPARATORS, PUBLISHED_METRICS, RELIABILITY, type PublishedFigure, type PublishedMetricId } from '../ingest/published';
import { compareFiguresForArea, type Inference } from './requirements';
import { targetsForArea, type Registry } from './targets';

/**
 * build/site/published.json: the real published figures (data/published/figures.csv) with, for each, what it
 * says against the minimum the density targets imply for its area (src/lib/model/requirements.ts). Real whatever
 * dataset is loaded: nothing here depends on the organization records.
 */
export interface PublishedSite {
  source_file: string;
  figures: PublishedFigure[];
  /** One inference per figure, same order as `figures`. */
  inferences: Inference[];
  /** The vocabulary the figures use (labels and definitions shown beside each figure). */
  metrics: Partial<Record<PublishedMetricId, { label_zh: string; label_en: string; definition_zh: string; definition_en: string }>>;
  comparators: typeof FIGURE_COMPARATORS;
  reliability: typeof RELIABILITY;
}

export function publishedSiteFile(args: {
  figures: readonly PublishedFigure[];
  registry: Registry;
  divisions: Divisions;
  sourceFile: string;
  nameEn: (code: string) => string | undefined;
}): PublishedSite {
  const { figures, registry, divisions } = args;
  // Areas in code order, each area's figures in file order: stable whatever order the file lists areas in.
  const areaCodes = [...new Set(figures.map((f) => f.area_code))].sort();
  const ordered: PublishedFigure[] = [];
  const inferences: Inference[] = [];
  for (const code of areaCodes) {
    const area = code === NATIONAL_CODE ? null : divisions.areas.get(code);
    if (code !== NATIONAL_CODE && !area) throw new Error(`${args.sourceFile}: area ${code} is not in the loaded divisions`);
    const ancestors: string[] = [];
    for (let p = area?.parentCode ?? null; p; p = divisions.areas.get(p)?.parentCode ?? null) ancestors.push(p);
    const areaTargets = targetsForArea(registry, { code, level: area?.level ?? 'province', ancestors }).filter(
      (t) => code !== NATIONAL_CODE || t.areas.includes(NATIONAL_CODE),
    );
    const own = figures.filter((f) => f.area_code === code);
    ordered.push(...own);
    inferences.push(...compareFiguresForArea(registry, divisions, own, code, { area_targets: areaTargets, area_name_en: args.nameEn(code) }));
  }
  const used = [...new Set(ordered.map((f) => f.metric))].sort();
  const metrics = Object.fromEntries(
    used.map((id) => {
      const m = PUBLISHED_METRICS[id];
      return [id, { label_zh: m.label_zh, label_en: m.label_en, definition_zh: m.definition_zh, definition_en: m.definition_en }];
    }),
  );
  return { source_file: args.sourceFile, figures: ordered, inferences, metrics, comparators: FIGURE_COMPARATORS, reliability: RELIABILITY };
}
