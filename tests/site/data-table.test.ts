import { describe, expect, it } from 'vitest';
import { statusLabel } from '../../src/lib/site/format';
import { tableCellView, type TableCell } from '../../src/lib/site/views/data-table';

const met = statusLabel('met', 'zh-CN');

describe('tableCellView: the text of a cell, and a data-sort key only where the text does not say it', () => {
  it.each<[string, TableCell | undefined, boolean, ReturnType<typeof tableCellView>]>([
    ['nothing: a dash, sorted last by the script without a key', null, true, { text: '—' }],
    ['a missing key', undefined, false, { text: '—' }],
    ['a number in a numeric column: its text says it', 1364, true, { text: '1364' }],
    ['a number in a text column: a key', 1364, false, { text: '1364', sort: '1364' }],
    ['text: sorted by its text, never copied into an attribute', '<b>乐山</b>', false, { text: '<b>乐山</b>' }],
    ['a formatted number that says its key', { text: '1,364', sort: 1364 }, true, { text: '1,364' }],
    ['a formatted number that rounds its key', { text: '0.8', sort: 0.8125 }, true, { text: '0.8', sort: '0.8125' }],
    ['a share written as a percentage', { text: '81%', sort: 0.81 }, true, { text: '81%', sort: '0.81' }],
    ['a text with its own key in a text column', { text: '市中区', sort: 'shizhong' }, false, { text: '市中区', sort: 'shizhong' }],
    ['a link without a key', { text: '白马镇', href: '/areas/511102103/' }, false, { text: '白马镇', href: '/areas/511102103/' }],
    ['a null key', { text: '—', sort: null }, true, { text: '—' }],
    ['a status: sorted by its symbol and word', { status: 'met' }, false, { text: met.text, status: 'met', symbol: met.symbol }],
  ])('%s', (_, cell, numeric, expected) => {
    expect(tableCellView(cell, numeric, 'zh-CN')).toEqual(expected);
  });

  it('says nothing in English as a dash too', () => {
    expect(tableCellView(null, true, 'en').text).toBe('—');
  });
});
