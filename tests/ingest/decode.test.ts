import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DatasetError, decodeText, loadOrganizationTable } from '../../src/lib/ingest';
import { cellText } from '../../src/lib/ingest/table';

const DIR = fileURLToPath(new URL('../fixtures/ingest/decode/', import.meta.url));
const bytes = (file: string) => readFileSync(path.join(DIR, file));

describe.each([
  { file: 'utf8.csv', encoding: 'utf-8' },
  { file: 'utf8-bom.csv', encoding: 'utf-8-bom' },
  { file: 'gbk.csv', encoding: 'gbk' },
  { file: 'utf16le-tab.csv', encoding: 'utf-16le' },
])('$file decodes as $encoding', ({ file, encoding }) => {
  it('detects the encoding and keeps the Chinese text intact', () => {
    const decoded = decodeText(bytes(file), file);
    expect(decoded.encoding).toBe(encoding);
    expect(decoded.text.charCodeAt(0)).not.toBe(0xfeff); // BOM stripped
    expect(decoded.text).toContain('篦子街社区书画协会');
    expect(decoded.text).toContain('任家坝村志愿服务队');
  });

  it('parses into the same header and rows whatever the encoding or delimiter', async () => {
    const { raw, table } = await loadOrganizationTable(DIR, file);
    expect(raw.encoding).toBe(encoding);
    expect(table!.headers).toEqual(['组织名称', '区县', '乡镇街道', '社区', '类别', '登记方式', '成立日期']);
    expect(table!.rows.map((r) => [r.line, r.cells.map(cellText)])).toEqual([
      [2, ['篦子街社区书画协会', '市中区', '大佛街道', '篦子街社区', '兴趣爱好型', '备案', '2021-03-15']],
      [3, ['任家坝村志愿服务队', '市中区', '大佛街道', '任家坝村', '志愿服务型', '备案', '2022/6/1']],
    ]);
  });
});

describe.each([
  { file: 'png-renamed.csv', message: '这是 PNG 图片，不是文本 CSV' },
  { file: 'zip-renamed.csv', message: '请把扩展名改为 .xlsx' },
  { file: 'nul-bytes.csv', message: 'NUL' },
  { file: 'latin1.csv', message: '既不是 UTF-8，也不是 GBK/GB18030' },
])('$file is not a text CSV', ({ file, message }) => {
  it('throws a DatasetError naming the file', () => {
    let error: unknown;
    try {
      decodeText(bytes(file), file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).file).toBe(file);
    expect((error as DatasetError).message.startsWith(`${file}:`)).toBe(true);
    expect((error as DatasetError).message).toContain(message);
    expect((error as DatasetError).message).toContain(' / '); // zh / en
  });
});

describe('decoding edge cases', () => {
  it('rejects a UTF-8 BOM followed by invalid UTF-8 rather than guessing', () => {
    const data = Uint8Array.from([0xef, 0xbb, 0xbf, 0x61, 0xff, 0x62]);
    expect(() => decodeText(data, 'x.csv')).toThrow(/BOM/);
  });

  it('decodes UTF-16BE with BOM', () => {
    const text = 'name\tcategory';
    const be = new Uint8Array(2 + text.length * 2);
    be.set([0xfe, 0xff]);
    for (let i = 0; i < text.length; i++) {
      be[2 + 2 * i] = text.charCodeAt(i) >> 8;
      be[3 + 2 * i] = text.charCodeAt(i) & 0xff;
    }
    expect(decodeText(be, 'be.csv')).toEqual({ text, encoding: 'utf-16be' });
  });

  it('keeps GBK-only characters that are not in UTF-8 form', () => {
    // "峨边彝族自治县" in GBK bytes is invalid UTF-8, so it must go the GB18030 path
    const gbk = readFileSync(path.join(DIR, 'gbk.csv'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    expect(decodeText(gbk, 'gbk.csv').text.split(/\r\n/)[0]).toBe('组织名称,区县,乡镇街道,社区,类别,登记方式,成立日期');
  });
});
