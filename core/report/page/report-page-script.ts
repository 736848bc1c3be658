/**
 * The report page's own script (runs after uPlot's): the trend charts, and the findings table's
 * filters, sort and details toggles. No inline handlers (the page runs under a strict CSP): every
 * listener is added here. Filters and sort work on attributes the renderer wrote on each
 * finding's `<tbody>`, read once; 5,000 findings filter in a few milliseconds.
 */
export const REPORT_PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('dw-data').textContent);
  var SEV_COLORS = { critical: '#991b1b', high: '#c2410c', medium: '#a16207', low: '#1e40af', info: '#6b7280' };

  // ---- findings table ----
  // Each finding arrives as [rank, severity, change, rg, type, name, search text], its <tbody>
  // as HTML (escaped by the renderer) in the inert rows block. Only the rows shown are in the document: the first page
  // came with the HTML, the rest are made from their HTML when a filter, sort or "Show more"
  // first needs them.
  var table = document.getElementById('findings-table');
  var maker = document.createElement('template');
  var block = document.getElementById('dw-rows');
  var html = block && block.textContent ? block.textContent.split('\u001e') : [];
  var rows = (data.findings || []).map(function (f, i) {
    return { index: i, sev: f[0], severity: f[1], change: f[2], rg: f[3], type: f[4], name: f[5], text: f[6], html: html[i],
      el: document.getElementById('f-' + i), shown: false };
  });
  rows.forEach(function (r) { if (r.el) r.shown = true; });
  function element(r) {
    if (!r.el) { maker.innerHTML = r.html; r.el = maker.content.firstElementChild; }
    return r.el;
  }
  var order = rows;
  var controls = {
    severity: document.getElementById('filter-severity'),
    change: document.getElementById('filter-change'),
    rg: document.getElementById('filter-rg'),
    type: document.getElementById('filter-type'),
    text: document.getElementById('filter-text')
  };
  var count = document.getElementById('count');
  var total = rows.length;
  var PAGE = 100;
  var limit = PAGE;
  var more = document.getElementById('show-more');
  var all = document.getElementById('show-all');

  function applyFilters() {
    if (!table) return;
    var sev = controls.severity ? controls.severity.value : '';
    var change = controls.change ? controls.change.value : '';
    var rg = controls.rg ? controls.rg.value : '';
    var type = controls.type ? controls.type.value : '';
    var text = controls.text ? controls.text.value.trim().toLowerCase() : '';
    var wanted = [];
    var matched = 0;
    for (var i = 0; i < order.length; i++) {
      var r = order[i];
      if ((!sev || r.severity === sev) && (!change || r.change === change) && (!rg || r.rg === rg) &&
        (!type || r.type === type) && (!text || r.text.indexOf(text) !== -1)) {
        if (matched < limit) wanted.push(r);
        matched++;
      }
    }
    var keep = {};
    wanted.forEach(function (r) { keep[r.index] = true; });
    rows.forEach(function (r) {
      if (r.shown && !keep[r.index]) { r.el.remove(); r.shown = false; }
    });
    // Append in order: appending a row already in the table moves it, so the order is exact.
    var frag = document.createDocumentFragment();
    wanted.forEach(function (r) { frag.appendChild(element(r)); r.shown = true; });
    table.appendChild(frag);
    var shown = wanted.length;
    if (count) count.textContent = (matched === total ? total + ' findings' : matched + ' of ' + total + ' findings match') +
      (shown < matched ? '; showing the first ' + shown : '');
    if (more) more.hidden = shown >= matched;
    if (all) all.hidden = shown >= matched;
    document.documentElement.setAttribute('data-shown', String(shown));
    document.documentElement.setAttribute('data-matching', String(matched));
  }
  function filterChanged() { limit = PAGE; applyFilters(); }
  ['severity', 'change', 'rg', 'type'].forEach(function (k) {
    if (controls[k]) controls[k].addEventListener('change', filterChanged);
  });
  if (controls.text) controls.text.addEventListener('input', filterChanged);
  if (more) more.addEventListener('click', function () { limit += PAGE; applyFilters(); });
  if (all) all.addEventListener('click', function () { limit = Infinity; applyFilters(); });
  var reset = document.getElementById('filter-reset');
  if (reset) reset.addEventListener('click', function () {
    ['severity', 'change', 'rg', 'type', 'text'].forEach(function (k) { if (controls[k]) controls[k].value = ''; });
    filterChanged();
  });

  var KEYS = {
    severity: function (r) { return -r.sev; },
    resource: function (r) { return r.name; },
    rg: function (r) { return r.rg.toLowerCase(); },
    type: function (r) { return r.type.toLowerCase(); },
    change: function (r) { return r.change; }
  };
  var headers = table ? Array.prototype.slice.call(table.querySelectorAll('th[data-sort]')) : [];
  headers.forEach(function (th) {
    var button = th.querySelector('button');
    button.addEventListener('click', function () {
      var key = th.getAttribute('data-sort');
      var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
      headers.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir);
      var get = KEYS[key];
      var sign = dir === 'ascending' ? 1 : -1;
      order = rows.slice().sort(function (a, b) {
        var x = get(a), y = get(b);
        var c = x < y ? -1 : x > y ? 1 : 0;
        return c !== 0 ? c * sign : a.index - b.index;
      });
      applyFilters();
      var status = document.getElementById('sort-status');
      if (status) status.textContent = 'Sorted by ' + button.textContent + ', ' + dir;
    });
  });

  if (table) table.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('button.toggle') : null;
    if (!button) return;
    var body = button.closest('tbody');
    var open = !body.classList.contains('open');
    body.classList.toggle('open', open);
    button.setAttribute('aria-expanded', String(open));
  });
  applyFilters();

  // ---- trend charts (uPlot) ----
  var points = (data.trend && data.trend.points) || [];
  function times() { return points.map(function (p) { return Date.parse(p.at) / 1000; }); }
  function pick(f) { return points.map(f); }
  function makeChart(id, series, data2, extra) {
    var el = document.getElementById(id);
    if (!el || typeof uPlot === 'undefined' || points.length === 0) return;
    var opts = {
      width: Math.max(320, el.clientWidth || 360), height: 220,
      series: [{ label: 'Scan' }].concat(series),
      axes: [{ stroke: '#374151' }, { stroke: '#374151' }],
      // Counts start at zero, so a bar or a line is read against nothing, not against the minimum.
      // One scan alone gets a day around it (uPlot would otherwise spread the axis over years).
      scales: { x: { time: true, range: function (u, min, max) { return min === max ? [min - 43200, max + 43200] : [min, max]; } }, y: { range: function (u, min, max) { return [0, Math.max(1, max * 1.1)]; } } },
      legend: { live: false },
      cursor: { drag: { x: false, y: false } }
    };
    if (extra) extra(opts);
    var chart = new uPlot(opts, [times()].concat(data2), el);
    el.setAttribute('data-points', String(chart.data[0].length));
    charts.push({ chart: chart, el: el });
  }
  var charts = [];
  var line = function (label, color) { return { label: label, stroke: color, width: 2, points: { show: true, size: 6, fill: color } }; };
  makeChart('chart-severity',
    ['critical', 'high', 'medium', 'low', 'info'].map(function (s) { return line(s, SEV_COLORS[s]); }),
    ['critical', 'high', 'medium', 'low', 'info'].map(function (s) { return pick(function (p) { return p.bySeverity[s]; }); }));
  var bars = uPlot.paths && uPlot.paths.bars;
  makeChart('chart-flow', [
    { label: 'new', stroke: '#991b1b', fill: 'rgba(153,27,27,0.55)', width: 1, paths: bars ? bars({ size: [0.35, 40], align: -1 }) : undefined, points: { show: false } },
    { label: 'resolved', stroke: '#166534', fill: 'rgba(22,101,52,0.55)', width: 1, paths: bars ? bars({ size: [0.35, 40], align: 1 }) : undefined, points: { show: false } }
  ], [pick(function (p) { return p.newFindings; }), pick(function (p) { return p.resolved; })]);
  makeChart('chart-health', [
    line('unknown resources', '#6b21a8'),
    Object.assign(line('mean hours to resolve', '#0f766e'), { scale: 'h', spanGaps: true })
  ], [pick(function (p) { return p.unknown; }), pick(function (p) { return p.meanHoursToResolve; })], function (o) {
    o.scales.h = { range: function (u, min, max) { return [0, Math.max(1, (max === null ? 1 : max) * 1.1)]; } };
    o.axes.push({ scale: 'h', side: 1, stroke: '#374151', grid: { show: false } });
  });
  var resizeTimer;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      charts.forEach(function (c) { c.chart.setSize({ width: Math.max(320, c.el.clientWidth), height: 220 }); });
    }, 100);
  });
  document.documentElement.setAttribute('data-ready', 'true');
})();
`;

/** Runs in `<head>`: marks the page as scripted so finding details start closed (open without JS). */
export const REPORT_PAGE_HEAD_SCRIPT = "document.documentElement.classList.add('js');";
