/**
 * Targets registry: every quantitative target in the seed policy texts, machine-readable.
 * Data file: data/targets/registry.json (see data/targets/README.md for the rules it follows).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { NATIONAL_CODE } from '../core/area-codes';
import { CATEGORIES, type AreaLevel } from '../core/types';

export const DEFAULT_REGISTRY_PATH = 'data/targets/registry.json';

/** Controlled vocabulary of metrics, each with the only unit it may be stated in. */
export const METRICS = {
  urban_orgs_per_unit: { unit: '个/社区', label_zh: '城市社区平均拥有社区社会组织数', label_en: 'Organizations per urban community' },
  rural_orgs_per_unit: { unit: '个/社区', label_zh: '农村社区平均拥有社区社会组织数', label_en: 'Organizations per rural community' },
  new_orgs_per_year: { unit: '个/年', label_zh: '每年新增登记和备案社区社会组织数', label_en: 'New organizations registered or filed per year' },
  federation_coverage_streets: { unit: '%', label_zh: '街道社区社会组织联合会覆盖率', label_en: 'Share of urban sub-districts (街道) with a federation' },
  federation_coverage_townships: { unit: '%', label_zh: '乡镇社区社会组织联合会覆盖率', label_en: 'Share of townships (乡镇) with a federation' },
  federation_coverage_township_level: { unit: '%', label_zh: '街道和乡镇社区社会组织联合会覆盖率', label_en: 'Share of sub-districts and townships with a federation' },
  hub_support_coverage_township_level: { unit: '%', label_zh: '枢纽型、支持型社区社会组织覆盖的街道和乡镇比例', label_en: 'Share of sub-districts and townships covered by a hub/support organization' },
  hub_support_coverage_communities: { unit: '%', label_zh: '枢纽型、支持型社区社会组织覆盖的城乡社区比例', label_en: 'Share of communities covered by a hub/support organization' },
  social_work_agency_coverage_urban_communities: { unit: '%', label_zh: '民办社会工作机构覆盖的城市社区比例', label_en: 'Share of urban communities served by a private social work agency' },
  social_work_agency_coverage_rural_communities: { unit: '%', label_zh: '民办社会工作机构覆盖的农村社区比例', label_en: 'Share of rural communities served by a private social work agency' },
  social_service_agency_coverage_rural_communities: { unit: '%', label_zh: '有社会服务机构的农村社区比例', label_en: 'Share of rural communities with a social service agency' },
  training_person_times: { unit: '人次', label_zh: '社区社会工作人才培训累计人次', label_en: 'Cumulative training person-times' },
  training_sessions_per_year: { unit: '次/年', label_zh: '每年组织能力培训次数', label_en: 'Capacity-training sessions organized per year' },
  quality_project_selections_per_year: { unit: '次/年', label_zh: '每年组织优质项目评选次数', label_en: 'Quality-project selections held per year' },
  brand_orgs: { unit: '家', label_zh: '品牌社区社会组织数', label_en: 'Brand community organizations' },
  brand_projects: { unit: '个', label_zh: '社区社会组织品牌项目数', label_en: 'Brand projects of community organizations' },
  hub_demonstrations: { unit: '个', label_zh: '枢纽型社区社会组织示范点累计创建数', label_en: 'Hub organization demonstration sites created (cumulative)' },
  rural_pilots: { unit: '个', label_zh: '农村社区社会组织培育发展试点社区数', label_en: 'Rural pilot communities' },
} as const satisfies Record<string, { unit: string; label_zh: string; label_en: string }>;

export type TargetMetric = keyof typeof METRICS;
export const TARGET_METRICS = Object.keys(METRICS) as [TargetMetric, ...TargetMetric[]];
export const DENSITY_METRICS = { urban: 'urban_orgs_per_unit', rural: 'rural_orgs_per_unit' } as const;

export const APPLIES_TO = ['each', 'each_descendant_county', 'each_descendant_prefecture', 'aggregate'] as const;
export const COMPARATORS = ['>=', '<=', '=', '>'] as const;


const AreaCode = z.string().regex(/^\d{6}$/, 'expected a 6-digit area code');

function isCalendarDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ISO date yyyy-mm-dd')
  .refine(isCalendarDate, 'not a calendar date');

