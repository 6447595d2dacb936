import type { Category } from '../../../src/lib/core/types';
import { creditCodeFor, type CreditType } from '../credit-code';
import { cmp, fromDay, toDay } from '../dates';
import { Rng, subSeed } from '../random';
import { CATEGORY_WEIGHTS, ORDINALS, TOWNSHIP_ACTIVITIES } from '../vocabulary';
import { DISSOLVED_SHARE, FILED_WITH_CODE, NATIONAL_ACTIVITIES, REGISTERED_SHARE, TOWNSHIP_MEAN, UNIT_MEAN, YEAR_WEIGHTS } from './facts';
import type { CountyRef, TownshipRef, UnitRef } from './reference';

/**
 * Drawing one township's organizations. Each township, county and province draws from its own
 * PRNG stream (seeded from its code), so a slice of the country writes the same organizations for
 * its townships as the full run does.
 */

export interface NationalOrg {
  name: string;
  unit: UnitRef | null; // null: township-level organization
  township: TownshipRef;
  category: Category;
  registration: '登记' | '备案';
  creditCode: string | null;
  establishedOn: string; // ISO
  dissolvedOn: string | null; // ISO, on or before as-of
}

export class DrawContext {
  private readonly provinceFactors = new Map<string, number>();
  private readonly countyFactors = new Map<string, number>();
  private readonly creditSeq = new Map<string, number>();
  readonly asOfDay: number;

  constructor(
    readonly seed: number,
    readonly asOf: string,
    /** Multiplies every mean (1 = the full national sample; 0.02 = a small slice for tests). */
    readonly scale: number,
  ) {
    this.asOfDay = toDay(asOf);
  }

  /** Provinces differ (0.7–1.35×): cultivation went further in some than in others. */
  provinceFactor(code: string): number {
    let f = this.provinceFactors.get(code);
    if (f === undefined) {
      f = 0.7 + 0.65 * new Rng(subSeed(this.seed, `province:${code}`)).float();
      this.provinceFactors.set(code, f);
    }
    return f;
  }

  /** Counties differ more (Gamma(4)/4, mean 1, kept within 0.35–2.2). */
  countyFactor(code: string): number {
    let f = this.countyFactors.get(code);
    if (f === undefined) {
      f = Math.min(2.2, Math.max(0.35, new Rng(subSeed(this.seed, `county:${code}`)).gamma(4) / 4));
      this.countyFactors.set(code, f);
    }
    return f;
  }

  /**
   * A new credit code in the county: the 民政 body counts up per county through a fixed
   * permutation of 0…999999 (7919 is coprime to 10⁶), so codes never repeat and need no lookup set.
   */
  nextCreditCode(type: CreditType, countyCode: string): string {
    const n = this.creditSeq.get(countyCode) ?? 0;
    this.creditSeq.set(countyCode, n + 1);
    if (n >= 1_000_000) throw new Error(`county ${countyCode}: more than a million credit codes`);
    return creditCodeFor(type, countyCode, (n * 7919 + 104_729) % 1_000_000);
  }

  drawEstablished(rng: Rng, latestYear = 9999): string {
    const year = rng.weighted(YEAR_WEIGHTS.filter(([y]) => y <= latestYear));
    const start = toDay(`${year}-01-01`);
    const end = Math.min(toDay(`${year}-12-31`), this.asOfDay);
    return fromDay(start + rng.int(end - start + 1));
  }

  /** Established 2010–2024, dissolved at least 90 days later and on or before as-of. */
  drawDissolved(rng: Rng): { establishedOn: string; dissolvedOn: string } {
    const establishedOn = this.drawEstablished(rng, 2024);
    const from = toDay(establishedOn) + 90;
    return { establishedOn, dissolvedOn: fromDay(from + rng.int(this.asOfDay - from + 1)) };
  }
}

const ordinal = (n: number) => (n === 0 ? '' : n <= ORDINALS.length ? ORDINALS[n - 1] : `第${n + 1}`);

