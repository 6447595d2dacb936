import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CATEGORIES, type DatasetMeta } from '../core/types';
import { decodeText } from './decode';
import { DatasetError } from './errors';

export const DATASET_JSON = 'dataset.json';

const isRealIsoDate = (s: string) => {
  const [y, m, d] = s.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

const nonEmpty = z.string().trim().min(1, '不能为空 / must not be empty');
const httpUrl = z
  .string()
  .trim()
  .url('不是有效的网址 / not a valid URL')
  .refine((u) => /^https?:\/\//i.test(u), '网址须以 http:// 或 https:// 开头 / URL must start with http:// or https://');

/** dataset.json: what a dataset folder says about itself. Unknown keys are ignored. */
export const datasetMetaSchema = z.object({
  title: nonEmpty,
  title_en: nonEmpty.optional(),
  publisher: nonEmpty,
  license: nonEmpty,
  as_of: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '日期须为 YYYY-MM-DD / date must be YYYY-MM-DD')
    .refine(isRealIsoDate, '日期不存在 / no such date'),
  sample: z.boolean({ invalid_type_error: '须为 true 或 false（不带引号） / must be true or false (no quotes)' }),
  description: z.string().optional(),
  source_url: httpUrl.optional(),
  scope: z
    .array(z.string().regex(/^\d{6}$/, '须为 6 位区划代码 / must be a 6-digit area code'))
    .min(1, '不能为空数组 / must not be empty')
    .optional(),
  /** the dataset's own category words → plan types: {"文化类": "兴趣爱好型"} (src/lib/ingest/vocabulary.ts) */
  category_map: z
    .record(
      nonEmpty,
      z.enum(CATEGORIES, { errorMap: () => ({ message: `须为 ${CATEGORIES.join('、')} 之一 / must be one of ${CATEGORIES.join(', ')}` }) }),
    )
    .optional(),
});

/** 1-based line and column of a character offset. */
function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Line of a top-level key in the JSON text, for pointing at a wrongly typed field. */
function lineOfKey(text: string, key: string | number | undefined): number | null {
  if (typeof key !== 'string') return null;
  const at = text.indexOf(JSON.stringify(key));
  return at < 0 ? null : lineColumnAt(text, at).line;
}

const formatPath = (p: (string | number)[]) =>
  p.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('') || '(root)';

export function readDatasetMeta(dir: string): DatasetMeta {
  const file = path.join(dir, DATASET_JSON);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new DatasetError(
      DATASET_JSON,
      null,
      null,
      '缺少 dataset.json（数据集说明：title、publisher、license、as_of、sample）',
      'dataset.json is missing (dataset description: title, publisher, license, as_of, sample)',
    );
  }
  const { text } = decodeText(readFileSync(file), DATASET_JSON);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const at = lineColumnAt(text, position ? Number(position[1]) : text.length);
    throw new DatasetError(DATASET_JSON, at.line, String(at.column), `JSON 格式错误（${message}）`, `malformed JSON (${message})`);
  }
  const parsed = datasetMetaSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const field = formatPath(first.path);
    const [zh, en] = first.message.includes(' / ') ? first.message.split(' / ') : [zhForIssue(first), first.message];
    throw new DatasetError(DATASET_JSON, lineOfKey(text, first.path[0]), field, `字段 ${field}：${zh}`, `field ${field}: ${en}`);
  }
  return parsed.data;
}

function zhForIssue(issue: z.ZodIssue): string {
  if (issue.code === 'invalid_type') {
    return issue.received === 'undefined' ? '缺少必填字段' : `类型错误：应为 ${issue.expected}，实为 ${issue.received}`;
  }
  return '取值无效';
}