/** A document date may be reduced precision (ISO 8601 "2021") when the text gives only the year. */
const DocumentDate = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'expected an ISO date yyyy-mm-dd (or yyyy-mm, yyyy when the text gives no day)')
  .refine((s) => s.length < 10 || isCalendarDate(s), 'not a calendar date');

const Slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a lowercase slug (a-z, 0-9, hyphens)');

const MetricSchema = z.enum(TARGET_METRICS, {
  errorMap: (issue, ctx) =>
    issue.code === 'invalid_enum_value'
      ? { message: `unknown metric ${JSON.stringify(issue.received)} (expected one of: ${TARGET_METRICS.join(', ')})` }
      : { message: ctx.defaultError },
});

export const TargetDocumentSchema = z
  .object({
    id: Slug,
    file: z.string().regex(/^[^/\\]+\.txt$/, 'expected a seed file name (*.txt, no directory)'),
    title: z.string().min(1),
    issuer: z.string().min(1),
    number: z.string().min(1).nullable(),
    date: DocumentDate,
    scope_codes: z.array(AreaCode).min(1),
    url: z.string().url().nullable(),
    note: z.string(),
  })
  .strict();

export const TargetSchema = z
  .object({
    id: Slug,
    document: z.string().min(1),
    section: z.string().min(1),
    clause: z.string().min(1).refine((s) => !/[\r\n]/.test(s), 'clause must be quoted with line breaks removed'),
    areas: z.array(AreaCode).min(1),
    applies_to: z.enum(APPLIES_TO),
    metric: MetricSchema,
    comparator: z.enum(COMPARATORS),
    value: z.number().finite(),
    unit: z.string().min(1),
    deadline: IsoDate,
    period_start: IsoDate.nullable(),
    categories: z.array(z.enum(CATEGORIES)).min(1).optional(),
    series: Slug.optional(),
    data_needed: z.string().min(1),
    note: z.string().optional(),
  })
  .strict();

type Issue = { path: (string | number)[]; message: string };

/** True when `code` lies inside `scope` (a national, province or prefecture code, or the code itself). */
export function codeWithin(code: string, scope: string): boolean {
  if (scope === NATIONAL_CODE || code === scope) return true;
  if (scope.endsWith('0000')) return code.startsWith(scope.slice(0, 2));
  if (scope.endsWith('00')) return code.startsWith(scope.slice(0, 4));
  return false;
}

/** Level implied by a 6-digit code's trailing zeros. */
export function codeLevel(code: string): 'national' | AreaLevel {
  if (code === NATIONAL_CODE) return 'national';
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'prefecture';
  return 'county';
}

