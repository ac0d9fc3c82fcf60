(function () {
  'use strict';
  var table = document.getElementById('findings');
  if (!table) { return; }
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var text = document.getElementById('filter-text');
  var verdict = document.getElementById('filter-verdict');
  var shown = document.getElementById('shown');
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);

  function apply() {
    var q = text.value.trim().toLowerCase();
    var v = verdict.value;
    var n = 0;
    rows.forEach(function (r) {
      var ok = (!v || r.getAttribute('data-verdict') === v || (v === 'failing' && r.getAttribute('data-failing') === 'true')) &&
        (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
      r.hidden = !ok;
      if (ok) { n++; }
    });
    shown.textContent = String(n);
    return n;
  }

  function key(row, i, type) {
    var c = row.cells[i];
    var s = c.hasAttribute('data-sort') ? c.getAttribute('data-sort') : c.textContent;
    return type === 'num' ? Number(s) : s.toLowerCase();
  }

  function sortBy(i) {
    var th = heads[i];
    var type = th.getAttribute('data-type') || 'text';
    var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
    var order = rows.map(function (r, idx) { return { r: r, k: key(r, i, type), idx: idx }; });
    order.sort(function (a, b) {
      if (a.k < b.k) { return -dir; }
      if (a.k > b.k) { return dir; }
      return a.idx - b.idx;
    });
    order.forEach(function (o) { tbody.appendChild(o.r); });
    rows = order.map(function (o) { return o.r; });
  }

  heads.forEach(function (th, i) {
    th.tabIndex = 0;
    th.addEventListener('click', function () { sortBy(i); });
    th.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(i); }
    });
  });
  text.addEventListener('input', apply);
  verdict.addEventListener('change', apply);

  // A map cell filters the findings table to its location and category.
  Array.prototype.forEach.call(document.querySelectorAll('td.cell[data-loc]'), function (c) {
    c.addEventListener('click', function () {
      text.value = c.getAttribute('data-loc');
      verdict.value = '';
      apply();
      table.scrollIntoView();
    });
  });
  apply();

  // #selftest[=term]: exercise the filter and the sort through the page's own
  // controls and write the outcomes into #selftest-result (read by the tests).
  var m = /^#selftest(?:=(.*))?$/.exec(location.hash);
  if (!m) { return; }
  var out = { rows: rows.length, verdicts: {}, colors: {} };
  // Before anything moves: where the verdict explanations are drawn, the
  // order of the map's rows and of the findings.
  out.explained = Array.prototype.map.call(document.querySelectorAll('#verdicts .verdict-explain'), function (e) {
    var b = e.querySelector('.badge').getBoundingClientRect();
    return { verdict: e.getAttribute('data-verdict'), text: e.querySelector('.text').textContent,
      x: Math.round(b.left + 3), y: Math.round(b.top + b.height / 2), h: Math.round(b.height) };
  });
  var rank = { undeclared: 0, misplaced: 1, declared: 2, ignored: 3 };
  out.mapRows = Array.prototype.map.call(document.querySelectorAll('#datamap tr.group, #datamap tr.resource'), function (r) {
    if (r.classList.contains('group')) { return -1; }
    var w = 9;
    Array.prototype.forEach.call(r.querySelectorAll('td.cell[data-verdict]'), function (c) { w = Math.min(w, rank[c.getAttribute('data-verdict')]); });
    return w;
  });
  out.firstRows = rows.map(function (r) { return r.getAttribute('data-verdict') + (r.getAttribute('data-failing') === 'true' ? '!' : ''); });
  out.catHeads = Array.prototype.map.call(document.querySelectorAll('#datamap thead th.cat'), function (h) { return h.textContent; });
  Array.prototype.forEach.call(verdict.options, function (o) {
    if (!o.value) { return; }
    verdict.value = o.value;
    verdict.dispatchEvent(new Event('change'));
    out.verdicts[o.value] = Number(shown.textContent);
  });
  verdict.value = '';
  verdict.dispatchEvent(new Event('change'));
  if (m[1]) {
    out.term = decodeURIComponent(m[1]);
    text.value = out.term;
    text.dispatchEvent(new Event('input'));
    out.termShown = rows.filter(function (r) { return !r.hidden; }).length;
    text.value = '';
    text.dispatchEvent(new Event('input'));
  }
  var countCol = heads.findIndex(function (h) { return h.getAttribute('data-col') === 'count'; });
  var counts = function () { return rows.map(function (r) { return Number(r.cells[countCol].getAttribute('data-sort')); }); };
  heads[countCol].click();
  out.sortAsc = counts();
  out.sortAscAria = heads[countCol].getAttribute('aria-sort');
  heads[countCol].click();
  out.sortDesc = counts();
  out.sortDescAria = heads[countCol].getAttribute('aria-sort');
  out.afterReset = apply();
  ['undeclared', 'misplaced', 'declared', 'ignored'].forEach(function (v) {
    var c = document.querySelector('td.cell.v-' + v);
    if (c) { out.colors[v] = getComputedStyle(c).backgroundColor; }
  });
  out.cells = document.querySelectorAll('td.cell[data-verdict]').length;
  var res = document.getElementById('selftest-result');
  res.textContent = JSON.stringify(out);
  res.hidden = false;
}());
