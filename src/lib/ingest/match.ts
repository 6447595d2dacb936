import { countiesUnder, type Divisions } from './divisions';
import { NATIONAL_CODE } from '../core/area-codes';
import { nfkc } from '../core/text';
import type { Unit, UnitKind } from '../core/types';
import { problem, type Problem } from './errors';

/**
 * Places an organization in the NBS division tree, by 12-digit community code or by names.
 * Names are matched strictly enough that a wrong placement is never silent: every fuzzy rule
 * must produce exactly one candidate, otherwise the row is rejected naming the candidates.
 */

/** NFKC (full-width → half-width) and no whitespace or zero-width characters. */
export const normaliseName = (raw: string) => nfkc(raw).replace(/[\s\u200b-\u200d\ufeff]+/g, '');

/** "峨边县" = "峨边彝族自治县": same stem (input minus its last character, ≥ 2 characters) and same last character. */
function isShortForm(candidate: string, input: string): boolean {
  if (input.length < 3 || candidate === input) return false;
  const stem = input.slice(0, -1);
  return candidate.startsWith(stem) && candidate.endsWith(input.slice(-1));
}

/** Runs match stages in order; the first stage with any hit decides (one hit = match, several = ambiguous). */
function firstStage<T>(candidates: T[], stages: ((c: T) => boolean)[]): T[] {
  for (const stage of stages) {
    const hits = candidates.filter(stage);
    if (hits.length) return hits;
  }
  return [];
}

const COUNTY_SUFFIX = /(自治县|自治旗|县|区|市|旗|特区|林区)$/;
const TOWNSHIP_SUFFIX = /(街道|镇|乡|苏木)$/;

export function normaliseTownshipName(raw: string): string {
  return normaliseName(raw)
    .replace(/街道办事处$/, '街道')
    .replace(/办事处$/, '街道')
    .replace(/镇人民政府$/, '镇')
    .replace(/乡人民政府$/, '乡');
}

const URBAN_SUFFIX = /(社区居民委员会|社区居委会|社区居委|社区委员会|居民委员会|居委会|居委|社区)$/;
const RURAL_COMMITTEE = /(村民委员会|村委会|村委)$/;

/**
 * A community name without its committee suffix, and the kind the suffix suggests:
 * "XX社区居委会" = "XX社区" = "XX居委会" → XX (urban); "XX村村民委员会" = "XX村委会" = "XX村" → XX (rural).
 */
export function communityCore(raw: string): { core: string; hint: UnitKind | null } {
  const name = normaliseName(raw);
  const urban = URBAN_SUFFIX.exec(name);
  if (urban && urban.index > 0) return { core: name.slice(0, urban.index), hint: 'urban' };
  const committee = RURAL_COMMITTEE.exec(name);
  if (committee && committee.index > 0) {
    let core = name.slice(0, committee.index);
    if (core.endsWith('村') && core.length > 1) core = core.slice(0, -1); // 新都村村民委员会
    return { core, hint: 'rural' };
  }
  if (name.endsWith('村') && name.length > 1) return { core: name.slice(0, -1), hint: 'rural' };
  return { core: name, hint: null };
}

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** Place names as a row writes them (null when not written). */
export interface PlaceNames {
  county: string | null;
  township: string | null;
  community: string | null;
}

export interface PlacementInput extends PlaceNames {
  communityCode: string | null;
}

/** Headers as written in the file, for rejections. */
export interface PlacementColumns {
  communityCode: string | null;
  county: string | null;
  township: string | null;
  community: string | null;
}

export interface Placement {
  communityCode: string | null;
  townshipCode: string | null;
  countyCode: string;
}

export type PlacementResult = { ok: true; placement: Placement } | { ok: false; problem: Problem };

type Match<T> = { ok: true; value: T } | { ok: false; zh: string; en: string };

const MAX_LISTED = 6;
const listed = (items: string[]) =>
  items.slice(0, MAX_LISTED).join('、') + (items.length > MAX_LISTED ? ` 等 ${items.length} 个` : '');
const listedEn = (items: string[]) =>
  items.slice(0, MAX_LISTED).join(', ') + (items.length > MAX_LISTED ? ` and ${items.length - MAX_LISTED} more` : '');

