import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeNationalSample } from '../../scripts/generate-national-sample';
import { sharedDivisions } from '../helpers/divisions';
import { loadOrganizationTable, PlacementMatcher } from '../../src/lib/ingest';
import { isIsoDay, parseDate } from '../../src/lib/ingest/dates';
import { plainRowReader, validateOrgRow, type OrgRowContext } from '../../src/lib/ingest/rows';
import type { OrgField } from '../../src/lib/ingest/headers';
import type { LocatedTable } from '../../src/lib/ingest/table';

/**
 * plainRowReader is validateOrgRow's one-pass path for the common row. Wherever it returns a record, that record
 * must equal validateOrgRow's for the same row, with no warning; everywhere else it must return null.
 */

const AS_OF = '2024-12-31';
// made at collection: the describe blocks below build their tables while they are collected
const dir = mkdtempSync(path.join(tmpdir(), 'cso-plain-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function tableOf(file: string, text: string): Promise<LocatedTable<OrgField>> {
  writeFileSync(path.join(dir, file), text);
  return (await loadOrganizationTable(dir, file)).table!;
}

/** Both paths on every row: plain's record (or null) beside validateOrgRow's result. */
function bothPaths(ctx: OrgRowContext, table: LocatedTable<OrgField>) {
  const plain = plainRowReader(ctx);
  return table.rows.map((record) => ({ line: record.line, plain: plain(record), full: validateOrgRow(ctx, record) }));
}

const HEADER = 'name,community_code,county,category,registration,credit_code,established_on,dissolved_on';
// 511102009001–003: 乐山市市中区绿心街道's communities; 51120101MJ10472996 is a valid credit code
const ROWS: [string, boolean, string][] = [
  ['绿心书画社,511102009002,,兴趣爱好型,备案,,2022-04-01,', true, 'the common row'],
  ['绿心舞蹈队,511102009001,,兴趣爱好型,登记,51120101MJ10472996,2020-02-29,2023-01-01', true, 'credit code, leap day, dissolution'],
  ['小写代码协会,511102009003,,功能服务型,登记,51120101mj10472996,2020-01-01,', true, 'a lower-case credit code (stored upper-case; the reader rejects it as a duplicate of the row above)'],
  ['斜杠日期队,511102009003,,志愿服务型,已备案,,2020/3/4,', true, 'a date validateOrgRow parses, a registration synonym'],
  ['无日期队,511102009003,,志愿服务型,备案,,,', true, 'no dates'],
  [' 前有空格队,511102009003,,志愿服务型,备案,,2020-01-01,', false, 'a name with a space'],
  ['未知类别队,511102009003,,广场舞,备案,,2020-01-01,', false, 'a category through the crosswalk or unknown'],
  ['空类别队,511102009003,,,备案,,2020-01-01,', false, 'an empty category (a warning)'],
  ['空登记队,511102009003,,志愿服务型,,,2020-01-01,', false, 'an empty registration (a warning)'],
  ['晚成立队,511102009003,,志愿服务型,备案,,2025-01-01,', false, 'established after the as-of date (rejected)'],
  ['无此日队,511102009003,,志愿服务型,备案,,2023-02-29,', false, 'a day that does not exist (rejected)'],
  ['早注销队,511102009003,,志愿服务型,备案,,2020-05-01,2020-04-01', false, 'dissolved before established (rejected)'],
  ['年月队,511102009003,,志愿服务型,备案,,2020-05,', true, 'a month (precision month)'],
  ['坏代码队,511102009003,,志愿服务型,登记,51120101MJ10472997,2020-01-01,', false, 'a wrong check character (rejected)'],
  ['全角代码队,５１１１０２００９００３,,志愿服务型,备案,,2020-01-01,', false, 'a full-width community code (normalised)'],
  ['未知社区队,511102999999,,志愿服务型,备案,,2020-01-01,', false, 'an unknown community code (rejected)'],
  ['有区县队,511102009003,市中区,志愿服务型,备案,,2020-01-01,', true, 'the county of the code beside it'],
  ['错区县队,511102009003,犍为县,志愿服务型,备案,,2020-01-01,', false, 'another county beside the code (rejected)'],
  ['区县级队,,市中区,志愿服务型,备案,,2020-01-01,', true, 'no code: placed in its county by name'],
  ['无此区县队,,不存在县,志愿服务型,备案,,2020-01-01,', false, 'no code and an unknown county (rejected)'],
  ['空格区县队,511102009003,市中区 ,志愿服务型,备案,,2020-01-01,', false, 'a county name with a space (normalised)'],
];

describe('plainRowReader beside validateOrgRow on hand-written rows', async () => {
  const divisions = await sharedDivisions(['5111']);
  const matcher = new PlacementMatcher(divisions, ['511100']);
  const table = await tableOf('hand.csv', [HEADER, ...ROWS.map(([row]) => row)].join('\n') + '\n');
  const ctx: OrgRowContext = { file: 'hand.csv', table, matcher, asOf: AS_OF, date1904: false, context: { countyCode: null, townshipCode: null, ledgerAsOf: null } };
  const results = bothPaths(ctx, table);

  it.each(ROWS.map(([row, plain, why], i) => ({ row, plain, why, i })))('$why: plain path $plain', ({ plain, i }) => {
    const r = results[i];
    if (plain) {
      expect(r.full.ok && r.full.warnings).toEqual([]);
      expect(r.plain).toEqual(r.full.ok ? r.full.record : 'rejected');
    } else expect(r.plain).toBeNull();
  });

  it('a ledger whose title is as of an earlier day: a later founding is a warning, so the full path', () => {
    const ledger = { ...ctx, context: { countyCode: null, townshipCode: null, ledgerAsOf: '2022-01-01' } };
    const [late, early] = bothPaths(ledger, table); // founded 2022-04-01 and 2020-02-29
    expect(late.plain).toBeNull();
    expect(late.full.ok && late.full.warnings.length).toBe(1);
    expect(early.plain).not.toBeNull();
  });

  it('a county from the sheet’s title placing a row without one: counted for the title’s note, so the full path', async () => {
    const byTitle = await tableOf('title.csv', 'name,county,township,community,category,registration,established_on\n甲队,,绿心街道,共和社区,志愿服务型,备案,2021-03-01\n');
    const titled = { ...ctx, file: 'title.csv', table: byTitle, context: { countyCode: '511102', townshipCode: null, ledgerAsOf: null } };
    const [row] = bothPaths(titled, byTitle);
    expect(row.plain).toBeNull();
    expect(row.full.ok && row.full.placement.countyFromContext && row.full.record.communityCode).toBe('511102009002');
  });

  it('a registered_on column stands in for an empty established date: the full path', async () => {
    const withRegistered = await tableOf('registered.csv', 'name,community_code,category,registration,established_on,registered_on\n甲队,511102009003,志愿服务型,备案,,2021-03-01\n乙队,511102009003,志愿服务型,备案,2021-03-01,\n');
    const [empty, given] = bothPaths({ ...ctx, file: 'registered.csv', table: withRegistered }, withRegistered);
    expect(empty.plain).toBeNull();
    expect(empty.full.ok && empty.full.record.establishedOn).toBe('2021-03-01');
    expect(given.plain).toEqual(given.full.ok && given.full.record);
  });
});

describe('plainRowReader beside validateOrgRow on a slice of the national sample (济源, 忻州: codes, names, defects)', async () => {
  const sampleDir = path.join(dir, 'national');
  const areas = ['4190', '1409'];
  await writeNationalSample({ outDir: sampleDir, areas, perUnitScale: 0.05, defectEvery: 40 });
  const divisions = await sharedDivisions(areas);
  const matcher = new PlacementMatcher(divisions);
  const files = readdirSync(path.join(sampleDir, 'organizations')).sort();

  it.each(files)('%s: every plain record is the full path’s, without warnings', async (name) => {
    const file = `organizations/${name}`;
    const { table } = await loadOrganizationTable(sampleDir, file);
    const ctx: OrgRowContext = { file, table: table!, matcher, asOf: '2025-06-30', date1904: false, context: { countyCode: null, townshipCode: null, ledgerAsOf: null } };
    const results = bothPaths(ctx, table!);
    let plain = 0;
    for (const r of results) {
      if (r.plain === null) continue;
      plain++;
      expect({ line: r.line, ok: r.full.ok, warnings: r.full.ok ? r.full.warnings : null, record: r.full.ok ? r.full.record : null }).toEqual({ line: r.line, ok: true, warnings: [], record: r.plain });
    }
    // nearly every row without a warning takes the plain path, placed by its code (with or without place names
    // beside it) or by its names alone (the rest have text that needs normalising)
    const clean = results.filter((r) => r.full.ok && r.full.warnings.length === 0).length;
    expect(plain).toBeGreaterThan(clean * 0.95);
  });
});

describe('isIsoDay: exactly the texts parseDate reads as themselves, to the day', () => {
  const days: string[] = [];
  for (let t = Date.UTC(1899, 11, 20); t <= Date.UTC(1901, 2, 10); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  const odd = ['2020-02-29', '2021-02-29', '2000-02-29', '2100-02-29', '1900-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '2024-04-00', '2024-1-01', '2024/01/01', ' 2024-01-01', '2024-01-01 ', '２０２４-01-01', '2024-01-1a', '9999-12-31', '0999-12-31', '2024-01-010', ''];
  it.each([...days, ...odd])('%j', (text) => {
    const parsed = parseDate(text);
    const same = parsed !== null && parsed.ok && parsed.iso === text && parsed.precision === 'day' && !parsed.note;
    expect(isIsoDay(text)).toBe(same);
  });
});
