/**
 * Whitespace between tags that no browser draws: a run of spaces or newlines next to the start or end tag of a
 * block-level, list, table or head element (`</td> <td>`, `<tr> <th`, `</li> <li>`), where the layout makes it
 * collapse to nothing. Astro's compressHTML keeps one space at each of them (~300 per briefing, ~6,700 briefings
 * nationally). Whitespace next to inline elements (a, span, button, code, strong…), inside text, and everything
 * inside <pre>, <textarea>, <script> and <style> is kept. Deterministic: a pure string function.
 *
 * scripts/site-files.ts runs it over the pages of dist/ before the precompressed twins.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { filesUnder } from './precompress';

const BLOCK =
  'html|head|body|meta|link|title|main|header|footer|nav|section|article|aside|div|p|h[1-6]|ul|ol|li|dl|dt|dd|table|caption|colgroup|col|thead|tbody|tfoot|tr|th|td|figure|figcaption|details|summary|form|fieldset|legend|blockquote|hr|picture|source';
const AFTER_BLOCK_TAG = new RegExp(`(<\\/?(?:${BLOCK})\\b[^>]*>)\\s+(?=<)`, 'g');
const BEFORE_BLOCK_TAG = new RegExp(`>\\s+(?=<\\/?(?:${BLOCK})\\b)`, 'g');
/** Elements whose content is kept as it is. */
const RAW = /<(pre|textarea|script|style)\b[^>]*>[\s\S]*?<\/\1>/g;

export function squeezeHtml(html: string): string {
  let out = '';
  let last = 0;
  const squeeze = (s: string) => s.replace(AFTER_BLOCK_TAG, '$1').replace(BEFORE_BLOCK_TAG, '>');
  for (const m of html.matchAll(RAW)) {
    // the raw element's own tags take part (its start tag may follow a block tag, a block tag its end tag), its
    // content does not
    const open = m[0].indexOf('>') + 1;
    const close = m[0].lastIndexOf('</');
    out += squeeze(html.slice(last, m.index + open)) + m[0].slice(open, close);
    last = m.index + close;
  }
  return out + squeeze(html.slice(last));
}

/** Squeezes every .html file under `dir` in place; returns the files and the bytes saved. */
export function squeezeHtmlDir(dir: string): { files: number; saved: number } {
  let files = 0;
  let saved = 0;
  for (const p of filesUnder(dir).filter((f) => f.endsWith('.html'))) {
    const before = readFileSync(p, 'utf8');
    const after = squeezeHtml(before);
    if (after !== before) writeFileSync(p, after);
    files++;
    saved += Buffer.byteLength(before) - Buffer.byteLength(after);
  }
  return { files, saved };
}
