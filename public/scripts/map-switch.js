// Progressive enhancement: without JavaScript both maps (urban, rural) are shown side by side;
// with it, buttons switch between them.
(function () {
  'use strict';
  function enhance(pair) {
    var panels = pair.querySelectorAll('[data-map-kind]');
    if (panels.length < 2) return;
    var bar = document.createElement('div');
    bar.className = 'map-switch';
    var label = document.createElement('span');
    label.textContent = pair.getAttribute('data-switch-label') || '';
    bar.appendChild(label);
    var buttons = [];
    function show(kind) {
      Array.prototype.forEach.call(panels, function (p) { p.hidden = p.getAttribute('data-map-kind') !== kind; });
      buttons.forEach(function (b) { b.setAttribute('aria-pressed', String(b.getAttribute('data-kind') === kind)); });
    }
    Array.prototype.forEach.call(panels, function (p) {
      var b = document.createElement('button');
      b.type = 'button';
      b.setAttribute('data-kind', p.getAttribute('data-map-kind'));
      b.textContent = p.getAttribute('data-map-label');
      b.addEventListener('click', function () { show(b.getAttribute('data-kind')); });
      buttons.push(b);
      bar.appendChild(b);
    });
    pair.parentNode.insertBefore(bar, pair);
    pair.classList.add('switched');
    show(panels[0].getAttribute('data-map-kind'));
  }
  function init() { Array.prototype.forEach.call(document.querySelectorAll('[data-map-switch]'), enhance); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
