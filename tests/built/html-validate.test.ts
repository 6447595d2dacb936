/**
 * HTML validity: one built page of each type through html-validate with the project's
 * .htmlvalidate.json, which is "html-validate:recommended" with one rule off:
 *   no-inline-style — Observable Plot writes `style` attributes on the SVG it renders at build time
 *   (font size, overflow), and we emit its markup as is; inline style is not a validity problem here.
 * (JSON has no comments, so the reason lives here.)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(process.env.BUILT_ROOT ?? path.join(__dirname, '..', '..'));
const DIST = path.join(ROOT, 'dist');
const CONFIG = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '.htmlvalidate.json'), 'utf8'));

function pageTypes(): string[] {
  const pages = ['index.html', 'areas/511100/index.html', 'areas/511102/index.html'];
  const areas = existsSync(path.join(DIST, 'areas')) ? readdirSync(path.join(DIST, 'areas')) : [];
  const other = areas.filter((c) => /^(14|22)\d{2}00$/.test(c) && !c.endsWith('0000')).sort()[0];
  if (other) pages.push(`areas/${other}/index.html`);
  const province = areas.filter((c) => c.endsWith('0000')).sort()[0];
  if (province) pages.push(`areas/${province}/index.html`);
  pages.push('targets/index.html', 'data/index.html', 'data/dictionary/index.html', 'methodology/index.html', 'quality/index.html', 'en/index.html', 'en/areas/511102/index.html', 'en/areas/140000/index.html', 'en/targets/index.html', 'en/data/index.html', 'en/data/dictionary/index.html', 'en/methodology/index.html', 'en/quality/index.html');
  return pages.filter((p) => existsSync(path.join(DIST, p)) || ['index.html', 'targets/index.html', 'data/index.html', 'methodology/index.html', 'quality/index.html'].includes(p));
}

const built = existsSync(path.join(DIST, 'index.html'));

describe.runIf(built)('html-validate', () => {
  const validator = new HtmlValidate(CONFIG);

  it('the config turns off only the documented rules', () => {
    expect(CONFIG.extends).toEqual(['html-validate:recommended']);
    // no-inline-style: Plot's SVG; prefer-native-element: the search combobox's listbox (WAI-ARIA 1.2 pattern)
    expect(Object.keys(CONFIG.rules)).toEqual(['no-inline-style', 'prefer-native-element']);
    expect(CONFIG.rules['prefer-native-element'][1].exclude).toEqual(['listbox', 'option'])
  });

  it.each(pageTypes())('%s is valid HTML', async (page) => {
    const file = path.join(DIST, page);
    expect(existsSync(file), `${page} exists`).toBe(true);
    const report = await validator.validateString(readFileSync(file, 'utf8'), file);
    const messages = report.results.flatMap((r) => r.messages).map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message} (${m.selector ?? ''})`);
    expect(messages).toEqual([]);
  });
});

it.runIf(!built)('html-validate needs a build', () => {
  throw new Error('dist/ is missing: run `npm run build` (npm test builds first)');
});
