import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDivisions } from '../helpers/divisions';
import { OrgColumnsBuilder, type UnitPositions } from '../../src/lib/core/org-columns';
import type { Divisions } from '../../src/lib/ingest/divisions';
import type { OrgRecord } from '../../src/lib/core/types';

let divisions: Divisions;
let records: OrgRecord[];
beforeAll(async () => {
  divisions = await sharedDivisions(['5111']);
  // three organizations in each of the first 40 units of 乐山市, one placed in a township only, one in a county only
  const units = [...divisions.units.values()].slice(0, 40);
  records = units.flatMap((u, i) =>
    [0, 1, 2].map((k): OrgRecord => ({
      name: `组织${i}-${k}`,
      communityCode: k === 2 && i % 7 === 0 ? null : u.code,
      townshipCode: k === 2 && i % 11 === 0 ? null : u.townshipCode,
      countyCode: u.countyCode,
      category: '其他',
      categoryRaw: null,
      registration: '备案',
      creditCode: null,
      establishedOn: '2020-01-01',
      establishedPrecision: 'day',
      dissolvedOn: null,
      dissolvedPrecision: null,
      dissolvedDateUnknown: false,
      source: { file: `organizations/${i % 3}.csv`, line: i * 3 + k + 2 },
    })),
  );
});

/** A fixed shuffle: the same order every run. */
const shuffled = <T>(list: readonly T[]) => list.map((v, i) => [(i * 7919) % 1009, v] as const).sort((a, b) => a[0] - b[0]).map(([, v]) => v);

const build = (rows: readonly OrgRecord[], units: UnitPositions | null, split?: number) => {
  const a = new OrgColumnsBuilder(16, units);
  if (split === undefined) {
    for (const r of rows) a.push(r);
    return a.finish();
  }
  const b = new OrgColumnsBuilder(16, units);
  rows.slice(0, split).forEach((r) => a.push(r));
  rows.slice(split).forEach((r) => b.push(r));
  a.append(b.exportRows());
  return a.finish();
};

describe.each([
  { name: 'rows in place order', order: (r: OrgRecord[]) => r, split: undefined },
  { name: 'rows in no order', order: shuffled, split: undefined },
  { name: 'rows read by two threads, places on both sides of the split', order: shuffled, split: 50 },
  { name: 'rows read by two threads, in place order', order: (r: OrgRecord[]) => r, split: 61 },
])('unit codes coded by position among the divisions’ units: $name', ({ order, split }) => {
  it('gives the columns a Map of codes gives', () => {
    const rows = order(records);
    const byPosition = build(rows, divisions.units, split);
    expect(byPosition).toEqual(build(rows, null, split));
    expect(byPosition.units.length).toBe(new Set(rows.map((r) => r.communityCode).filter((c) => c !== null)).size);
    expect([...byPosition.unit].filter((u) => u < 0).length).toBe(rows.filter((r) => r.communityCode === null).length);
  });
});
