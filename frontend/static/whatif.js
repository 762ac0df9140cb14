'use strict';
// The manager's what-if (排班模拟): a day profile and a roster of windows
// per service per hour, simulated on the server through the hall's own
// rules; the share of numbers called within the target, the overtime, the
// windows' idle time, and each hour's p90 wait per service drawn against
// the target; and the smallest roster keeping every p90 under it, filled
// into the table. The sign-in is the dashboard's (same storage key).
// The page's words join the dictionary before the shell words the page.
['zh', 'en'].forEach(function (l) { Object.assign(HF_WORDS[l], HF_WORDS_WHATIF[l]); });

HF.start(async function () {
  var $ = function (id) { return document.getElementById(id); };
  var SVG = 'http://www.w3.org/2000/svg';
  var COLORS = ['#1f6feb', '#d97706', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#65a30d', '#db2777'];
  var mgr = null, choices = null, answer = null, roster = {};
  try { mgr = JSON.parse(sessionStorage.getItem('hf.manager') || 'null'); } catch (e) { mgr = null; }
  window.__hf = window.__hf || {};
  window.__hf.whatif = { answer: function () { return answer; }, roster: function () { return roster; } };

  function setManager(m) {
    mgr = m;
    try { if (m) sessionStorage.setItem('hf.manager', JSON.stringify(m)); else sessionStorage.removeItem('hf.manager'); } catch (e) { /* private mode */ }
    $('signin').hidden = !!m;
    $('work').hidden = !m;
    $('signout').hidden = !m;
    $('who').textContent = m ? HF.t('dash.signedas', m.name || m.staff) : '';
    if (m) load();
  }
  async function api(method, path, body) {
    try {
      return await HF.api(method, path, body, { token: mgr && mgr.token });
    } catch (e) {
      if (e.status === 401) setManager(null);
      throw e;
    }
  }
  $('signin').addEventListener('submit', async function (ev) {
    ev.preventDefault();
    var r = await HF.signIn($('staff'), $('password'), $('signin-error'), 'manager');
    if (r) setManager({ token: r.token, staff: r.staff, name: r.name });
  });
  $('signout').addEventListener('click', async function () {
    if (mgr) { try { await HF.api('POST', '/api/v1/logout', {}, { token: mgr.token }); } catch (e) { /* ended already */ } }
    setManager(null);
  });

  function hours() { return (choices && choices.profile_hours[$('profile').value]) || []; }

  async function load() {
    try {
      await HF.loadNames();
      choices = await api('GET', '/api/v1/whatif');
    } catch (e) { HF.showError($('error'), e); return; }
    var sel = HF.clear($('profile'));
    choices.profiles.forEach(function (p) {
      sel.appendChild(HF.el('option', { value: p, text: HF.t('whatif.profile.' + p) }));
    });
    if (choices.profiles.indexOf('normal') >= 0) sel.value = 'normal';
    roster = {};
    hours().forEach(function (h) {
      roster[h] = {};
      choices.services.forEach(function (s) { roster[h][s] = 1; });
    });
    renderRoster();
  }
  $('profile').addEventListener('change', function () { renderRoster(); });

  function renderRoster() {
    if (!choices) return;
    var head = HF.clear($('roster-head')), body = HF.clear($('roster-body'));
    var tr = HF.el('tr', {}, [HF.el('th', { text: HF.t('whatif.hour') })]);
    choices.services.forEach(function (s) {
      tr.appendChild(HF.el('th', { text: HF.serviceName(s), title: HF.t('whatif.max', choices.windows[s]) }));
    });
    head.appendChild(tr);
    hours().forEach(function (h) {
      roster[h] = roster[h] || {};
      var row = HF.el('tr', {}, [HF.el('th', { text: h + ':00' })]);
      choices.services.forEach(function (s) {
        var inp = HF.el('input', { type: 'number', min: '0', max: String(choices.windows[s]), value: String(roster[h][s] || 0),
          'data-hour': String(h), 'data-service': s, 'aria-label': h + ':00 ' + HF.serviceName(s) });
        inp.addEventListener('change', function () { roster[h][s] = Math.max(0, parseInt(inp.value, 10) || 0); });
        row.appendChild(HF.el('td', {}, [inp]));
      });
      body.appendChild(row);
    });
  }

  function request() {
    var r = {};
    hours().forEach(function (h) {
      var cell = {};
      Object.keys(roster[h] || {}).forEach(function (s) { if (roster[h][s] > 0) cell[s] = roster[h][s]; });
      if (Object.keys(cell).length) r[String(h)] = cell;
    });
    return { profile: $('profile').value, seed: Math.max(0, parseInt($('seed').value, 10) || 0), roster: r };
  }

  async function run(path, fill) {
    HF.showError($('error'), null);
    $('run').disabled = $('smallest').disabled = true;
    $('status').textContent = HF.t('whatif.running');
    var body = request();
    if (fill) delete body.roster;
    try {
      answer = await api('POST', path, body);
    } catch (e) {
      HF.showError($('error'), e);
      $('status').textContent = '';
      return;
    } finally {
      $('run').disabled = $('smallest').disabled = false;
    }
    if (fill) {
      roster = {};
      hours().forEach(function (h) { roster[h] = Object.assign({}, answer.roster[String(h)] || {}); });
      renderRoster();
    }
    $('status').textContent = HF.t('whatif.done', answer.simulations) +
      (answer.unmet && answer.unmet.length ? ' ' + HF.t('whatif.unmet', answer.unmet.join(', ')) : '');
    render();
  }
  $('run').addEventListener('click', function () { run('/api/v1/whatif', false); });
  $('smallest').addEventListener('click', function () { run('/api/v1/whatif/smallest', true); });
  HF.onLang(function () { renderRoster(); if (answer) render(); });

  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function num(v) { return (Math.round(v * 10) / 10).toString(); }

  function render() {
    var a = answer;
    $('result').hidden = false;
    $('k-within').textContent = Math.round(a.within_target * 100) + '%';
    $('k-overtime').textContent = num(a.overtime_minutes);
    $('k-idle').textContent = num(a.idle_minutes);
    $('k-tickets').textContent = String(a.tickets);
    var services = choices.services;
    // p90 per hour per service, grouped by hour, against the target line.
    var W = 900, H = 260, L = 36, B = 22, T = 8;
    var max = a.target_minutes;
    a.hours.forEach(function (h) { services.forEach(function (s) { max = Math.max(max, (h.services[s] || {}).p90_min || 0); }); });
    max = Math.ceil(max / 10) * 10 || 10;
    var y = function (v) { return H - B - (H - B - T) * v / max; };
    var s = svg('svg', { id: 'p90-chart', viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': HF.t('whatif.chart') });
    for (var i = 0; i <= 4; i++) {
      s.appendChild(svg('line', { x1: L, x2: W, y1: y(max * i / 4), y2: y(max * i / 4), stroke: '#e3e7ed' }));
      s.appendChild(svg('text', { x: L - 6, y: y(max * i / 4) + 4, 'text-anchor': 'end' }, num(max * i / 4)));
    }
    var cw = (W - L) / Math.max(1, a.hours.length), bw = cw * 0.8 / services.length;
    a.hours.forEach(function (h, j) {
      var x0 = L + j * cw + cw * 0.1;
      services.forEach(function (sv, k) {
        var v = (h.services[sv] || {}).p90_min || 0;
        var bar = svg('rect', { x: x0 + k * bw, y: y(v), width: Math.max(1, bw - 1), height: H - B - y(v), fill: COLORS[k % COLORS.length],
          'data-hour': h.hour, 'data-service': sv, 'data-value': v });
        bar.appendChild(svg('title', {}, h.hour + ':00 ' + HF.serviceName(sv) + ' ' + num(v)));
        s.appendChild(bar);
      });
      s.appendChild(svg('text', { x: L + j * cw + cw / 2, y: H - 6, 'text-anchor': 'middle' }, h.hour + ':00'));
    });
    s.appendChild(svg('line', { class: 'target', x1: L, x2: W, y1: y(a.target_minutes), y2: y(a.target_minutes), stroke: '#b3261e',
      'stroke-dasharray': '6 4', 'stroke-width': 2 }));
    s.appendChild(svg('text', { x: W - 4, y: y(a.target_minutes) - 4, 'text-anchor': 'end', fill: '#b3261e' },
      HF.t('whatif.target', num(a.target_minutes))));
    HF.clear($('chart')).appendChild(s);
    var legend = HF.clear($('legend'));
    services.forEach(function (sv, k) {
      legend.appendChild(HF.el('span', {}, [HF.el('i', {}), document.createTextNode(HF.serviceName(sv))]));
      legend.lastChild.firstChild.style.background = COLORS[k % COLORS.length];
    });
    // Idle and overtime minutes, two bars on one scale.
    var tw = 900, th = 70, tmax = Math.max(1, a.idle_minutes, a.overtime_minutes);
    var t = svg('svg', { id: 'time-chart', viewBox: '0 0 ' + tw + ' ' + th, role: 'img', 'aria-label': HF.t('whatif.chart.time') });
    [['idle', a.idle_minutes, '#64748b'], ['overtime', a.overtime_minutes, '#d97706']].forEach(function (d, i) {
      var w = (tw - 260) * d[1] / tmax;
      t.appendChild(svg('text', { x: 0, y: 22 + i * 30 }, HF.t('whatif.' + d[0])));
      t.appendChild(svg('rect', { x: 180, y: 8 + i * 30, width: Math.max(1, w), height: 20, fill: d[2], 'data-value': d[1] }));
      t.appendChild(svg('text', { x: 186 + w, y: 22 + i * 30 }, num(d[1])));
    });
    HF.clear($('chart-time')).appendChild(t);
    // The figures as a table: arrivals, windows, mean and p90 per service.
    var head = HF.clear($('fig-head')), body = HF.clear($('fig-body'));
    var tr = HF.el('tr', {}, [HF.el('th', { text: HF.t('whatif.hour') }), HF.el('th', { text: HF.t('whatif.arrivals') })]);
    services.forEach(function (sv) { tr.appendChild(HF.el('th', { text: HF.t('whatif.waits', HF.serviceName(sv)) })); });
    head.appendChild(tr);
    a.hours.forEach(function (h) {
      var row = HF.el('tr', {}, [HF.el('th', { text: h.hour + ':00' }), HF.el('td', { text: String(h.arrivals) })]);
      services.forEach(function (sv) {
        var w = h.services[sv] || {};
        var td = HF.el('td', { text: w.arrivals ? num(w.mean_min) + ' / ' + num(w.p90_min) : '—' });
        if (w.p90_min > a.target_minutes) td.className = 'over';
        row.appendChild(td);
      });
      body.appendChild(row);
    });
  }

  setManager(mgr);
});