export class PlacementMatcher {
  private readonly divisions: Divisions;
  private readonly counties: string[];
  private readonly countySet: Set<string>;
  private readonly scopeLabel: string;

  /** scope: 6-digit area codes (meta.scope); without it every county in the divisions is a candidate. */
  constructor(divisions: Divisions, scope?: readonly string[]) {
    this.divisions = divisions;
    const counties = scope?.length
      ? scope.flatMap((code) => countiesUnder(divisions, code))
      : countiesUnder(divisions, NATIONAL_CODE); // counties and prefectures without counties (东莞)
    this.counties = [...new Set(counties)].sort();
    this.countySet = new Set(this.counties);
    this.scopeLabel = scope?.length ? scope.join(',') : '';
  }

  /** Counties the dataset may place organizations in, sorted. */
  get scopeCounties(): readonly string[] {
    return this.counties;
  }

  // unitInScope's last answer: a ledger lists a community's organizations together
  private lastCode: string | null = null;
  private lastUnit: Unit | undefined = undefined;

  /**
   * The unit of a community code as written, when it is a known unit inside the scope; otherwise undefined and
   * placeByCode says why (the reader's plain-row path, rows.ts plainRowReader: every key of the units is 12 digits).
   */
  unitInScope(code: string): Unit | undefined {
    if (code === this.lastCode) return this.lastUnit;
    const unit = this.divisions.units.get(code);
    this.lastCode = code;
    this.lastUnit = unit !== undefined && this.countySet.has(unit.countyCode) ? unit : undefined;
    return this.lastUnit;
  }

  /** "乐山市市中区（511102）" for a county, "白马镇（511102103）" for a township. */
  label(code: string): string {
    if (code.length === 9) return `${this.divisions.townships.get(code)?.name ?? ''}（${code}）`;
    return this.countyLabel(code);
  }

  private countyLabel(code: string): string {
    const area = this.divisions.areas.get(code);
    const parent = area?.parentCode ? this.divisions.areas.get(area.parentCode)?.name : undefined;
    return `${parent ?? ''}${area?.name ?? code}（${code}）`;
  }

  private countyNames: { code: string; name: string }[] | null = null;
  /** Rows repeat the same few names: results are memoised per input. */
  private readonly memo = new Map<string, Match<string>>();

  private memoised(key: string, compute: () => Match<string>): Match<string> {
    let result = this.memo.get(key);
    if (!result) {
      result = compute();
      this.memo.set(key, result);
    }
    return result;
  }

  private readonly countyHitsMemo = new Map<string, { code: string; name: string }[]>();

  /** Memoised per input: every row of a national file that names its county would otherwise scan all 2,900 counties. */
  private countyHits(input: string): { code: string; name: string }[] {
    let hits = this.countyHitsMemo.get(input);
    if (!hits) {
      hits = this.computeCountyHits(input);
      this.countyHitsMemo.set(input, hits);
    }
    return hits;
  }

  /** The counties under each normalised name, in countyNames' order (市中区 is five counties nationally): the first stage by key. */
  private countiesByName: Map<string, { code: string; name: string }[]> | null = null;

  private computeCountyHits(input: string): { code: string; name: string }[] {
    this.countyNames ??= this.counties.map((code) => ({ code, name: normaliseName(this.divisions.areas.get(code)!.name) }));
    if (!this.countiesByName) {
      this.countiesByName = new Map();
      for (const c of this.countyNames) {
        const list = this.countiesByName.get(c.name);
        if (list) list.push(c);
        else this.countiesByName.set(c.name, [c]);
      }
    }
    const named = this.countiesByName.get(input);
    if (named) return [...named];
    return firstStage(this.countyNames, [
      (c) => isShortForm(c.name, input),
      // "峨边" for 峨边彝族自治县: a bare name without any county suffix
      (c) => input.length >= 2 && !COUNTY_SUFFIX.test(input) && c.name.startsWith(input),
    ]);
  }

  matchCounty(raw: string): Match<string> {
    return this.memoised(`county\u0000${raw}`, () => this.computeCounty(raw));
  }

