import type { Category, Unit } from '../../../src/lib/core/types';
import { makeCreditCode } from '../credit-code';
import { cmp, fromDay, toDay } from '../dates';
import { communityShortName } from '../names';
import type { Rng } from '../random';
import { ACTIVITIES, CATEGORY_WEIGHTS, ORDINALS, TOWNSHIP_ACTIVITIES } from '../vocabulary';
import { AS_OF_DAY, YEAR_WEIGHTS, YI_ACTIVITIES } from './facts';
import type { Context, SampleOrg } from './types';

/** Drawing the Leshan sample's organizations: how many per community, their names, dates and registration. */

export function drawEstablished(rng: Rng, latestYear = 2025): string {
  const year = rng.weighted(YEAR_WEIGHTS.filter(([y]) => y <= latestYear));
  const start = toDay(`${year}-01-01`);
  const end = Math.min(toDay(`${year}-12-31`), AS_OF_DAY);
  return fromDay(start + rng.int(end - start + 1));
}

function drawRegistration(ctx: Context, org: Omit<SampleOrg, 'registration' | 'creditCode'>, pRegistered: number) {
  const { rng } = ctx;
  if (rng.chance(pRegistered)) {
    const type = org.category === '功能服务型' && rng.chance(0.4) ? '2' : '1';
    return { registration: '登记' as const, creditCode: makeCreditCode(rng, type, org.countyCode, ctx.creditCodes) };
  }
  // A few filed organizations carry a code issued under "民政-其他".
  const creditCode = rng.chance(0.015) ? makeCreditCode(rng, '9', org.countyCode, ctx.creditCodes) : null;
  return { registration: '备案' as const, creditCode };
}

function drawLife(ctx: Context): { establishedOn: string; dissolvedOn: string | null } {
  return { establishedOn: drawEstablished(ctx.rng), dissolvedOn: null };
}

/** A dissolved organization: established 2015–2023, dissolved at least 90 days later and by as-of. */
function drawDissolvedLife(ctx: Context): { establishedOn: string; dissolvedOn: string } {
  const establishedOn = drawEstablished(ctx.rng, 2023);
  const from = toDay(establishedOn) + 90;
  return { establishedOn, dissolvedOn: fromDay(from + ctx.rng.int(AS_OF_DAY - from + 1)) };
}

/** Splits `total` over communities with Gamma(3) weights (largest remainder): some fall short. */
export function allocate(rng: Rng, n: number, total: number): number[] {
  const weights = Array.from({ length: n }, () => rng.gamma(3));
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k++, left--) counts[order[k % n][1]]++;
  return counts;
}

export function communityOrgs(ctx: Context, unit: Unit, active: number): SampleOrg[] {
  const { rng } = ctx;
  const kind = unit.kind;
  const yi = unit.countyCode === '511132' || unit.countyCode === '511133';
  const core = communityShortName(unit.name);
  const used = new Map<string, number>(); // activity → times used in this community
  const dissolvedExtra = Array.from({ length: active }, () => rng.chance(0.065)).filter(Boolean).length;
  const orgs: SampleOrg[] = [];
  for (let i = 0; i < active + dissolvedExtra; i++) {
    let category: Category;
    let activity: string;
    if (yi && rng.chance(0.12)) {
      [activity, category] = rng.pick(YI_ACTIVITIES);
    } else {
      category = rng.weighted(CATEGORY_WEIGHTS);
      const options = ACTIVITIES[category].filter(([, where]) => where === '*' || where === (kind === 'urban' ? 'u' : 'r'));
      activity = rng.pick(options)[0];
    }
    const n = used.get(activity) ?? 0;
    used.set(activity, n + 1);
    const life = i < active ? drawLife(ctx) : drawDissolvedLife(ctx);
    const base = {
      name: core + (n === 0 ? '' : ORDINALS[Math.min(n - 1, ORDINALS.length - 1)] + (n > ORDINALS.length ? String(n) : '')) + activity,
      countyCode: unit.countyCode,
      townshipCode: unit.townshipCode,
      communityCode: unit.code,
      kind,
      category,
      ...life,
    };
    orgs.push(withRegistration(ctx, base, 0.14));
  }
  return orgs;
}

export function townshipOrgs(ctx: Context, townshipCode: string): SampleOrg[] {
  const { rng, divisions } = ctx;
  const township = divisions.townships.get(townshipCode)!;
  const count = Math.min(rng.poisson(2.2), TOWNSHIP_ACTIVITIES.length);
  const pool = [...TOWNSHIP_ACTIVITIES];
  const orgs: SampleOrg[] = [];
  for (let i = 0; i < count; i++) {
    const [activity, category] = pool.splice(rng.int(pool.length), 1)[0];
    const life = rng.chance(0.05) ? drawDissolvedLife(ctx) : drawLife(ctx);
    const base = {
      name: township.name + activity,
      countyCode: township.countyCode,
      townshipCode,
      communityCode: null,
      kind: null,
      category,
      ...life,
    };
    orgs.push(withRegistration(ctx, base, 0.4));
  }
  return orgs;
}

export const countyName = (ctx: Context, code: string) => ctx.divisions.areas.get(code)!.name;

/** Draws the registration kind; registered social groups carry the county in their name. */
function withRegistration(ctx: Context, base: Parameters<typeof drawRegistration>[1], share: number): SampleOrg {
  const reg = drawRegistration(ctx, base, share);
  const name = reg.registration === '登记' ? countyName(ctx, base.countyCode) + base.name : base.name;
  return { ...base, name, ...reg } as SampleOrg;
}

export const byEstablished = (a: SampleOrg, b: SampleOrg) =>
  cmp(a.communityCode ?? a.townshipCode, b.communityCode ?? b.townshipCode) || cmp(a.establishedOn, b.establishedOn) || cmp(a.name, b.name);
