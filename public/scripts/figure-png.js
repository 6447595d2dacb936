// Progressive enhancement: "PNG" buttons under figures (src/components/FigureFiles.astro). Converts the
// figure's standalone SVG file to a PNG in the browser (canvas), at data-png-width pixels wide, with the
// reader's own fonts, so no per-figure PNG is rendered at build time (src/lib/site/views/figures.ts).
(function () {
  'use strict';
  function convert(button) {
    // the figure's SVG link beside the button (src/components/FigureFiles.astro)
    var link = button.closest('[data-figure-files]').querySelector('a[data-file="svg"]');
    var url = link.getAttribute('href');
    var width = Number(button.getAttribute('data-png')) || 1600;
    // /figures/areas/511102-trend.svg → areas-511102-trend.png (/en/figures/… → …-en.png)
    var name = url.replace(/^.*?\/(en\/)?figures\//, function (m, en) { return en ? 'en/' : ''; }).replace(/\.svg$/, '');
    name = (name.indexOf('en/') === 0 ? name.slice(3) + '-en' : name).replace(/\//g, '-') + '.png';
    button.disabled = true;
    fetch(url)
      .then(function (r) { if (!r.ok) throw new Error(url + ': HTTP ' + r.status); return r.text(); })
      .then(function (text) {
        return new Promise(function (resolve, reject) {
          var img = new Image();
          var blobUrl = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
          img.onload = function () {
            var w = img.naturalWidth || 640;
            var h = img.naturalHeight || 400;
            var canvas = document.createElement('canvas');
            canvas.width = width;
            canvas.height = Math.round((h * width) / w);
            var ctx = canvas.getContext('2d');
            ctx.fillStyle = '#fff';
            ctx.fillRect(0, 0, canvas.width, canvas.height);
            ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
            URL.revokeObjectURL(blobUrl);
            canvas.toBlob(function (blob) { blob ? resolve(blob) : reject(new Error('canvas.toBlob failed')); }, 'image/png');
          };
          img.onerror = function () { URL.revokeObjectURL(blobUrl); reject(new Error(url + ': not a readable SVG')); };
          img.src = blobUrl;
        });
      })
      .then(function (blob) {
        var a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = name;
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      })
      .catch(function (err) { button.title = String(err && err.message || err); })
      .then(function () { button.disabled = false; });
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('button[data-png]'), function (b) {
      b.hidden = false;
      b.addEventListener('click', function () { convert(b); });
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
