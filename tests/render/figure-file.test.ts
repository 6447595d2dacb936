import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { compactFigureSvg, FIGURE_FONT_FAMILY, foldEmOffsets, shareCardSvg, standaloneFigureSvg, svgSize, textWidth, wrapText, type FigureStamp } from '../../src/lib/render/figure-file';
import { categoryMixChart } from '../../src/lib/render/charts';

// A real chart from the renderer, wrapped with stamps that include hostile text.
const inner = categoryMixChart(
  [
    { label: '功能服务型', value: 437 },
    { label: '公益慈善型', value: 284 },
  ],
  { axis: '数量', alt: '按类别', formatValue: (v) => String(v) },
);

const hostile = '<script>alert("x")</script> & 市中区\'';
const stamp = (over: Partial<FigureStamp> = {}): FigureStamp => ({
  title: `${hostile}：趋势`,
  area: '市中区（511102）',
  asOf: '数据截至 2025-06-30',
  source: '来源：=HYPERLINK("http://evil") 乐山市社区社会组织示例数据（非官方）',
  licence: '许可：CC0-1.0',
  label: '示例数据，非官方统计',
  url: '/areas/511102/',
  lang: 'zh-CN',
  ...over,
});

function parse(svg: string) {
  const { document } = parseHTML(`<!doctype html><html><body>${svg.replace(/^<\?xml[^>]*>/, '')}</body></html>`);
  return document.querySelector('svg')!;
}

