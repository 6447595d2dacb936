import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { childrenShapes, locatorShapes } from '../../src/lib/ingest/boundaries';
import { compactPath, insetFor, relativePath, renderAreaMap, renderLocator, renderLocatorLayers, textWidth, type AreaMapOptions } from '../../src/lib/render/choropleth';
import { ATTAINMENT_BINS, ATTAINMENT_PALETTE, binIndex } from '../../src/lib/render/map';

const parse = (svg: string) => parseHTML(`<!doctype html><html><body>${svg}</body></html>`).document;
const gz = (s: string) => gzipSync(s).length;

function options(code: string, width: number, height: number): AreaMapOptions {
  const c = childrenShapes(code);
  // Deterministic spread of ratios over the bins, every fifth unit without data.
  const values = new Map(c.features.map((f, i) => [f.properties.code, i % 5 === 4 ? null : (i % 7) / 4]));
  const names = new Map(c.features.map((f) => [f.properties.code, f.properties.name]));
  return {
    features: c.features,
    context: c.context,
    lines: c.lines,
    values,
    width,
    height,
    id: `map-${code}`,
    title: `${code} 达标率`,
    desc: `${c.features.length} 个单位`,
    tooltip: (x) => names.get(x) ?? x,
    href: (x) => `/areas/${x}/`,
    bins: ATTAINMENT_BINS,
    colors: ATTAINMENT_PALETTE,
    legendTitle: '达标率（密度÷目标）',
    noDataLabel: '无数据 / no data',
    contextLabel: '非统计单元 / not an NBS unit',
    inset: insetFor(code),
  };
}

// Byte budgets: the national overview page must stay ≤ 150 KB gzip in total, a county page ≤ 80 KB.
describe.each([
  ['000000', 960, 760, 31, 60_000],
  ['510000', 720, 600, 21, 35_000],
  ['511100', 640, 500, 11, 8_000],
  ['460000', 720, 600, 19, 30_000],
])('renderAreaMap(%s)', (code, width, height, n, maxGzip) => {
  const opts = options(code, width, height);
  const r = renderAreaMap(opts);
  const doc = parse(r.svg);

  it(`draws ${n} coded units coloured by bin or hatched, under ${maxGzip} bytes gzip`, () => {
    const paths = [...doc.querySelectorAll('g.areas path[data-code]')];
    expect(paths).toHaveLength(n);
    for (const p of paths) {
      const v = opts.values.get(p.getAttribute('data-code')!);
      expect(p.getAttribute('fill')).toBe(v === null || v === undefined ? `url(#map-${code}-nodata)` : ATTAINMENT_PALETTE[binIndex(v, ATTAINMENT_BINS)]);
      expect(p.getAttribute('d')).toMatch(/^M-?[\d.]+,-?[\d.]+/);
    }
    console.log(`map ${code} ${width}×${height}: svg ${Buffer.byteLength(r.svg)} B (${gz(r.svg)} B gzip), path data ${r.pathBytes} B; labelled ${r.labelled.length}, unlabelled ${r.unlabelled.length}`);
    expect(gz(r.svg)).toBeLessThan(maxGzip);
  });

  it('is accessible: role group (links inside), title and desc referenced, labels aria-hidden', () => {
    const root = doc.querySelector('svg')!;
    expect(root.getAttribute('role')).toBe('group');
    expect(doc.getElementById(root.getAttribute('aria-labelledby')!)!.textContent).toBe(opts.title);
    expect(doc.getElementById(root.getAttribute('aria-describedby')!)!.textContent).toBe(opts.desc);
    expect(doc.querySelector('g.labels')!.getAttribute('aria-hidden')).toBe('true');
    expect(renderAreaMap({ ...opts, href: undefined }).svg).toContain('role="img"');
  });

  it('labels only what fits, without overlaps, and returns the rest for the table', () => {
    expect([...r.labelled, ...r.unlabelled].sort()).toEqual(opts.features.map((f) => f.properties.code).sort());
    const boxes = [...doc.querySelectorAll('g.labels text')].map((t) => {
      const x = Number(t.getAttribute('x'));
      const y = Number(t.getAttribute('y'));
      const w = textWidth(t.textContent!, 12);
      return { x0: x - w / 2, x1: x + w / 2, y0: y - 7, y1: y + 7 };
    });
    expect(boxes).toHaveLength(r.labelled.length);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        expect(a.x0 < b.x1 - 0.2 && b.x0 < a.x1 - 0.2 && a.y0 < b.y1 - 0.5 && b.y0 < a.y1 - 0.5).toBe(false);
      }
    }
  });

  it('is byte-identical across renders and independent of input order', () => {
    expect(renderAreaMap(opts).svg).toBe(r.svg);
    expect(renderAreaMap({ ...opts, features: [...opts.features].reverse() }).svg).toBe(r.svg);
  });
});