/** Cross-record rules zod cannot express per field. */
function integrityIssues(reg: { documents: TargetDocument[]; targets: Target[] }): Issue[] {
  const issues: Issue[] = [];
  const docIndex = new Map<string, number>();
  reg.documents.forEach((doc, i) => {
    const first = docIndex.get(doc.id);
    if (first !== undefined) issues.push({ path: ['documents', i, 'id'], message: `duplicate document id "${doc.id}" (first at documents[${first}])` });
    else docIndex.set(doc.id, i);
  });
  const targetIndex = new Map<string, number>();
  reg.targets.forEach((t, i) => {
    const at = (...rest: (string | number)[]) => ['targets', i, ...rest];
    const first = targetIndex.get(t.id);
    if (first !== undefined) issues.push({ path: at('id'), message: `duplicate target id "${t.id}" (first at targets[${first}])` });
    else targetIndex.set(t.id, i);

    const docAt = docIndex.get(t.document);
    if (docAt === undefined) {
      issues.push({ path: at('document'), message: `unknown document "${t.document}" (known: ${[...docIndex.keys()].join(', ')})` });
    } else {
      const scope = reg.documents[docAt].scope_codes;
      t.areas.forEach((code, j) => {
        if (!scope.some((s) => codeWithin(code, s)))
          issues.push({ path: at('areas', j), message: `area ${code} is outside document "${t.document}" scope (${scope.join(', ')})` });
      });
    }
    const seen = new Set<string>();
    t.areas.forEach((code, j) => {
      if (seen.has(code)) issues.push({ path: at('areas', j), message: `duplicate area code ${code}` });
      seen.add(code);
      const level = codeLevel(code);
      if (t.applies_to === 'each_descendant_county' && level === 'county')
        issues.push({ path: at('areas', j), message: `each_descendant_county needs a province or prefecture code, got county ${code}` });
      if (t.applies_to === 'each_descendant_prefecture' && level !== 'province' && level !== 'national')
        issues.push({ path: at('areas', j), message: `each_descendant_prefecture needs a province code, got ${level} ${code}` });
    });

    const expectedUnit = METRICS[t.metric].unit;
    if (t.unit !== expectedUnit) issues.push({ path: at('unit'), message: `metric ${t.metric} is stated in "${expectedUnit}", got "${t.unit}"` });
    if (t.unit === '%' && (t.value < 0 || t.value > 100)) issues.push({ path: at('value'), message: `percentage must be within 0–100, got ${t.value}` });
    if (t.value < 0) issues.push({ path: at('value'), message: `value must not be negative, got ${t.value}` });
    if (t.period_start !== null && t.period_start > t.deadline)
      issues.push({ path: at('period_start'), message: `period_start ${t.period_start} is after deadline ${t.deadline}` });
    if (t.categories && t.metric !== 'new_orgs_per_year')
      issues.push({ path: at('categories'), message: `categories only apply to new_orgs_per_year, not ${t.metric}` });
  });

  // A series is one metric stepped over time for the same areas: mixing would make "the step in force" meaningless.
  const seriesHead = new Map<string, number>();
  reg.targets.forEach((t, i) => {
    if (!t.series) return;
    const h = seriesHead.get(t.series);
    if (h === undefined) return void seriesHead.set(t.series, i);
    const head = reg.targets[h];
    const same =
      head.metric === t.metric &&
      head.applies_to === t.applies_to &&
      head.document === t.document &&
      head.areas.join(',') === t.areas.join(',') &&
      head.deadline !== t.deadline;
    if (!same)
      issues.push({
        path: ['targets', i, 'series'],
        message: `series "${t.series}" must share metric, document, applies_to and areas with targets[${h}] and differ in deadline`,
      });
  });
  return issues;
}

export const RegistrySchema = z
  .object({
    version: z.string().regex(/^\d{4}-\d{2}-\d{2}\.\d+$/, 'expected a version like 2026-11-21.1'),
    documents: z.array(TargetDocumentSchema).min(1),
    targets: z.array(TargetSchema).min(1),
  })
  .strict()
  .superRefine((reg, ctx) => {
    for (const issue of integrityIssues(reg)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: issue.path, message: issue.message });
  });

export type Target = z.infer<typeof TargetSchema>;
export type TargetDocument = z.infer<typeof TargetDocumentSchema>;
export type Registry = z.infer<typeof RegistrySchema>;

/** `targets[3].value` style path, as used in error messages. */
export function formatJsonPath(path: (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * Offsets of every value in a JSON text, keyed by formatted path, so schema errors can name line and column.
 * Only called on text JSON.parse has already accepted, so it needn't diagnose syntax.
 */
function locateJsonValues(text: string): Map<string, number> {
  const where = new Map<string, number>();
  let pos = 0;
  const skipWs = () => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  const readString = (): string => {
    const start = pos++;
    while (text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  const value = (path: (string | number)[]) => {
    skipWs();
    where.set(formatJsonPath(path), pos);
    const c = text[pos];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      pos++;
      skipWs();
      let index = 0;
      while (text[pos] !== close) {
        if (c === '{') {
          const key = readString();
          skipWs();
          pos++; // ':'
          value([...path, key]);
        } else {
          value([...path, index++]);
        }
        skipWs();
        if (text[pos] === ',') pos++;
        skipWs();
      }
      pos++;
    } else if (c === '"') {
      readString();
    } else {
      while (pos < text.length && !/[\s,\]}]/.test(text[pos])) pos++;
    }
  };
  value([]);
  return where;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

export class RegistryError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid targets registry (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'RegistryError';
  }
}

function validate(json: unknown, file: string, text?: string): Registry {
  const result = RegistrySchema.safeParse(json);
  if (result.success) return result.data;
  const offsets = text === undefined ? null : locateJsonValues(text);
  const problems = result.error.issues.map((issue) => {
    const path = formatJsonPath(issue.path);
    let where = '';
    if (offsets && text !== undefined) {
      // A missing key has no offset of its own: point at the nearest enclosing value.
      for (let n = issue.path.length; n >= 0; n--) {
        const off = offsets.get(formatJsonPath(issue.path.slice(0, n)));
        if (off !== undefined) {
          const { line, column } = lineColumn(text, off);
          where = ` (line ${line}, column ${column})`;
          break;
        }
      }
    }
    return `${file}: ${path}: ${issue.message}${where}`;
  });
  throw new RegistryError(file, problems);
}

/** Validate an in-memory registry object; `file` names it in error messages. */
export function parseRegistry(json: unknown, file: string): Registry {
  return validate(json, file);
}

/** Read and validate the registry file; throws naming the file and the JSON path (with line, column) of each problem. */
export function loadRegistry(path: string = DEFAULT_REGISTRY_PATH): Registry {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message);
    const where = at ? (({ line, column }) => ` (line ${line}, column ${column})`)(lineColumn(text, Number(at[1]))) : '';
    throw new RegistryError(path, [`${path}: (root): invalid JSON: ${message}${where}`]);
  }
  return validate(json, path, text);
}