describe('standaloneFigureSvg', () => {
  const out = standaloneFigureSvg(inner, stamp());
  const root = parse(out);
  // the stamp: the title and area lines, then the lines below the figure in one group
  const texts = [...root.querySelectorAll(':scope > text, :scope > g > text')].map((t) => t.textContent);

  it('is a standalone XML file with xmlns, size and the CJK-first font list', () => {
    expect(out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    // declared once, for every text (the stamp's and the figure's own, whose renderer names its own family)
    expect(root.querySelector(':scope > style')!.textContent).toBe(`text{font-family:${FIGURE_FONT_FAMILY};white-space:pre}`);
    expect(FIGURE_FONT_FAMILY.indexOf('Noto Sans CJK SC')).toBeLessThan(FIGURE_FONT_FAMILY.indexOf('sans-serif'));
    expect(Number(root.getAttribute('width'))).toBe(svgSize(inner).width);
    expect(Number(root.getAttribute('height'))).toBeGreaterThan(svgSize(inner).height);
  });

  it.each([
    ['title', `${hostile}：趋势`],
    ['area and as-of', '市中区（511102） · 数据截至 2025-06-30'],
    ['label', '示例数据，非官方统计'],
    ['licence', '许可：CC0-1.0'],
    ['url', '/areas/511102/'],
  ])('stamps the %s inside the image', (_what, text) => {
    // long lines wrap: compare the stamped text run without the spaces at line breaks
    expect(texts.join('').replace(/\s/g, '')).toContain(text.replace(/\s/g, ''));
  });

  it('writes the source (wrapped) and escapes hostile text instead of emitting markup', () => {
    expect(texts.join('')).toContain('=HYPERLINK("http://evil") 乐山市社区社会组织示例数据');
    expect(out).not.toContain('<script>');
    expect(out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 市中区&apos;');
    expect(root.querySelector('title')?.textContent).toBe(`${hostile}：趋势`);
  });

  it('keeps the figure itself: nested <svg> with the inner viewBox and every bar', () => {
    const nested = root.querySelector(':scope > svg')!;
    expect(nested.getAttribute('viewBox')).toBe(`0 0 ${svgSize(inner).width} ${svgSize(inner).height}`);
    // the bars are one path of as many rectangles (compactFigureSvg)
    const bars = parse(inner).querySelectorAll('rect').length;
    expect(bars).toBe(2);
    expect([...nested.querySelectorAll('path')].some((p) => (p.getAttribute('d') ?? '').split('Z').filter(Boolean).length === bars)).toBe(true);
    expect([...nested.querySelectorAll('text')].map((t) => t.textContent)).toEqual([...parse(inner).querySelectorAll('text')].map((t) => t.textContent));
  });

  it('leaves out an empty label and a missing URL', () => {
    const bare = parse(standaloneFigureSvg(inner, stamp({ label: '', url: undefined })));
    const t = [...bare.querySelectorAll(':scope > text, :scope > g > text')].map((x) => x.textContent);
    expect(t).not.toContain('示例数据，非官方统计');
    expect(t).not.toContain('/areas/511102/');
  });

  it('rejects an SVG without a viewBox', () => {
    expect(() => standaloneFigureSvg('<svg width="10"></svg>', stamp())).toThrow(/viewBox/);
  });
});

describe('wrapText', () => {
  it.each([
    ['来源：乐山市社区社会组织示例数据（非官方）（CSO Monitor 项目（生成的示例数据）） · 社区社会组织培育发展监测', 12, 300],
    ['Source: Leshan community social organizations sample data (not official) · CSO Monitor', 12, 200],
    ['https://example.org/cso-monitor/areas/511102/with/a/very/long/path/that/has/no/spaces/', 12, 150],
  ])('breaks %s into lines no wider than the limit, losing nothing', (text, size, max) => {
    const lines = wrapText(text, size, max);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(textWidth(l, size)).toBeLessThanOrEqual(max);
    expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
  });
});

describe('shareCardSvg', () => {
  it('fits the standalone figure into 1200 × 630', () => {
    const card = parse(shareCardSvg(standaloneFigureSvg(inner, stamp())));
    expect([card.getAttribute('width'), card.getAttribute('height')]).toEqual(['1200', '630']);
    const fig = card.querySelector(':scope > svg')!;
    expect(Number(fig.getAttribute('width'))).toBeLessThanOrEqual(1160);
    expect(Number(fig.getAttribute('height'))).toBeLessThanOrEqual(590);
  });
});

describe('compactFigureSvg', () => {
  it.each([
    ['coordinates to 1 decimal', '<circle r="3" cy="216.7612" cx="48.13767926988266" />', '<circle r="3" cy="216.8" cx="48.1"/>'],
    ['em offsets kept', '<text transform="rotate(-90)" y="0.71em">2017</text>', '<text transform="rotate(-90)" y="0.71em">2017</text>'],
    ['a translated text gets x and y, its em offset as dy', '<text transform="translate(98.52829204693612,268)" y="0.71em">2017</text>', '<text x="98.5" y="268" dy="0.71em">2017</text>'],
    ['text content untouched', '<text x="1.23456">15.625 个/社区</text>', '<text x="1.2">15.625 个/社区</text>'],
    ['short numbers untouched', '<circle r="3" cy="216.7" cx="48" />', '<circle r="3" cy="216.7" cx="48"/>'],
    ['group ARIA dropped', '<g role="group" fill="#0072B2" aria-hidden="true" aria-label="dot"><circle r="3"/></g>', '<g fill="#0072B2"><circle r="3"/></g>'],
    ['link names kept (maps in an <object>)', '<a target="_top" href="/areas/511102/" aria-label="市中区：12.5">x</a>', '<a target="_top" href="/areas/511102/" aria-label="市中区：12.5">x</a>'],
    ['style squeezed, selectors kept', '<style>.areas path {\n  cursor: pointer;\n}</style>', '<style>.areas path{cursor:pointer;}</style>'],
    ["Plot's class-scoped style dropped", '<style>:where(.plot-a) {\n  display: block;\n}\n:where(.plot-a text) {\n  white-space: pre;\n}</style><g/>', '<g/>'],
    // grid lines, tick marks, bars and square dots: one path per group, the same geometry
    ['grid lines → one path', '<g stroke-opacity="0.1" stroke="currentColor"><line y2="268" y1="268" x2="576" x1="48" /><line y2="233.14285714" y1="233.14285714" x2="576" x1="48" /></g>', '<g stroke-opacity="0.1" stroke="currentColor"><path d="M48,268H576M48,233.1H576"/></g>'],
    ['tick marks → one path', '<g stroke="currentColor" fill="none"><path d="M0,0L-6,0" transform="translate(48,268)" /><path d="M0,0L0,6" transform="translate(98.5283,268)" /></g>', '<g stroke="currentColor" fill="none"><path d="M48,268h-6M98.5,268v6"/></g>'],
    ['bars → one path', '<g fill="#0072B2"><rect height="15" y="23" width="211.41" x="76" /><rect height="15" y="46" width="289.66" x="76" /></g>', '<g fill="#0072B2"><path d="M76,23h211.4v15h-211.4ZM76,46h289.7v15h-289.7Z"/></g>'],
    ['square dots → one path', '<g fill="#009E73"><path d="M-2.66,-2.66h5.32v5.32h-5.32Z" transform="translate(48,250.22)" /><path d="M-2.66,-2.66h5.32v5.32h-5.32Z" transform="translate(98.39,246.04)" /></g>', '<g fill="#009E73"><path d="M45.3,247.6h5.3v5.3h-5.3ZM95.7,243.4h5.3v5.3h-5.3Z"/></g>'],
    ['a shape with its own presentation keeps the group as it is', '<g><rect x="0" y="0" width="4" height="4" fill="#f00" /><rect x="5" y="0" width="4" height="4" /></g>', '<g><rect x="0" y="0" width="4" height="4" fill="#f00"/><rect x="5" y="0" width="4" height="4"/></g>'],
    ['a map area (with its code) is not merged', '<g class="areas"><path d="M1,1L2,2Z" data-code="511102"/><path d="M3,3L4,4Z" data-code="511111"/></g>', '<g class="areas"><path d="M1,1L2,2Z" data-code="511102"/><path d="M3,3L4,4Z" data-code="511111"/></g>'],
    ['curves are not moved', '<g><path d="M0,0C1,1 2,2 3,3" transform="translate(5,5)" /></g>', '<g><path d="M0,0C1,1 2,2 3,3" transform="translate(5,5)"/></g>'],
  ])('%s', (_, input, output) => {
    expect(compactFigureSvg(input)).toBe(output);
  });

  it('keeps a real chart the same size on screen: the standalone file of the fixture chart nests the compacted chart', () => {
    const out = standaloneFigureSvg(inner, stamp());
    const nested = /<svg x="0" y="\d+" width="(\d+)" height="(\d+)"[^>]*>/.exec(out)!;
    expect([Number(nested[1]), Number(nested[2])]).toEqual([svgSize(inner).width, svgSize(inner).height]);
    // the same markup as compactFigureSvg's but for the em offsets folded into y (at the chart's 12 px)
    const strip = (svg: string) => svg.replace(/^<svg\b[^>]*>/, '').replace(/ y="[^"]*"| dy="[^"]*"/g, '');
    expect(strip(out)).toContain(strip(compactFigureSvg(inner)).replace(/<\/svg>\s*$/, ''));
  });

  it('draws every bar of the real chart, at its rounded place, in one path', () => {
    const bars = [...inner.matchAll(/<rect\b[^>]*>/g)].map((m) => m[0]);
    expect(bars.length).toBe(2);
    const d = /<path d="([^"]*Z)"\/>/.exec(compactFigureSvg(inner))![1];
    expect(d.split('M').filter(Boolean).length).toBe(bars.length);
    for (const bar of bars) {
      const w = Number(/ width="([^"]+)"/.exec(bar)![1]);
      expect(d).toContain(`h${Math.round(w * 10) / 10}v`);
    }
  });
});