describe('national map', () => {
  const opts = options('000000', 960, 760);
  const r = renderAreaMap(opts);
  const doc = parse(r.svg);
  it('draws context shapes neutral (never coloured), the 境界线, and a 南海诸岛 inset', () => {
    const context = [...doc.querySelectorAll('g.context path')];
    expect(context.map((p) => p.getAttribute('data-context'))).toEqual(['629700', '629800', '629900', '710000', '810000', '820000']);
    expect(context.every((p) => !p.hasAttribute('fill') && !p.hasAttribute('data-code'))).toBe(true);
    expect(doc.querySelector('g.context')!.getAttribute('fill')).toBe('#e5e5e5');
    expect(doc.querySelectorAll('g.lines path').length).toBeGreaterThan(0);
    const inset = doc.querySelector('g.inset')!;
    expect(inset.getAttribute('aria-hidden')).toBe('true');
    expect(inset.textContent).toContain('南海诸岛');
    expect([...doc.querySelectorAll('g.legend text')].map((t) => t.textContent)).toContain('非统计单元 / not an NBS unit');
  });
  it('labels the large provinces and leaves the small ones (北京, 天津, 上海) to the table', () => {
    for (const big of ['650000', '540000', '150000', '510000']) expect(r.labelled).toContain(big);
    for (const small of ['110000', '120000', '310000']) expect(r.unlabelled).toContain(small);
  });
  it('keeps every coordinate inside the viewBox', () => {
    const nums = [...r.svg.matchAll(/ d="([^"]*)"/g)].flatMap((m) => m[1].match(/-?[\d.]+/g)!.map(Number));
    const xs = nums.filter((_, i) => i % 2 === 0);
    const ys = nums.filter((_, i) => i % 2 === 1);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(960);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ys)).toBeLessThanOrEqual(760);
  });
});

describe.each([
  ['511133', 240, 200, 6_000],
  ['441900', 240, 200, 12_000],
  ['654301', 240, 200, 6_000],
])('renderLocator(%s)', (county, width, height, maxGzip) => {
  const l = locatorShapes(county);
  const r = renderLocator({ features: l.features, context: l.context, highlighted: l.highlighted, width, height, title: `${county} 位置`, desc: '所在地级市', id: `loc-${county}` });
  const doc = parse(r.svg);
  it(`highlights ${l.highlighted} once, drawn last, role img, under ${maxGzip} B gzip`, () => {
    const hl = [...doc.querySelectorAll('path[data-highlight="true"]')];
    expect(hl.map((p) => p.getAttribute('data-code'))).toEqual([l.highlighted]);
    const all = [...doc.querySelectorAll('path[data-code]')];
    expect(all.at(-1)!.getAttribute('data-code')).toBe(l.highlighted);
    expect(all).toHaveLength(l.features.length);
    expect(doc.querySelector('svg')!.getAttribute('role')).toBe('img');
    console.log(`locator ${county} (${l.frame}) ${width}×${height}: svg ${Buffer.byteLength(r.svg)} B (${gz(r.svg)} B gzip), path data ${r.pathBytes} B`);
    expect(gz(r.svg)).toBeLessThan(maxGzip);
  });
});

/** Path data (M, L, l, Z; implicit repeats) → "M x,y L x,y … Z" with absolute points, to compare two spellings. */
function absolutePoints(d: string): string {
  const toks = d.match(/[MLlZ]|-?\d+(?:\.\d+)?/g) ?? [];
  const res: string[] = [];
  let [x, y, cmd, i] = [0, 0, '', 0];
  while (i < toks.length) {
    if (/[MLlZ]/.test(toks[i])) {
      cmd = toks[i++];
      if (cmd === 'Z') res.push('Z');
      continue;
    }
    const [a, b] = [Number(toks[i]), Number(toks[i + 1])];
    i += 2;
    [x, y] = cmd === 'l' ? [x + a, y + b] : [a, b];
    res.push(`${cmd === 'M' ? 'M' : 'L'}${x},${y}`);
    if (cmd === 'M') cmd = 'L'; // pairs after M are lines
  }
  return res.join('');
}

describe('relativePath', () => {
  it.each([
    ['M155,60L152,55L146,56L144,59Z', 'M155,60l-3-5-6,1-2,3Z'],
    ['M0,0L10,0L10,10ZM20,20L25,20Z', 'M0,0l10,0 0,10ZM20,20l5,0Z'],
    ['M1.5,2L3,4', 'M1.5,2L3,4'], // not integer: left as it is
  ])('%s → %s', (input, output) => {
    expect(relativePath(input)).toBe(output);
    expect(absolutePoints(relativePath(input))).toBe(absolutePoints(input));
  });
});