  private computeCounty(raw: string): Match<string> {
    const input = normaliseName(raw);
    if (/^\d{6}$/.test(input)) {
      if (this.countySet.has(input)) return { ok: true, value: input };
      return { ok: false, zh: `未知区县代码：${input}`, en: `unknown county code: ${input}` };
    }
    const hits = this.countyHits(input);
    if (hits.length === 1) return { ok: true, value: hits[0].code };
    const where = this.scopeLabel ? `数据范围 ${this.scopeLabel} 内` : '';
    const whereEn = this.scopeLabel ? ` within scope ${this.scopeLabel}` : '';
    if (hits.length === 0) return { ok: false, zh: `${where}未知区县：${raw}`, en: `unknown county${whereEn}: ${raw}` };
    const labels = hits.map((h) => this.countyLabel(h.code));
    return {
      ok: false,
      zh: `匹配到多个区县：${listed(labels)}；请填写社区代码或在 dataset.json 中设置 scope`,
      en: `matches several counties: ${listedEn(labels)}; give the community code or set scope in dataset.json`,
    };
  }

  matchTownship(countyCode: string, raw: string): Match<string> {
    return this.memoised(`township\u0000${countyCode}\u0000${raw}`, () => this.computeTownship(countyCode, raw));
  }

  private computeTownship(countyCode: string, raw: string): Match<string> {
    const input = normaliseTownshipName(raw);
    const codes = this.divisions.townshipsOf.get(countyCode) ?? [];
    const countyName = this.divisions.areas.get(countyCode)?.name ?? countyCode;
    if (/^\d{9}$/.test(input)) {
      if (codes.includes(input)) return { ok: true, value: input };
      return { ok: false, zh: `${countyName}内没有乡镇街道代码 ${input}`, en: `no township code ${input} in ${countyName}` };
    }
    // Both sides in the same form: an NBS name ending in 办事处 (庆北办事处) reads as 街道, as the input does.
    const names = this.townshipNamesOf(countyCode, normaliseTownshipName);
    const hits = firstStage(names, [
      (c) => c.name === input,
      (c) => isShortForm(c.name, input),
      (c) => input.length >= 2 && !TOWNSHIP_SUFFIX.test(input) && c.name.replace(TOWNSHIP_SUFFIX, '') === input,
    ]);
    if (hits.length === 1) return { ok: true, value: hits[0].code };
    if (hits.length === 0) {
      return { ok: false, zh: `${countyName}内未知乡镇街道：${raw}`, en: `unknown township in ${countyName}: ${raw}` };
    }
    const labels = hits.map((h) => `${this.divisions.townships.get(h.code)!.name}（${h.code}）`);
    return { ok: false, zh: `乡镇街道名称不唯一：${listed(labels)}`, en: `township name is ambiguous: ${listedEn(labels)}` };
  }

  /**
   * Matches a community name among the units of the given townships. `scope` names that set of townships for the
   * memo (a county code when they are all of its townships): a national file asks this of hundreds of thousands of rows.
   */
  matchCommunity(townshipCodes: readonly string[], raw: string, placeLabel: string, scope = townshipCodes.join(',')): Match<string> {
    const key = `community\u0000${scope}\u0000${raw}\u0000${placeLabel}`;
    return this.memoised(key, () => this.computeCommunity(townshipCodes, raw, placeLabel));
  }

  private readonly unitNames = new Map<string, { unit: Unit; name: string; core: string }[]>();

  /** A township's units with their normalised names and cores, computed once (each name a county holds is matched against them). */
  private unitNamesOf(township: string): { unit: Unit; name: string; core: string }[] {
    let list = this.unitNames.get(township);
    if (!list) {
      list = (this.divisions.unitsOf.get(township) ?? []).map((c) => {
        const unit = this.divisions.units.get(c)!;
        return { unit, name: normaliseName(unit.name), core: communityCore(unit.name).core };
      });
      this.unitNames.set(township, list);
    }
    return list;
  }

