'use strict';
// The manager's view of the hall: load per service, every window's state
// and current service time, paused windows with reasons, calls per hour,
// and alerts when a wait passes the target or a window idles while people
// wait for its services.
HF.start(function () {
  var $ = function (x) { return document.getElementById(x); };
  var IDLE_ALERT_S = 120;
  var hall = null;
  var hourly = null;
  window.__hf.dashboard = function () { return { hall: hall, hourly: hourly, alerts: alerts() }; };
  HF.startClock($('clock'));

  var target = 30;
  try { target = Number(localStorage.getItem('hf.target')) || 30; } catch (e) { /* private mode */ }
  var q = Number(new URLSearchParams(location.search).get('target'));
  if (q > 0) target = q;
  $('target').value = target;
  $('target').addEventListener('change', function () {
    var v = Number($('target').value);
    if (v > 0) { target = v; try { localStorage.setItem('hf.target', String(v)); } catch (e) { /* private mode */ } render(); }
  });

  function alerts() {
    var out = [];
    if (!hall) return out;
    hall.services.forEach(function (s) {
      if (s.waiting > 0 && s.longest_wait_s > target * 60) out.push({ level: 'bad', text: HF.t('dash.alert.wait', HF.name(s), HF.fmtDur(s.longest_wait_s), target) });
    });
    hall.windows.forEach(function (w) {
      if (w.state === 'idle' && w.waiting > 0 && HF.since(w.since) > IDLE_ALERT_S) out.push({ level: 'bad', text: HF.t('dash.alert.idle', w.id, HF.fmtDur(HF.since(w.since)), w.waiting) });
      if (w.state === 'paused') out.push({ level: 'warn', text: HF.t('dash.alert.paused', w.id, w.pause_reason || '') });
    });
    return out;
  }

  function render() {
    if (!hall) return;
    $('hallname').textContent = HF.lang === 'en' && hall.hall.name_en ? hall.hall.name_en : hall.hall.name;
    var waiting = 0, issued = 0, served = 0, longest = 0, open = 0;
    var tb = HF.clear($('services'));
    hall.services.forEach(function (s) {
      waiting += s.waiting; issued += s.issued; served += s.served; longest = Math.max(longest, s.longest_wait_s);
      var over = s.waiting > 0 && s.longest_wait_s > target * 60;
      tb.appendChild(HF.el('tr', { 'data-service': s.code }, [
        HF.el('td', { text: s.code + ' ' + HF.name(s) }),
        HF.el('td', { class: 'n', text: String(s.waiting) }),
        HF.el('td', { class: 'n' + (over ? ' over' : ''), text: s.waiting ? HF.fmtDur(s.longest_wait_s) : '—' }),
        HF.el('td', { class: 'n', text: HF.fmtWait(s.estimated_wait_s) }),
        HF.el('td', { class: 'n', text: String(s.issued) }),
        HF.el('td', { class: 'n', text: String(s.served) }),
        HF.el('td', { class: 'n', text: s.served ? HF.fmtDur(s.avg_service_s) : '—' }),
      ]));
    });
    hall.windows.forEach(function (w) { if (w.state !== 'closed') open++; });
    $('k-waiting').textContent = waiting;
    $('k-issued').textContent = issued;
    $('k-served').textContent = served;
    $('k-open').textContent = open + ' / ' + hall.windows.length;
    $('k-longest').textContent = longest ? HF.fmtDur(longest) : '—';
    $('k-longest-box').classList.toggle('bad', longest > target * 60);
    renderWindows();
    renderAlerts();
    renderChart();
  }

  function renderWindows() {
    var tb = HF.clear($('windows'));
    hall.windows.forEach(function (w) {
      var st = HF.el('span', { class: 'pill ' + w.state, text: HF.t('state.' + w.state) });
      tb.appendChild(HF.el('tr', { 'data-window': w.id }, [
        HF.el('td', { text: HF.t('window.n', w.id) + ' ' + w.name }),
        HF.el('td', {}, [st, w.state === 'paused' && w.pause_reason ? ' ' + w.pause_reason : null]),
        HF.el('td', { text: w.clerk ? w.clerk.name + ' · ' + w.clerk.staff : '—' }),
        HF.el('td', { class: 'num', text: w.current ? w.current.number : '—' }),
        HF.el('td', { class: 'n', text: w.current && w.since ? HF.fmtDur(HF.since(w.since)) : '—' }),
        HF.el('td', { class: 'n', text: String(w.waiting) }),
        HF.el('td', { class: 'n', text: String(w.served) }),
        HF.el('td', { class: 'n', text: w.served ? HF.fmtDur(w.avg_service_s) : '—' }),
      ]));
    });
  }

  function renderAlerts() {
    var ul = HF.clear($('alerts'));
    var list = alerts();
    if (!list.length) ul.appendChild(HF.el('li', { class: 'ok', text: HF.t('dash.noalerts') }));
    list.forEach(function (a) { ul.appendChild(HF.el('li', { class: a.level, text: a.text })); });
  }

  var SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function renderChart() {
    var box = HF.clear($('chart'));
    if (!hourly) return;
    var hs = hourly.hours;
    var first = 8, last = 18;
    hs.forEach(function (h) { if (h.issued || h.called) { first = Math.min(first, h.hour); last = Math.max(last, h.hour); } });
    var rows = hs.slice(first, last + 1);
    var top = 4;
    rows.forEach(function (h) { top = Math.max(top, h.issued, h.called); });
    // Four grid lines at round numbers: 1, 2, 5 or 10 times a power of ten.
    var raw = top / 4, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var tick = [1, 2, 5, 10].map(function (f) { return f * mag; }).filter(function (v) { return v >= raw; })[0];
    var max = tick * 4;
    var W = 640, H = 260, L = 34, B = 24, T = 8;
    var cw = (W - L - 6) / rows.length;
    var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': HF.t('dash.chart') });
    for (var i = 0; i <= 4; i++) {
      var y = T + (H - T - B) * (1 - i / 4);
      s.appendChild(svg('line', { x1: L, x2: W, y1: y, y2: y, stroke: '#e3e7ed' }));
      s.appendChild(svg('text', { x: L - 6, y: y + 4, 'text-anchor': 'end' }, String(Math.round(max * i / 4))));
    }
    rows.forEach(function (h, j) {
      var x = L + j * cw;
      var bw = Math.max(3, cw * 0.36);
      [['issued', '#9bbce0', 0], ['called', '#0b57a4', 1]].forEach(function (d) {
        var v = h[d[0]];
        var bh = (H - T - B) * v / max;
        var bar = svg('rect', { x: x + cw * 0.12 + d[2] * bw, y: H - B - bh, width: bw, height: bh, fill: d[1], rx: 2 });
        bar.appendChild(svg('title', {}, h.hour + ':00 ' + HF.t('dash.legend.' + d[0]) + ' ' + v));
        s.appendChild(bar);
      });
      s.appendChild(svg('text', { x: x + cw / 2, y: H - 6, 'text-anchor': 'middle' }, String(h.hour)));
    });
    box.appendChild(s);
  }
  HF.onLang(render);

  var refreshHall = HF.debounce(async function () {
    try { hall = await HF.api('GET', '/api/v1/hall'); render(); } catch (e) { /* the next tick retries */ }
  }, 500);
  var refreshHourly = HF.debounce(async function () {
    try { hourly = await HF.api('GET', '/api/v1/stats/hourly'); renderChart(); } catch (e) { /* the next tick retries */ }
  }, 1000);

  // Waits grow without events: refresh the figures now and then, and the
  // running service times every second.
  setInterval(refreshHall, 15000);
  setInterval(refreshHourly, 60000);
  setInterval(function () { if (hall) { renderWindows(); } }, 1000);

  refreshHourly();
  HF.live({
    snapshot: function (h) { hall = h; render(); refreshHourly(); },
    event: function (m) {
      if (m.window && hall) hall.windows = hall.windows.map(function (w) { return w.id === m.window.id ? m.window : w; });
      if (m.waiting && hall) hall.services.forEach(function (s) { if (m.waiting[s.code] !== undefined) s.waiting = m.waiting[s.code]; });
      render();
      refreshHall();
      refreshHourly();
    },
  });
});