export interface AreaRef {
  code: string;
  level: AreaLevel;
  /** Codes of the enclosing areas (prefecture, province); the national code 000000 is implied. */
  ancestors: string[];
}

function isAncestor(code: string, area: AreaRef): boolean {
  return code === NATIONAL_CODE || area.ancestors.includes(code);
}

function appliesTo(t: Target, area: AreaRef): boolean {
  switch (t.applies_to) {
    case 'each':
      return t.areas.includes(area.code);
    case 'each_descendant_county':
      return area.level === 'county' && t.areas.some((c) => isAncestor(c, area));
    case 'each_descendant_prefecture':
      return area.level === 'prefecture' && t.areas.some((c) => isAncestor(c, area));
    case 'aggregate':
      return t.areas.length === 1 && t.areas[0] === area.code;
  }
}

/** Every target that applies to this area individually, in registry order. */
export function targetsForArea(registry: Registry, area: AreaRef): Target[] {
  return registry.targets.filter((t) => appliesTo(t, area));
}

const LEVEL_RANK = { national: 0, province: 1, prefecture: 2, county: 3 } as const;

/** Higher is more specific: the area itself, then the nearest ancestor the target names. */
function specificity(t: Target, area: AreaRef): number {
  if (t.areas.includes(area.code)) return 10;
  return Math.max(...t.areas.filter((c) => isAncestor(c, area)).map((c) => LEVEL_RANK[codeLevel(c)]));
}

/** Target in force at `asOf`: earliest deadline not yet passed, else the latest one (ties by id). */
function inForce(candidates: Target[], asOf: string): Target | null {
  const upcoming = candidates.filter((t) => t.deadline >= asOf);
  const byDeadline = (a: Target, b: Target) => (a.deadline === b.deadline ? (a.id < b.id ? -1 : 1) : a.deadline < b.deadline ? -1 : 1);
  if (upcoming.length > 0) return [...upcoming].sort(byDeadline)[0];
  const passed = [...candidates].sort(byDeadline);
  return passed.length > 0 ? passed[passed.length - 1] : null;
}

/** The urban and rural per-community density targets in force for an area at a date. */
export function densityTargetsAt(registry: Registry, area: AreaRef, asOf: string): { urban: Target | null; rural: Target | null } {
  if (!IsoDate.safeParse(asOf).success) throw new Error(`densityTargetsAt: asOf must be an ISO date yyyy-mm-dd, got "${asOf}"`);
  const applicable = targetsForArea(registry, area);
  const pick = (metric: TargetMetric): Target | null => {
    const candidates = applicable.filter((t) => t.metric === metric);
    if (candidates.length === 0) return null;
    const best = Math.max(...candidates.map((t) => specificity(t, area)));
    return inForce(
      candidates.filter((t) => specificity(t, area) === best),
      asOf,
    );
  };
  return { urban: pick(DENSITY_METRICS.urban), rural: pick(DENSITY_METRICS.rural) };
}

/** Strip every whitespace character (incl. U+3000 ideographic space, NBSP, BOM) so PDF line breaks don't matter. */
export function normalizeForQuote(s: string): string {
  return s.replace(/[\s\u3000\u00a0\ufeff\u200b]+/g, '');
}