  private computeCommunity(townshipCodes: readonly string[], raw: string, placeLabel: string): Match<string> {
    const input = normaliseName(raw);
    const cores = townshipCodes.flatMap((t) => this.unitNamesOf(t));
    if (/^\d{12}$/.test(input)) {
      if (cores.some((c) => c.unit.code === input)) return { ok: true, value: input };
      return { ok: false, zh: `${placeLabel}内没有社区代码 ${input}`, en: `no community code ${input} in ${placeLabel}` };
    }
    const { core, hint } = communityCore(input);
    const hits = firstStage(cores, [
      (c) => c.name === input,
      (c) => hint !== null && c.core === core && c.unit.kind === hint,
      // core only: "余溪" matches both 余溪社区 and 余溪村 (then ambiguous); "新村" also matches a 新村社区 core
      (c) => c.core === core || c.core === input,
    ]);
    const label = (u: Unit) => `${u.name}（${u.code}${townshipCodes.length > 1 ? '，' + this.divisions.townships.get(u.townshipCode)?.name : ''}）`;
    if (hits.length === 1) return { ok: true, value: hits[0].unit.code };
    if (hits.length > 1) {
      const labels = hits.map((h) => label(h.unit));
      return { ok: false, zh: `社区名称不唯一：${listed(labels)}；请写全称或填写社区代码`, en: `community name is ambiguous: ${listedEn(labels)}; write the full name or give the community code` };
    }
    const close = cores
      .filter((c) => c.core.includes(core) || core.includes(c.core) || levenshtein(c.core, core) <= 1)
      .map((c) => label(c.unit));
    const suggestion = close.length ? `；相近：${listed(close)}` : '';
    const suggestionEn = close.length ? `; close: ${listedEn(close)}` : '';
    return { ok: false, zh: `${placeLabel}内未知社区：${raw}${suggestion}`, en: `unknown community in ${placeLabel}: ${raw}${suggestionEn}` };
  }

  private countyTextNames: { code: string; names: string[] }[] | null = null;