describe.each(['511133', '441900', '654301', '110105'])('renderLocatorLayers(%s)', (county) => {
  const l = locatorShapes(county);
  const opts = { features: l.features, context: l.context, highlighted: l.highlighted, width: 240, height: 200, title: `${county} 位置`, desc: '所在地级市', id: `loc-${county}` };
  const whole = parse(renderLocator(opts).svg);
  const { frame, highlight } = renderLocatorLayers(opts);
  const f = parse(frame);
  const h = parse(highlight);
  const ds = (doc: ReturnType<typeof parse>, sel: string) => [...doc.querySelectorAll(sel)].map((p) => p.getAttribute('d'));
  it('stacks to the single locator: the frame has every unit and the context, the overlay the highlighted unit, same viewBox', () => {
    expect(f.querySelector('svg')!.getAttribute('viewBox')).toBe(whole.querySelector('svg')!.getAttribute('viewBox'));
    expect(h.querySelector('svg')!.getAttribute('viewBox')).toBe(whole.querySelector('svg')!.getAttribute('viewBox'));
    // the same points, written relative (relativePath)
    expect(ds(f, 'path').map((d) => absolutePoints(d!)).sort()).toEqual(ds(whole, 'path').map((d) => absolutePoints(d!)).sort());
    expect(ds(h, 'path').map((d) => absolutePoints(d!))).toEqual(ds(whole, 'path[data-highlight="true"]').map((d) => absolutePoints(d!)));
    expect(ds(h, 'path').join('').length).toBeLessThan(ds(whole, 'path[data-highlight="true"]').join('').length * 0.8);
    expect(h.querySelector('svg')!.getAttribute('role')).toBe('img');
    expect(h.querySelector('title')!.textContent).toBe(`${county} 位置`);
  });
  it('leaves the frame file without text or the highlight (one file serves every county of the frame)', () => {
    expect(frame.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(frame).not.toMatch(/<title|data-highlight|<text/);
    // the frame of a sibling county is the same file
    const sibling = l.features.map((x) => x.properties.code).find((c) => c !== l.highlighted)!;
    expect(renderLocatorLayers({ ...opts, highlighted: sibling }).frame).toBe(frame);
    console.log(`locator layers ${county} (${l.frame}): frame ${Buffer.byteLength(frame)} B, inline ${Buffer.byteLength(highlight)} B (one piece: ${Buffer.byteLength(renderLocator(opts).svg)} B)`);
  });
});

describe('renderLocator without a drawn county', () => {
  it('draws the frame with nothing highlighted (functional zone)', () => {
    const l = locatorShapes('130171');
    const svg = renderLocator({ features: l.features, highlighted: l.highlighted, width: 240, height: 200, title: 't', desc: 'd', id: 'loc' }).svg;
    expect(svg).not.toContain('data-highlight');
    expect(() => renderLocator({ features: l.features, highlighted: '511133', width: 240, height: 200, title: 't', desc: 'd', id: 'loc' })).toThrow(/511133 is not among/);
  });
});

describe('renderAreaMap rejects bad input', () => {
  const base = options('511100', 640, 500);
  it.each([
    ['a value for a code not on the map', { values: new Map([['999999', 1]]) }, /999999/],
    ['unsorted bins', { bins: [1, 0.5, 0.75] }, /strictly ascending/],
    ['an id unsafe in url(#…)', { id: 'a b' }, /id "a b"/],
    ['a javascript: link', { href: () => 'javascript:alert(1)' }, /disallowed scheme/],
  ] as const)('%s', (_what, patch, message) => {
    expect(() => renderAreaMap({ ...base, ...(patch as Partial<AreaMapOptions>) })).toThrow(message);
  });
  it('escapes hostile text', () => {
    const svg = renderAreaMap({ ...base, title: '<script>x</script>', tooltip: () => '"><img onerror=x>', label: () => '<b>' }).svg;
    expect(svg).not.toMatch(/<script|<img|<b>/);
  });
});

describe('compactPath', () => {
  it.each([
    ['M1,1L1,1L2,2L2,2L3,3Z', 'M1,1L2,2L3,3Z'],
    ['M1,1L2,2ZM1,1L1,1L5,5Z', 'M1,1L2,2ZM1,1L5,5Z'],
    ['M0,0L1,0L0,0Z', 'M0,0L1,0L0,0Z'],
  ])('%s → %s', (input, expected) => expect(compactPath(input)).toBe(expected));
});
