import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { compactFigureSvg, FIGURE_FONT_FAMILY, shareCardSvg, standaloneFigureSvg, svgSize, textWidth, wrapText, type FigureStamp } from '../../src/lib/render/figure-file';
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
  const texts = [...root.querySelectorAll(':scope > text')].map((t) => t.textContent);

  it('is a standalone XML file with xmlns, size and the CJK-first font list', () => {
    expect(out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    // declared once, for every text (the stamp's and the figure's own, whose renderer names its own family)
    expect(root.querySelector(':scope > style')!.textContent).toBe(`text{font-family:${FIGURE_FONT_FAMILY}}`);
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
    expect(nested.querySelectorAll('rect').length).toBe(parse(inner).querySelectorAll('rect').length);
  });

  it('leaves out an empty label and a missing URL', () => {
    const bare = parse(standaloneFigureSvg(inner, stamp({ label: '', url: undefined })));
    const t = [...bare.querySelectorAll(':scope > text')].map((x) => x.textContent);
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
    ['coordinates to 2 decimals', '<path d="M48.13767926988266,268L-6.004,0" />', '<path d="M48.14,268L-6,0" />'],
    ['transforms too', '<text transform="translate(98.52829204693612,268)" y="0.71em">2017</text>', '<text transform="translate(98.53,268)" y="0.71em">2017</text>'],
    ['text content untouched', '<text x="1.23456">15.625 个/社区</text>', '<text x="1.23">15.625 个/社区</text>'],
    ['short numbers untouched', '<circle r="3" cy="216.76" cx="48" />', '<circle r="3" cy="216.76" cx="48" />'],
    ['group ARIA dropped', '<g role="group" fill="#0072B2" aria-hidden="true" aria-label="dot"><circle r="3"/></g>', '<g fill="#0072B2"><circle r="3"/></g>'],
    ['link names kept (maps in an <object>)', '<a target="_top" href="/areas/511102/" aria-label="市中区：12.5">x</a>', '<a target="_top" href="/areas/511102/" aria-label="市中区：12.5">x</a>'],
    ['style squeezed, selectors kept', '<style>:where(.plot-a) {\n  font-family: system-ui, sans-serif;\n}\n:where(.plot-a text),\n:where(.plot-a tspan) {\n  white-space: pre;\n}</style>', '<style>:where(.plot-a){font-family:system-ui,sans-serif;}:where(.plot-a text),:where(.plot-a tspan){white-space:pre;}</style>'],
  ])('%s', (_, input, output) => {
    expect(compactFigureSvg(input)).toBe(output);
  });

  it('keeps a real chart the same size on screen: the standalone file of the fixture chart nests the compacted chart', () => {
    const out = standaloneFigureSvg(inner, stamp());
    expect(out).toContain(compactFigureSvg(inner).replace(/^<svg\b[^>]*>/, ''));
  });
});

describe('the nested figure keeps its presentation', () => {
  it('carries the renderer\'s font size, style and class onto the nested <svg> (else Plot text falls back to 16 px)', () => {
    const open = /^<svg\b[^>]*>/.exec(inner.trim())![0];
    const nested = /<svg x="0" y="\d+"[^>]*>/.exec(standaloneFigureSvg(inner, stamp()))![0];
    for (const name of ['class', 'viewBox', 'font-size', 'font-family', 'style', 'fill', 'text-anchor']) {
      const value = new RegExp(`\\s${name}="([^"]*)"`).exec(open)?.[1];
      if (value !== undefined) expect(nested, name).toContain(` ${name}="${value}"`);
    }
    expect(nested).not.toMatch(/\srole=|\saria-|\sxmlns/);
    expect(open).toMatch(/font-size|style=/); // the fixture chart does set one of them
  });
});
