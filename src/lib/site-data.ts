import { readFileSync } from 'node:fs';
import path from 'node:path';
import type {
  AreaAggregate,
  CommunityAggregate,
  DatasetMeta,
  Observation,
  Reconciliation,
  Rejection,
  TownshipAggregate,
} from './types';

/**
 * Read side of the pipeline for the pages: build/site/*.json written by scripts/build-data.ts.
 * Pages only render what is here; they compute nothing that the downloads do not also carry.
 */
export const SITE_DATA_DIR = process.env.SITE_DATA_DIR ?? path.resolve('build/site');

export interface SiteMeta {
  dataset: DatasetMeta;
  /** The site's own area (the scope's top area, e.g. 511100) — the overview is about it. */
  root_code: string;
  /** Every 6-digit area with a page, sorted. */
  area_codes: string[];
  /** Counties of the root area (the districts compared on the overview), sorted by code. */
  district_codes: string[];
  divisions_source: { package: string; version: string; dataset: string };
  registry_version: string;
  software_version: string;
}

const cache = new Map<string, unknown>();
function readJson<T>(name: string): T {
  if (!cache.has(name)) {
    const file = path.join(SITE_DATA_DIR, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new Error(`${file} is missing: run \`npm run data\` (or \`npm run build\`) first.`);
    }
    cache.set(name, JSON.parse(text));
  }
  return cache.get(name) as T;
}

export const siteMeta = () => readJson<SiteMeta>('meta.json');
export const areas = () => readJson<AreaAggregate[]>('areas.json');
export const townships = () => readJson<TownshipAggregate[]>('townships.json');
export const communities = () => readJson<CommunityAggregate[]>('communities.json');
export const rejections = () => readJson<Rejection[]>('rejections.json');
export const reconciliation = () => readJson<Reconciliation>('reconciliation.json');
export const observations = () => readJson<Observation[]>('observations.json');

export function areaByCode(code: string): AreaAggregate | undefined {
  return areas().find((a) => a.code === code);
}

// Progress against deadlines (issue 5): build/site/timeseries.json and progress.json.
import type { ProgressOutput, ProgressRow } from './progress';
import type { AreaSeries, TimeSeriesOutput } from './timeseries';

export const timeseries = () => readJson<TimeSeriesOutput>('timeseries.json');
export const progress = () => readJson<ProgressOutput>('progress.json');

// progress.json holds every target × area (≈1,000 rows): index it once, not once per page.
let progressIndex: Map<string, ProgressRow[]> | null = null;
let seriesIndex: Map<string, AreaSeries> | null = null;

/** Progress rows of one area, in progress.json order (registry order of the targets). */
export function progressFor(areaCode: string): ProgressRow[] {
  if (!progressIndex) {
    progressIndex = new Map();
    for (const row of progress().rows) {
      const list = progressIndex.get(row.area_code);
      if (list) list.push(row);
      else progressIndex.set(row.area_code, [row]);
    }
  }
  return progressIndex.get(areaCode) ?? [];
}

/** The time series of an area the dataset fully covers; undefined elsewhere. */
export function seriesFor(areaCode: string): AreaSeries | undefined {
  if (!seriesIndex) seriesIndex = new Map(timeseries().areas.map((a) => [a.code, a]));
  return seriesIndex.get(areaCode);
}
