import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { boundaryIndex } from './src/lib/ingest/boundaries';
import { renderAreaMap, renderLocator, insetFor } from './src/lib/render/choropleth';
import { ATTAINMENT_BINS, ATTAINMENT_PALETTE } from './src/lib/map';
const b = boundaryIndex();
const kb = (s: string) => `${Buffer.byteLength(s)} B raw, ${gzipSync(s).length} B gz`;
for (const [code, w, h] of [['000000', 960, 760], ['510000', 720, 600], ['511100', 640, 500], ['460000', 720, 600], ['110000', 640, 500], ['650000', 720, 560]] as const) {
  const c = b.childrenShapes(code);
  const values = new Map(c.features.map((f, i) => [f.properties.code, i % 5 === 4 ? null : (i % 7) / 4]));
  const t0 = Date.now();
  const r = renderAreaMap({ features: c.features, context: c.context, lines: c.lines, values, width: w, height: h, title: code, desc: 'x', id: `m${code}`,
    tooltip: (x) => x, href: (x) => `/areas/${x}/`, bins: ATTAINMENT_BINS, colors: ATTAINMENT_PALETTE, legendTitle: '达标率', noDataLabel: '无数据', contextLabel: '非统计单元', inset: insetFor(code) });
  writeFileSync(`/tmp/maps/${code}.svg`, r.svg);
  console.log(code, c.features.length, 'svg', kb(r.svg), 'path', r.pathBytes, 'labelled', r.labelled.length, 'unlabelled', r.unlabelled.length, Date.now() - t0, 'ms');
}
for (const code of ['511133', '441900', '510104', '654301', '110101']) {
  const l = b.locatorShapes(code);
  const r = renderLocator({ features: l.features, context: l.context, highlighted: l.highlighted, width: 240, height: 200, title: code, desc: 'x', id: `l${code}` });
  writeFileSync(`/tmp/maps/loc-${code}.svg`, r.svg);
  console.log('locator', code, l.frame, l.features.length, kb(r.svg), 'path', r.pathBytes);
}