  /**
   * Counties named in free text (a title, a sheet or file name): full names, and 峨边县 for
   * 峨边彝族自治县. A name inside a longer one found at the same place is not a hit; several counties
   * are narrowed to those whose prefecture or province is also named ("乐山市市中区"). Sorted codes.
   */
  countiesInText(raw: string): string[] {
    const text = normaliseName(raw);
    this.countyTextNames ??= this.counties.map((code) => {
      const name = normaliseName(this.divisions.areas.get(code)!.name);
      const names = [name];
      if (/自治(县|旗)$/.test(name) && name.length > 5) names.push(name.slice(0, 2) + name.slice(-1));
      return { code, names };
    });
    const spans: { code: string; start: number; end: number }[] = [];
    for (const { code, names } of this.countyTextNames) {
      for (const name of names) {
        for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) spans.push({ code, start: at, end: at + name.length });
      }
    }
    const outer = spans.filter((a) => !spans.some((b) => b !== a && b.start <= a.start && b.end >= a.end && b.end - b.start > a.end - a.start));
    let codes = [...new Set(outer.map((s) => s.code))].sort();
    if (codes.length > 1) {
      const named = codes.filter((code) => {
        const area = this.divisions.areas.get(code)!;
        const parents = [area.parentCode, area.parentCode ? this.divisions.areas.get(area.parentCode)?.parentCode : null];
        return parents.some((p) => p && text.includes(normaliseName(this.divisions.areas.get(p)?.name ?? '\u0000')));
      });
      if (named.length) codes = named;
    }
    return codes;
  }

  private readonly townshipNames = new Map<(name: string) => string, Map<string, { code: string; name: string }[]>>();

  /**
   * A county's townships with their names in one normalised form, computed once per county and form: a national
   * ledger asks for thousands of township names, and a file's name is looked for among all 40,000 townships.
   */
  private townshipNamesOf(county: string, normalise: (name: string) => string): { code: string; name: string }[] {
    let byCounty = this.townshipNames.get(normalise);
    if (!byCounty) this.townshipNames.set(normalise, (byCounty = new Map()));
    let list = byCounty.get(county);
    if (!list) {
      list = (this.divisions.townshipsOf.get(county) ?? []).map((code) => ({ code, name: normalise(this.divisions.townships.get(code)!.name) }));
      byCounty.set(county, list);
    }
    return list;
  }

  /** Townships named in free text by their full name (白马镇, 张公桥街道), within the given counties. Sorted codes. */
  townshipsInText(raw: string, countyCodes: readonly string[]): string[] {
    const text = normaliseName(raw);
    const found = new Set<string>();
    for (const county of countyCodes) {
      for (const { code, name } of this.townshipNamesOf(county, normaliseName)) if (name.length >= 2 && text.includes(name)) found.add(code);
    }
    // 新场镇 inside 新场镇街道? keep only names not contained in another hit
    const names = [...found].map((code) => ({ code, name: normaliseName(this.divisions.townships.get(code)!.name) }));
    return names.filter((a) => !names.some((b) => b !== a && b.name.includes(a.name))).map((a) => a.code).sort();
  }

  /** Code first (names, when also given, must agree with it); else county → township → community names. */
  place(input: PlacementInput, columns: PlacementColumns): PlacementResult {
    const fail = (column: string | null, m: { zh: string; en: string }, value: string | null): PlacementResult => ({
      ok: false,
      problem: problem(column, m.zh, m.en, value),
    });
    if (input.communityCode !== null) return this.placeByCode(input, columns);
    if (input.county === null) {
      const column = columns.county ?? columns.communityCode;
      return fail(column, { zh: '社区代码和区县均为空，无法确定所在地区', en: 'community code and county are both empty: cannot place the organization' }, null);
    }
    const county = this.matchCounty(input.county);
    if (!county.ok) return fail(columns.county, county, input.county);
    const countyCode = county.value;
    const countyName = this.divisions.areas.get(countyCode)!.name;
    let townshipCode: string | null = null;
    if (input.township !== null) {
      const township = this.matchTownship(countyCode, input.township);
      if (!township.ok) return fail(columns.township, township, input.township);
      townshipCode = township.value;
    }
    if (input.community === null) return { ok: true, placement: { communityCode: null, townshipCode, countyCode } };
    const searchIn = townshipCode ? [townshipCode] : (this.divisions.townshipsOf.get(countyCode) ?? []);
    const placeLabel = townshipCode ? `${countyName}${this.divisions.townships.get(townshipCode)!.name}` : countyName;
    const community = this.matchCommunity(searchIn, input.community, placeLabel, townshipCode ?? `county ${countyCode}`);
    if (!community.ok) return fail(columns.community, community, input.community);
    const unit = this.divisions.units.get(community.value)!;
    return { ok: true, placement: { communityCode: unit.code, townshipCode: unit.townshipCode, countyCode: unit.countyCode } };
  }

  private placeByCode(input: PlacementInput, columns: PlacementColumns): PlacementResult {
    const code = input.communityCode!;
    const column = columns.communityCode;
    const twelveDigits = /^\d{12}$/.test(code);
    if (!twelveDigits && /^\d(\.\d+)?E\+\d+$/i.test(code)) {
      return {
        ok: false,
        problem: problem(column, `社区代码被 Excel 改成了科学计数法，已丢失位数：${code}；请把该列设为文本后重新导出`, `community code was turned into scientific notation by Excel and lost digits: ${code}; format the column as text and export again`, code),
      };
    }
    if (!twelveDigits) {
      return { ok: false, problem: problem(column, `社区代码应为 12 位数字：${code}`, `community code must be 12 digits: ${code}`, code) };
    }
    const unit = this.divisions.units.get(code);
    // Only the scope's provinces are loaded: a real code elsewhere is out of scope, not unknown.
    if (!unit && this.scopeLabel && !this.countySet.has(code.slice(0, 6))) {
      return {
        ok: false,
        problem: problem(column, `社区代码不在数据范围 ${this.scopeLabel} 内：${code}`, `community code is outside the dataset scope ${this.scopeLabel}: ${code}`, code),
      };
    }
    if (!unit) {
      return { ok: false, problem: problem(column, `未知社区代码（不在 2023 年统计用区划代码中）：${code}`, `unknown community code (not in the NBS 2023 division codes): ${code}`, code) };
    }
    if (!this.countySet.has(unit.countyCode)) {
      return {
        ok: false,
        problem: problem(column, `社区代码不在数据范围 ${this.scopeLabel} 内：${code}`, `community code is outside the dataset scope ${this.scopeLabel}: ${code}`, code),
      };
    }
    const mismatch = this.namesAgainstUnit(unit, input);
    if (mismatch !== null) {
      const { field, given, actual } = mismatch;
      const column = columns[field];
      return {
        ok: false,
        problem: problem(column, `代码与名称不一致：社区代码 ${code} 属于 ${actual}，但填写的是“${given}”`, `code and name disagree: community code ${code} belongs to ${actual}, but the row says "${given}"`, given),
      };
    }
    return { ok: true, placement: { communityCode: unit.code, townshipCode: unit.townshipCode, countyCode: unit.countyCode } };
  }

  /**
   * Whether the county, township and community names written beside a code (each null when not written) name
   * the code's unit: null when they all do, else the first name that does not and the area the code belongs to.
   */
  namesAgainstUnit(unit: Unit, names: PlaceNames): { field: keyof PlaceNames; given: string; actual: string } | null {
    if (names.county === null && names.township === null && names.community === null) return null;
    const countyName = this.divisions.areas.get(unit.countyCode)!.name;
    if (names.county !== null) {
      // "市中区" alone is ambiguous nationally, but consistent with a code in Leshan's 市中区
      const normalised = normaliseName(names.county);
      const fits = normalised === unit.countyCode || this.countyHits(normalised).some((h) => h.code === unit.countyCode);
      if (!fits) return { field: 'county', given: names.county, actual: countyName };
    }
    const townshipName = this.divisions.townships.get(unit.townshipCode)!.name;
    if (names.township !== null) {
      const township = this.matchTownship(unit.countyCode, names.township);
      if (!township.ok || township.value !== unit.townshipCode) return { field: 'township', given: names.township, actual: `${countyName}${townshipName}` };
    }
    if (names.community !== null && !this.namesUnitAlone(unit, names.community)) {
      const community = this.matchCommunity([unit.townshipCode], names.community, `${countyName}${townshipName}`, unit.townshipCode);
      if (!community.ok || community.value !== unit.code) return { field: 'community', given: names.community, actual: unit.name };
    }
    return null;
  }

  /** Per township, how many units carry each normalised name, each core and each core of each kind (unitNamesOf's), counted once. */
  private readonly namesInTownship = new Map<string, { names: Map<string, number>; cores: Map<string, number>; coreKinds: Map<string, number> }>();

  /**
   * Whether a community name written beside a code names the unit for sure: true only where matchCommunity would
   * answer the unit, computed from counts instead (its stages in order: the normalised name, the core of the hinted
   * kind, the core alone). A national file writes each row's community name beside its code, often short (白马社区
   * for 白马社区居民委员会): answered here, the matcher's memo no longer gathers a key per community. False sends the
   * row to matchCommunity, which says what does not fit.
   */
  private namesUnitAlone(unit: Unit, written: string): boolean {
    let counts = this.namesInTownship.get(unit.townshipCode);
    if (!counts) {
      counts = { names: new Map(), cores: new Map(), coreKinds: new Map() };
      const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
      for (const { unit: u, name, core } of this.unitNamesOf(unit.townshipCode)) {
        bump(counts.names, name);
        bump(counts.cores, core);
        bump(counts.coreKinds, `${core}\u0000${u.kind}`);
      }
      this.namesInTownship.set(unit.townshipCode, counts);
    }
    const input = normaliseName(written);
    if (/^\d{12}$/.test(input)) return false; // a code in the name's column: matchCommunity's own case
    const byName = counts.names.get(input) ?? 0;
    if (byName > 0) return byName === 1 && input === normaliseName(unit.name);
    const { core, hint } = communityCore(input);
    const unitCore = communityCore(unit.name).core;
    const byKind = hint === null ? 0 : (counts.coreKinds.get(`${core}\u0000${hint}`) ?? 0);
    if (byKind > 0) return byKind === 1 && unitCore === core && unit.kind === hint;
    const byCore = (counts.cores.get(core) ?? 0) + (core === input ? 0 : (counts.cores.get(input) ?? 0));
    return byCore === 1 && (unitCore === core || unitCore === input);
  }
}
