import { areas, siteMeta } from '../../lib/site-data';

/** getStaticPaths of the briefings, shared by /areas/[code]/ and /en/areas/[code]/: one page per area of meta.json. */
export function areaPaths() {
  const all = areas();
  return siteMeta().area_codes.map((code) => {
    const area = all.find((a) => a.code === code);
    if (!area) throw new Error(`meta.json lists area ${code}, which areas.json lacks`);
    return { params: { code }, props: { area } };
  });
}
