import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { squeezeHtml } from '../../scripts/squeeze-html';

/** scripts/squeeze-html.ts: whitespace next to block, list, table and head tags goes; inline spacing and raw text stay. */
describe('squeezeHtml', () => {
  it.each([
    ['table cells and rows', '<tr> <th scope="row">2015</th><td>39</td> <td>0.65</td> </tr>', '<tr><th scope="row">2015</th><td>39</td><td>0.65</td></tr>'],
    ['list items', '<ul class="chips"> <li><a href="/x">x</a></li> <li>y</li> </ul>', '<ul class="chips"><li><a href="/x">x</a></li><li>y</li></ul>'],
    ['head', '<head><meta charset="utf-8"> <title>t</title> <link rel="icon" href="/f.svg"></head>', '<head><meta charset="utf-8"><title>t</title><link rel="icon" href="/f.svg"></head>'],
    ['the space between inline elements stays', '<p><span>此图：</span> <a href="/a.svg">SVG</a> <button type="button">PNG</button></p>', '<p><span>此图：</span> <a href="/a.svg">SVG</a> <button type="button">PNG</button></p>'],
    ['text keeps its spaces', '<p class="muted">区县 · 代码 511102 · <a href="/areas/511100/">乐山市</a> · 数据截至</p>', '<p class="muted">区县 · 代码 511102 · <a href="/areas/511100/">乐山市</a> · 数据截至</p>'],
    ['<pre> content untouched', '<div> <pre><code>a\n</code> <b>x</b>\n</pre> </div>', '<div><pre><code>a\n</code> <b>x</b>\n</pre></div>'],
    ['<script> content untouched', '<head> <script>if (a > b) { x = "</p> <p>"; }</script> </head>', '<head><script>if (a > b) { x = "</p> <p>"; }</script></head>'],
    ['a heading next to its badge', '<h2 id="s">状态：<span class="status">达标</span></h2> <ul> <li>x</li> </ul>', '<h2 id="s">状态：<span class="status">达标</span></h2><ul><li>x</li></ul>'],
  ])('%s', (_, input, output) => {
    expect(squeezeHtml(input)).toBe(output);
  });

  it('keeps the text of a real page (the Astro sample 404 page markup) word for word', () => {
    // a real Astro component's markup with its whitespace: the not-found page and the layout's structure
    const source = readFileSync('src/components/pages/NotFoundPage.astro', 'utf8');
    const markup = source.slice(source.lastIndexOf('---') + 3).replace(/\{[^{}]*\}/g, 'x').replace(/\s+/g, ' ');
    const html = `<!doctype html><html><head> <title>t</title> </head><body> <main>${markup}</main> </body></html>`;
    const text = (h: string) => parseHTML(h).document.querySelector('main')!.textContent!.replace(/\s+/g, ' ').trim();
    const squeezed = squeezeHtml(html);
    expect(squeezed.length).toBeLessThan(html.length);
    // inline text only loses the blanks a browser would not draw between blocks
    expect(text(squeezed).replace(/ /g, '')).toBe(text(html).replace(/ /g, ''));
    expect(squeezeHtml(squeezed)).toBe(squeezed); // idempotent
  });
});
