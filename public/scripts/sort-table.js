// Progressive enhancement: turns the headers of <table data-sortable> into sort buttons.
// Without JavaScript the table stays readable in its server-rendered order.
(function () {
  'use strict';
  function value(cell, numeric) {
    var raw = cell ? cell.getAttribute('data-sort') : '';
    if (raw === null || raw === undefined) raw = cell.textContent || '';
    if (!numeric) return raw;
    if (raw === '') return null;
    var n = Number(raw.replace(/,/g, '')); // a cell without data-sort: its text, e.g. "1,364"
    return isNaN(n) ? null : n;
  }
  function sortBy(table, index, numeric, dir) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
      return { row: row, v: value(row.cells[index], numeric), i: i };
    });
    rows.sort(function (a, b) {
      if (a.v === null && b.v === null) return a.i - b.i;
      if (a.v === null) return 1; // blanks last, whatever the direction
      if (b.v === null) return -1;
      var c = numeric ? a.v - b.v : String(a.v).localeCompare(String(b.v), 'zh-CN');
      return (dir === 'ascending' ? c : -c) || a.i - b.i;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
  }
  function enhance(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, index) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () {
        var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', dir);
        sortBy(table, index, th.getAttribute('data-type') === 'number', dir);
      });
    });
  }
  function init() { Array.prototype.forEach.call(document.querySelectorAll('table[data-sortable]'), enhance); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