describe('foldEmOffsets', () => {
  it.each([
    ['nearest font size', '<svg font-size="12"><g><text x="1" y="20" dy="0.32em">a</text></g></svg>', '<svg font-size="12"><g><text x="1" y="23.8">a</text></g></svg>'],
    ["the text's own size", '<svg font-size="12"><text x="1" y="20" dy="-0.5em" font-size="10">a</text></svg>', '<svg font-size="12"><text x="1" y="15" font-size="10">a</text></svg>'],
    ['a group setting its own', '<svg font-size="12"><g font-size="20"><text x="1" y="0" dy="1em">a</text></g><text x="1" y="0" dy="1em">b</text></svg>', '<svg font-size="12"><g font-size="20"><text x="1" y="20">a</text></g><text x="1" y="12">b</text></svg>'],
    ['below a style: unchanged', '<svg style="font-size:12px"><text x="1" y="20" dy="0.32em">a</text></svg>', '<svg style="font-size:12px"><text x="1" y="20" dy="0.32em">a</text></svg>'],
    ['no size known: unchanged', '<svg><text x="1" y="20" dy="0.32em">a</text></svg>', '<svg><text x="1" y="20" dy="0.32em">a</text></svg>'],
  ])('%s', (_, input, output) => {
    expect(foldEmOffsets(input)).toBe(output);
  });
});

describe('the nested figure keeps its presentation', () => {
  it('carries the renderer\'s font size, style and class onto the nested <svg> (else Plot text falls back to 16 px)', () => {
    const open = /^<svg\b[^>]*>/.exec(inner.trim())![0];
    const nested = /<svg x="0" y="\d+"[^>]*>/.exec(standaloneFigureSvg(inner, stamp()))![0];
    for (const name of ['viewBox', 'fill', 'text-anchor']) {
      const value = new RegExp(`\\s${name}="([^"]*)"`).exec(open)?.[1];
      if (value !== undefined) expect(nested, name).toContain(` ${name}="${value}"`);
    }
    // Plot's style="font-size:12px;…" (which beats its font-size="10") becomes the one font-size attribute
    const styled = /font-size:\s*([\d.]+)px/.exec(/\sstyle="([^"]*)"/.exec(open)![1])![1];
    expect(nested).toContain(` font-size="${styled}"`);
    // the family comes from the file's own <style>; Plot's class only scoped the <style> dropped with it
    expect(nested).not.toMatch(/\srole=|\saria-|\sxmlns|\sstyle=|\sclass=|\sfont-family=|preserveAspectRatio/);
  });
});
