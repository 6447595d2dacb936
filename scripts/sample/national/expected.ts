import { CATEGORIES, REGISTRATIONS, type Category, type Registration, type UnitKind } from '../../../src/lib/core/types';
import type { CountyRef, Reference } from './reference';

/**
 * The generator's own count of what a correct build must show, tallied row by row as the rows are
 * written (never by running the pipeline): units by kind, accepted rows, and organizations active
 * at the as-of date by kind, per county, rolled up to prefecture, province and 全国 (000000).
 */

export interface Counts {
  urban_units: number;
  rural_units: number;
  other_units: number;
  /** Valid rows placed here (active or not at as-of): what the reader accepts. */
  accepted_rows: number;
  urban_orgs: number; // active at as-of, placed in urban units
  rural_orgs: number;
  other_orgs: number; // placed in units of neither kind
  unplaced_orgs: number; // township-level
  total_orgs: number;
}

const zero = (): Counts => ({
  urban_units: 0,
  rural_units: 0,
  other_units: 0,
  accepted_rows: 0,
  urban_orgs: 0,
  rural_orgs: 0,
  other_orgs: 0,
  unplaced_orgs: 0,
  total_orgs: 0,
});

export class Tally {
  private readonly counties = new Map<string, Counts>();
  /** 全国's active organizations by category|registration. */
  private readonly categories = new Map<string, number>();

  private of(county: CountyRef): Counts {
    let c = this.counties.get(county.code);
    if (!c) {
      c = zero();
      this.counties.set(county.code, c);
    }
    return c;
  }

  /** A county of the slice with no unit or row at all still gets its row of zeros. */
  touch(county: CountyRef): void {
    this.of(county);
  }

  unit(county: CountyRef, kind: UnitKind): void {
    this.of(county)[`${kind}_units`]++;
  }

  row(county: CountyRef, kind: UnitKind | null, active: boolean, category: Category, registration: Registration): void {
    const c = this.of(county);
    c.accepted_rows++;
    if (!active) return;
    const key = `${category}|${registration}`;
    this.categories.set(key, (this.categories.get(key) ?? 0) + 1);
    c.total_orgs++;
    if (kind === null) c.unplaced_orgs++;
    else c[`${kind}_orgs`]++;
  }

  /** Rows sorted by code; a prefecture without counties (东莞 441900) is both a county and a prefecture. */
  summary(ref: Reference) {
    const add = (into: Counts, from: Counts) => {
      for (const k of Object.keys(into) as (keyof Counts)[]) into[k] += from[k];
    };
    const national = zero();
    const prefectures = new Map<string, Counts>();
    const provinces = new Map<string, Counts>();
    const codes = [...this.counties.keys()].sort();
    for (const code of codes) {
      const county = ref.counties.get(code)!;
      const c = this.counties.get(code)!;
      add(national, c);
      for (const [map, key] of [[prefectures, county.prefectureCode], [provinces, county.provinceCode]] as const) {
        if (!map.has(key)) map.set(key, zero());
        add(map.get(key)!, c);
      }
    }
    const rows = <T>(map: Map<string, Counts>, extra: (code: string) => T) =>
      [...map.keys()].sort().map((code) => ({ code, ...extra(code), ...map.get(code)! }));
    return {
      national: { code: '000000', name: '全国', ...national },
      categories: CATEGORIES.flatMap((category) => REGISTRATIONS.map((registration) => ({ category, registration, orgs: this.categories.get(`${category}|${registration}`) ?? 0 }))),
      provinces: rows(provinces, (code) => ({ name: ref.provinces.get(code)! })),
      prefectures: rows(prefectures, (code) => ({ name: ref.prefectures.get(code)!.name, province_code: ref.prefectures.get(code)!.provinceCode })),
      counties: codes.map((code) => {
        const county = ref.counties.get(code)!;
        return { code, name: county.name, prefecture_code: county.prefectureCode, province_code: county.provinceCode, ...this.counties.get(code)! };
      }),
    };
  }
}