function registration(ctx: DrawContext, rng: Rng, county: CountyRef, category: Category, share: number) {
  if (rng.chance(share)) {
    const type: CreditType = category === '功能服务型' && rng.chance(0.4) ? '2' : '1';
    return { registration: '登记' as const, creditCode: ctx.nextCreditCode(type, county.code) };
  }
  return { registration: '备案' as const, creditCode: rng.chance(FILED_WITH_CODE) ? ctx.nextCreditCode('9', county.code) : null };
}

/** Registered social groups carry the county in their name, as registered names do. */
const registeredName = (county: CountyRef, reg: { registration: string }, name: string) => (reg.registration === '登记' ? county.name + name : name);

const byDateThenName = (a: NationalOrg, b: NationalOrg) => cmp(a.establishedOn, b.establishedOn) || cmp(a.name, b.name);

/**
 * Organizations of one unit: at full scale at least one active, more in urban than rural units;
 * the unit's mean is the kind's mean × province × county factor × a Gamma(3)/3 unit factor.
 */
function unitOrgs(ctx: DrawContext, rng: Rng, unit: UnitRef, township: TownshipRef): NationalOrg[] {
  const county = township.county;
  const mean = UNIT_MEAN[unit.kind] * ctx.provinceFactor(county.provinceCode) * ctx.countyFactor(county.code) * (rng.gamma(3) / 3);
  const active = (rng.chance(ctx.scale) ? 1 : 0) + rng.poisson(ctx.scale * Math.max(0, mean - 1));
  let dissolved = 0;
  for (let i = 0; i < active; i++) if (rng.chance(DISSOLVED_SHARE)) dissolved++;
  const where = unit.kind === 'urban' ? 'u' : unit.kind === 'rural' ? 'r' : '*';
  const used = new Map<string, number>();
  const orgs: NationalOrg[] = [];
  for (let i = 0; i < active + dissolved; i++) {
    const category = rng.weighted(CATEGORY_WEIGHTS);
    const options = NATIONAL_ACTIVITIES[category].filter(([, w]) => w === '*' || w === where);
    const activity = rng.pick(options)[0];
    const n = used.get(activity) ?? 0;
    used.set(activity, n + 1);
    const life = i < active ? { establishedOn: ctx.drawEstablished(rng), dissolvedOn: null } : ctx.drawDissolved(rng);
    const reg = registration(ctx, rng, county, category, REGISTERED_SHARE.community);
    orgs.push({ name: registeredName(county, reg, unit.display + ordinal(n) + activity), unit, township, category, ...reg, ...life });
  }
  return orgs.sort(byDateThenName);
}

function townshipLevelOrgs(ctx: DrawContext, rng: Rng, township: TownshipRef): NationalOrg[] {
  const county = township.county;
  const count = Math.min(rng.poisson(TOWNSHIP_MEAN * ctx.provinceFactor(county.provinceCode) * ctx.scale), TOWNSHIP_ACTIVITIES.length);
  const pool = [...TOWNSHIP_ACTIVITIES];
  const orgs: NationalOrg[] = [];
  for (let i = 0; i < count; i++) {
    const [activity, category] = pool.splice(rng.int(pool.length), 1)[0];
    const life = rng.chance(0.05) ? ctx.drawDissolved(rng) : { establishedOn: ctx.drawEstablished(rng), dissolvedOn: null };
    const reg = registration(ctx, rng, county, category, REGISTERED_SHARE.township);
    orgs.push({ name: registeredName(county, reg, township.name + activity), unit: null, township, category, ...reg, ...life });
  }
  return orgs.sort(byDateThenName);
}

/** A township's organizations: each unit's in code order, then the township-level ones; and the stream for their cells. */
export function townshipOrgs(ctx: DrawContext, township: TownshipRef, units: readonly UnitRef[]): { orgs: NationalOrg[]; rng: Rng } {
  const rng = new Rng(subSeed(ctx.seed, `township:${township.code}`));
  const orgs: NationalOrg[] = [];
  for (const unit of units) orgs.push(...unitOrgs(ctx, rng, unit, township));
  orgs.push(...townshipLevelOrgs(ctx, rng, township));
  return { orgs, rng };
}
