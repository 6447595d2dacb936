/** What a ledger says outside its columns: titles, sheet and file names (src/lib/ingest/context.ts). */
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDivisions } from '../helpers/divisions';
import { loadDivisions, type Divisions } from '../../src/lib/ingest/divisions';
import { PlacementMatcher } from '../../src/lib/ingest';
import { asOfInText, findContext } from '../../src/lib/ingest/context';

describe.each([
  ['市中区社区社会组织台账（截至2024年12月）', '2024-12-31'],
  ['截止2024年6月30日', '2024-06-30'],
  ['（截至 2024 年 2 月）', '2024-02-29'],
  ['数据截至2023-09-30', '2023-09-30'],
  ['截至2024.6', '2024-06-30'],
  ['2024年度社区社会组织统计表', '2024-12-31'],
  ['社区社会组织台账', null],
  ['截至2024年13月', null],
  ['成立于2019年5月', null], // a date, but not the ledger's as-of
])('asOfInText(%j)', (text, iso) => {
  it(`is ${iso}`, () => expect(asOfInText(text)).toBe(iso));
});

let divisions: Divisions;
let leshan: PlacementMatcher;
let everywhere: PlacementMatcher;
beforeAll(async () => {
  divisions = await sharedDivisions(['5111']);
  leshan = new PlacementMatcher(divisions, ['511100']);
  everywhere = new PlacementMatcher(divisions);
});

describe('counties and townships named in text', () => {
  it.each([
    ['乐山市市中区社区社会组织台账', ['511102']],
    ['峨边县花名册', ['511132']], // 峨边彝族自治县 by its short form
    ['峨眉山市2024年台账', ['511181']],
    ['市中区、沙湾区台账', ['511102', '511111']],
    ['乐山市社区社会组织台账', []],
  ])('within Leshan: %j names %j', (text, codes) => expect(leshan.countiesInText(text)).toEqual(codes));

  it('市中区 alone names four counties of China; 乐山市市中区 names one', () => {
    expect(everywhere.countiesInText('市中区台账')).toEqual(['370103', '370402', '511002', '511102']);
    expect(everywhere.countiesInText('乐山市市中区台账')).toEqual(['511102']);
  });

  it('finds townships by their full name', () => {
    expect(leshan.townshipsInText('通江街道社区社会组织台账', ['511102'])).toEqual(['511102006']);
    expect(leshan.townshipsInText('白马镇、安谷镇', ['511102'])).toEqual(['511102103', '511102108']);
  });
});

describe('findContext', () => {
  it('takes the county from the title, the township from the sheet name, the as-of date from the title', () => {
    const c = findContext(
      [
        { from: 'title', text: '市中区社区社会组织台账（截至2024年12月）' },
        { from: 'sheet', text: '白马' }, // the short name of 白马镇
        { from: 'file', text: '台账' },
      ],
      leshan,
    );
    expect([c.county?.code, c.county?.from, c.township?.code, c.township?.from, c.asOf?.iso]).toEqual(['511102', 'title', '511102103', 'sheet', '2024-12-31']);
    expect(c.notes).toEqual([]);
  });

  it('a township named alone gives its county too, when it is unique in the scope', () => {
    const c = findContext([{ from: 'sheet', text: '通江街道' }], leshan);
    expect([c.county?.code, c.township?.code]).toEqual(['511102', '511102006']);
  });

  it('a title naming two counties places nothing and says so', () => {
    const c = findContext([{ from: 'title', text: '市中区、沙湾区台账' }], leshan);
    expect(c.county).toBeNull();
    expect(c.notes[0].zh).toContain('提到多个区县（乐山市市中区（511102）、乐山市沙湾区（511111））');
  });

  it('the workbook gives a county, never a township or an as-of date', () => {
    const c = findContext([{ from: 'workbook', text: '通江街道（截至2024年12月）' }], leshan);
    expect([c.county, c.township, c.asOf]).toEqual([null, null, null]);
  });
});
