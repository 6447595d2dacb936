import { t, type Lang } from '../../../i18n/strings';
import type { ProgressRow } from '../../model/progress';
import { NATIONAL_CODE } from '../../core/area-codes';
import type { SiteData } from '../data';
import { pickLang, punct, valueDateText } from '../format';

/** /targets/: every registry target by document, with the progress rows the pipeline evaluated for it. */
export function targetsView(data: SiteData, lang: Lang) {
  const registry = data.registry();
  const p = punct(lang);
  const zhData = lang === 'en' ? 'zh-CN' : undefined; // registry text is Chinese: mark it on English pages
  const areaName = (code: string) => (code === NATIONAL_CODE ? t(lang, 'area.national') : (lang === 'en' ? data.area(code)?.name_en : undefined) ?? data.area(code)?.name ?? code);
  const rowsOf = (targetId: string) => data.progressOfTarget(targetId);
  const asOfText = (r: ProgressRow) => valueDateText(r, lang) ?? '';
  const sourceText = (r: ProgressRow) =>
    r.value_source === 'organizations' ? t(lang, 'progress.source_orgs') : r.sources.map((s) => pickLang(s.source_title, lang)).join(p.semicolon);
  const groups = registry.documents.map((doc) => ({ doc, targets: registry.targets.filter((x) => x.document === doc.id) }));
  return { registry, zhData, areaName, rowsOf, asOfText, sourceText, groups };
}
