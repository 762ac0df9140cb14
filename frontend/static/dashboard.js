'use strict';
// The manager's view of the hall: load per service, every window's state
// and current service time, paused windows with reasons, calls per hour,
// and the hall's alerts. What is an alert (a wait past the target, a window
// idle while people wait, a late follow-up, a device fault) is decided on
// the server from the hall file, so every dashboard shows the same.
HF.start(async function () {
  var $ = function (x) { return document.getElementById(x); };
  var hall = null;
  var hourly = null;
  window.__hf.dashboard = function () { return { hall: hall, hourly: hourly, alerts: alerts(), day: day }; };
  HF.startClock($('clock'));

  // The server's alerts, in the page's language, as it words them.
  function alerts() {
    return ((hall && hall.alerts) || []).map(function (a) {
      return { kind: a.kind, subject: a.subject, level: a.level, text: HF.lang === 'en' ? a.text_en : a.text };
    });
  }
  function flagged(kind, subject) {
    return ((hall && hall.alerts) || []).some(function (a) { return a.kind === kind && a.subject === subject; });
  }

  function render() {
    if (!hall) return;
    $('hallname').textContent = HF.lang === 'en' && hall.hall.name_en ? hall.hall.name_en : hall.hall.name;
    var waiting = 0, issued = 0, served = 0, longest = 0, open = 0;
    var tb = HF.clear($('services'));
    hall.services.forEach(function (s) {
      waiting += s.waiting; issued += s.issued; served += s.served; longest = Math.max(longest, s.longest_wait_s);
      var over = flagged('wait', s.code);
      tb.appendChild(HF.el('tr', { 'data-service': s.code }, [
        HF.el('td', { text: s.code + ' ' + HF.name(s) }),
        HF.el('td', { class: 'n', text: String(s.waiting) }),
        HF.el('td', { class: 'n' + (over ? ' over' : ''), text: s.waiting ? HF.fmtDur(s.longest_wait_s) : '—' }),
        HF.el('td', { class: 'n', text: s.consult ? '—' : HF.fmtWait(s.estimated_wait_s) }),
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
    $('k-longest-box').classList.toggle('bad', hall.services.some(function (s) { return flagged('wait', s.code); }));
    renderWindows();
    renderAlerts();
    renderChart();
    renderOvertime();
  }

  // renderWindows keeps each window's row while what it shows is the same,
  // and builds it again only when it changed: an event about window 1 does
  // not replace window 2's row under the manager's pointer or typing.
  function renderWindows() {
    var focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.openDraft : '';
    var tb = $('windows');
    var old = {};
    Array.prototype.forEach.call(tb.children, function (tr) { old[tr.getAttribute('data-window')] = tr; });
    var rows = hall.windows.map(function (w) {
      var sig = JSON.stringify([w, !!mgr, HF.lang]);
      var tr = old[w.id];
      if (tr && tr.getAttribute('data-sig') === sig) return tr;
      tr = windowRow(w);
      tr.setAttribute('data-sig', sig);
      return tr;
    });
    rows.forEach(function (tr, i) { if (tb.children[i] !== tr) tb.insertBefore(tr, tb.children[i] || null); });
    while (tb.children.length > rows.length) tb.removeChild(tb.lastChild);
    if (focused && !tb.contains(document.activeElement)) {
      var again = tb.querySelector('[data-open-draft="' + focused + '"]');
      if (again) again.focus();
    }
  }

  function windowRow(w) {
    var st = HF.el('span', { class: 'pill ' + w.state, text: HF.t('state.' + w.state) });
    return HF.el('tr', { 'data-window': w.id }, [
      HF.el('td', { text: HF.t('window.n', w.id) + ' ' + w.name }),
      HF.el('td', {}, [st, w.state === 'paused' && w.pause_reason ? ' ' + w.pause_reason : null]),
      HF.el('td', { text: w.clerk ? w.clerk.name + ' · ' + w.clerk.staff : '—' }),
      HF.el('td', { class: 'num', text: w.current ? w.current.number : '—' }),
      HF.el('td', w.current && w.since ? { class: 'n', 'data-since': w.since, text: HF.fmtDur(HF.since(w.since)) } : { class: 'n', text: '—' }),
      HF.el('td', { class: 'n', text: String(w.waiting) }),
      HF.el('td', { class: 'n', text: String(w.served) }),
      HF.el('td', { class: 'n', text: w.served ? HF.fmtDur(w.avg_service_s) : '—' }),
      mgr ? windowActions(w) : null,
    ]);
  }

  // A manager's hand on a window: close it as its clerk would, force the
  // clerk off (the hall puts whoever was being served back in line), or
  // sign a clerk on. The hall decides and words every refusal.
  var openDrafts = {};
  function windowActions(w) {
    var cell = HF.el('td', { class: 'winact' });
    function button(key, action, body) {
      return HF.el('button', { type: 'button', class: 'btn dl', 'data-action': action, text: HF.t(key), onclick: function () { windowAct(w.id, action, body && body()); } });
    }
    if (w.state === 'closed') {
      var input = HF.el('input', { type: 'text', size: 6, inputmode: 'numeric', placeholder: HF.t('dash.win.staff'), 'aria-label': HF.t('dash.win.staff'), 'data-open-draft': w.id });
      input.value = openDrafts[w.id] || '';
      input.addEventListener('input', function () { openDrafts[w.id] = input.value; });
      cell.appendChild(input);
      cell.appendChild(button('dash.win.open', 'open', function () { return { staff: input.value.trim() }; }));
    } else {
      cell.appendChild(button('dash.win.close', 'close'));
      cell.appendChild(button('dash.win.force', 'force-signoff'));
    }
    return cell;
  }
  async function windowAct(window, action, body) {
    HF.showError($('win-error'), null);
    try {
      var r = await mapi('POST', '/api/v1/windows/' + encodeURIComponent(window) + '/' + action, body || {});
      if (action === 'open') delete openDrafts[window];
      if (hall && r && r.window) hall.windows = hall.windows.map(function (x) { return x.id === r.window.id ? r.window : x; });
      render();
    } catch (e) { HF.showError($('win-error'), e); }
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
  // Only the times change: the table is not rebuilt, so a manager's click
  // on a window's button is never lost to a redraw under the pointer.
  setInterval(function () {
    document.querySelectorAll('#windows td[data-since]').forEach(function (td) { td.textContent = HF.fmtDur(HF.since(td.getAttribute('data-since'))); });
  }, 1000);

  // ---- the hall's day: 好差评, follow-ups, overtime, reports, devices, SMS.
  // All but the devices need a manager's sign-in; the token lives in
  // sessionStorage, so it ends with the tab.
  var day = { ratings: null, followups: null, overtime: null, report: null, devices: null, outbox: null, consults: null, bookings: null };
  var mgr = null;
  try { mgr = JSON.parse(sessionStorage.getItem('hf.manager') || 'null'); } catch (e) { mgr = null; }

  function setManager(m) {
    mgr = m;
    try { if (m) sessionStorage.setItem('hf.manager', JSON.stringify(m)); else sessionStorage.removeItem('hf.manager'); } catch (e) { /* private mode */ }
    if (!m) { day.ratings = day.followups = day.overtime = day.report = day.outbox = day.consults = day.forecast = null; phones = {}; }
    renderManager();
    if (hall) renderWindows();
    if (m) refreshDay();
    document.dispatchEvent(new CustomEvent('hf:manager', { detail: m }));
  }

  function renderManager() {
    $('signin-panel').hidden = !!mgr;
    $('signout').hidden = !mgr;
    $('who').textContent = mgr ? HF.t('dash.signedas', mgr.name || mgr.staff) : '';
    document.querySelectorAll('[data-mgr]').forEach(function (el) { el.hidden = !mgr; });
    if (mgr && !day.outbox) $('p-outbox').hidden = true; // only where the hall has an outbox
    if (mgr && !hasConsults()) $('p-consults').hidden = true; // only where departments answer 咨询号
  }

  // mapi calls a manager's endpoint; a lapsed sign-in asks again.
  async function mapi(method, path, body) {
    try {
      return await HF.api(method, path, body, { token: mgr && mgr.token, key: method === 'POST' ? HF.key() : undefined });
    } catch (e) {
      if (e.status === 401) { setManager(null); HF.showError($('signin-error'), e); }
      throw e;
    }
  }

  $('signin').addEventListener('submit', async function (ev) {
    ev.preventDefault();
    var who = await HF.signIn($('staff'), $('password'), $('signin-error'), 'manager');
    if (!who) return;
    setManager({ token: who.token, staff: who.staff, name: who.name });
  });
  $('signout').addEventListener('click', async function () {
    // Signing out ends the token on the server, not only on this page.
    if (mgr) { try { await HF.api('POST', '/api/v1/logout', {}, { token: mgr.token }); } catch (e) { /* ended already */ } }
    setManager(null);
  });

  // ---- the waits forecast: per service, the expected wait of a number
  // taken each quarter hour of the next two, against the hall's target, so
  // a window opens before the line is long. Only services with someone
  // waiting or a wait ahead are drawn.
  function renderForecast() {
    var box = HF.clear($('fc-charts'));
    var fc = day.forecast;
    if (!fc) return;
    var target = fc.target_s / 60;
    $('fc-note').textContent = HF.t('dash.forecast.note', Math.round(target));
    fc.services.forEach(function (sv) {
      var steps = sv.steps || [];
      if (!steps.some(function (st) { return st.waiting > 0; })) return;
      var card = HF.el('div', { class: 'fc-service', 'data-service': sv.service });
      card.appendChild(HF.el('h3', { text: sv.service + ' ' + HF.serviceName(sv.service) }));
      if (steps.some(function (st) { return st.wait_s < 0; })) {
        card.appendChild(HF.el('p', { class: 'note', text: HF.t('dash.forecast.none') }));
        box.appendChild(card);
        return;
      }
      var W = 300, H = 110, L = 30, B = 18, T = 6;
      var top = target;
      steps.forEach(function (st) { top = Math.max(top, st.wait_s / 60); });
      var max = niceMax(top);
      var x = function (i) { return L + (W - L - 6) * i / Math.max(steps.length - 1, 1); };
      var y = function (m) { return H - B - (H - B - T) * m / max; };
      var s = svg('svg', { class: 'fc-chart', viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': HF.t('dash.forecast') + ' ' + sv.service });
      for (var i = 0; i <= 2; i++) {
        s.appendChild(svg('line', { x1: L, x2: W, y1: y(max * i / 2), y2: y(max * i / 2), stroke: '#e3e7ed' }));
        s.appendChild(svg('text', { x: L - 4, y: y(max * i / 2) + 4, 'text-anchor': 'end' }, String(Math.round(max * i / 2))));
      }
      s.appendChild(svg('line', { class: 'fc-target', x1: L, x2: W, y1: y(target), y2: y(target), stroke: '#b3261e', 'stroke-dasharray': '4 3' }));
      var pts = steps.map(function (st, j) { return x(j) + ',' + y(st.wait_s / 60); }).join(' ');
      s.appendChild(svg('polyline', { points: pts, fill: 'none', stroke: '#0b57a4', 'stroke-width': 2 }));
      steps.forEach(function (st, j) {
        var m = Math.round(st.wait_s / 60);
        var dot = svg('circle', { cx: x(j), cy: y(st.wait_s / 60), r: 3, fill: m > target ? '#b3261e' : '#0b57a4', 'data-wait': m });
        var at = HF.fmtTime(st.at);
        dot.appendChild(svg('title', {}, HF.t('dash.forecast.step', at, round1(st.waiting), m)));
        s.appendChild(dot);
        if (j % 4 === 0) s.appendChild(svg('text', { x: x(j), y: H - 4, 'text-anchor': 'middle' }, at));
      });
      card.appendChild(s);
      box.appendChild(card);
    });
  }
  HF.onLang(renderForecast);

  // ---- charts: grouped bars on a round scale, hand-drawn SVG.
  var LEVEL_COLORS = { 5: '#11703c', 4: '#2e8f55', 3: '#0b57a4', 2: '#b86200', 1: '#b3261e' };
  function niceMax(top) {
    top = Math.max(top, 4);
    var raw = top / 4, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var tick = [1, 2, 5, 10].map(function (f) { return f * mag; }).filter(function (v) { return v >= raw; })[0];
    return tick * 4;
  }
  function round1(v) { return Math.round(v * 10) / 10; }

  // bars draws groups (label, values per series) as grouped columns. A
  // series may colour each group itself (color: function (i)).
  function bars(title, groups, series, fmt) {
    fmt = fmt || function (v) { return String(round1(v)); };
    var box = HF.el('div', { class: 'chartbox' }, [HF.el('h3', { text: title })]);
    if (series.length > 1) {
      box.appendChild(HF.el('div', { class: 'legend2' }, series.map(function (sr) {
        var i = HF.el('i'); i.style.background = sr.color;
        return HF.el('span', {}, [i, sr.name]);
      })));
    }
    var top = 0;
    groups.forEach(function (g) { g.values.forEach(function (v) { top = Math.max(top, v || 0); }); });
    var max = niceMax(top);
    var W = 520, H = 190, L = 40, B = 34, T = 8;
    var s = svg('svg', { class: 'bars', viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': title });
    for (var i = 0; i <= 4; i++) {
      var y = T + (H - T - B) * (1 - i / 4);
      s.appendChild(svg('line', { x1: L, x2: W, y1: y, y2: y, stroke: '#e3e7ed' }));
      s.appendChild(svg('text', { x: L - 6, y: y + 4, 'text-anchor': 'end' }, fmt(max * i / 4)));
    }
    var cw = (W - L - 6) / Math.max(1, groups.length);
    var bw = Math.max(3, Math.min(34, cw * 0.8 / series.length));
    groups.forEach(function (g, j) {
      var x0 = L + j * cw + (cw - bw * series.length) / 2;
      series.forEach(function (sr, k) {
        var v = g.values[k] || 0;
        var bh = (H - T - B) * v / max;
        var color = typeof sr.color === 'function' ? sr.color(j) : sr.color;
        var bar = svg('rect', { x: x0 + k * bw, y: H - B - bh, width: bw - 1, height: bh, fill: color, rx: 2, 'data-value': v });
        bar.appendChild(svg('title', {}, g.label + ' ' + sr.name + ' ' + fmt(v)));
        s.appendChild(bar);
      });
      s.appendChild(svg('text', { x: L + j * cw + cw / 2, y: H - 18, 'text-anchor': 'middle' }, g.label));
      if (g.sub) s.appendChild(svg('text', { x: L + j * cw + cw / 2, y: H - 5, 'text-anchor': 'middle' }, g.sub));
    });
    box.appendChild(s);
    return box;
  }
  var mins = function (s) { return s / 60; };

  function levelName(l) { return HF.term('level.', l); }
  function levelChart(title, levels) {
    return bars(title, [5, 4, 3, 2, 1].map(function (l) { return { label: l + ' ' + levelName(l), values: [(levels || {})[l] || 0] }; }),
      [{ name: HF.t('dash.rated'), color: function (j) { return LEVEL_COLORS[5 - j]; } }]);
  }
  function pct(v) { return Math.round(v * 1000) / 10 + '%'; }
  var fmtDay = HF.fmtDay;
  function has(iso) { return !!iso && iso.slice(0, 4) !== '0001'; }

  // ---- panels
  function renderRatings() {
    var r = day.ratings && day.ratings.totals;
    if (!r) return;
    $('r-rated').textContent = r.rated;
    $('r-notrated').textContent = r.not_rated;
    $('r-sat').textContent = r.rated ? pct(r.satisfaction) : '—';
    $('r-bad').textContent = r.bad;
    HF.clear($('r-chart')).appendChild(levelChart(HF.t('dash.rep.ratings'), r.levels));
  }

  // What the manager has begun to write for a follow-up survives the
  // panel's refresh (every minute, and on each rating in the hall).
  var drafts = {};
  // phones are the applicants' numbers the manager asked to see, by
  // follow-up: asked one at a time, forgotten on sign-out.
  var phones = {};
  function phoneCell(f) {
    if (!(f.id in phones)) {
      return HF.el('button', { type: 'button', class: 'btn dl', 'data-phone': f.id, text: HF.t('dash.fu.phone'), onclick: async function () {
        HF.showError($('fu-error'), null);
        try {
          var c = await mapi('GET', '/api/v1/followups/' + encodeURIComponent(f.id) + '/phone');
          phones[f.id] = c.phone || '';
        } catch (e) { HF.showError($('fu-error'), e); return; }
        renderFollowups();
      } });
    }
    if (!phones[f.id]) return HF.el('span', { class: 'muted', 'data-phone-shown': f.id, text: HF.t('dash.fu.nophone') });
    return HF.el('a', { class: 'num', href: 'tel:' + phones[f.id], 'data-phone-shown': f.id, text: phones[f.id] });
  }
  function renderFollowups() {
    var focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.draft : '';
    var tb = HF.clear($('followups'));
    var list = (day.followups && day.followups.followups) || [];
    if (!list.length) tb.appendChild(HF.el('tr', {}, [HF.el('td', { colspan: 6, class: 'muted', text: HF.t('dash.nofollowups') })]));
    list.forEach(function (f) {
      var open = !has(f.closed_at);
      tb.appendChild(HF.el('tr', { 'data-followup': f.id, class: f.late ? 'late' : '' }, [
        HF.el('td', { text: f.id }),
        HF.el('td', { class: 'num', text: f.ticket.number }),
        HF.el('td', { text: HF.t('window.n', f.window) + ' · ' + f.staff }),
        HF.el('td', {}, [HF.el('span', { class: 'pill lvl-' + f.level, text: f.level + ' ' + levelName(f.level) })]),
        HF.el('td', { text: f.reason || '' }),
        HF.el('td', { class: f.late ? 'over' : '', text: fmtDay(f.deadline) + (f.late ? ' · ' + HF.t('dash.fu.late') : '') }),
      ]));
      var cell = HF.el('td', { colspan: 6 });
      if (open) {
        var draft = drafts[f.id] || (drafts[f.id] = { action: 'callback', text: '' });
        var sel = HF.el('select', { 'aria-label': HF.t('dash.fu.action'), 'data-draft': f.id + ':action' }, ['callback', 'rectify', 'explain'].map(function (a) { return HF.el('option', { value: a, text: HF.t('fu.' + a) }); }));
        var txt = HF.el('input', { type: 'text', maxlength: 1000, placeholder: HF.t('dash.fu.outcome'), 'aria-label': HF.t('dash.fu.outcome'), 'data-draft': f.id + ':text' });
        sel.value = draft.action;
        txt.value = draft.text;
        sel.addEventListener('change', function () { draft.action = sel.value; });
        txt.addEventListener('input', function () { draft.text = txt.value; });
        var btn = HF.el('button', { type: 'button', class: 'btn dl', text: HF.t('dash.fu.record') });
        btn.addEventListener('click', async function () {
          HF.showError($('fu-error'), null);
          if (!txt.value.trim()) { txt.focus(); return; }
          try {
            await mapi('POST', '/api/v1/followups/' + encodeURIComponent(f.id), { action: sel.value, outcome: txt.value.trim() });
          } catch (e) { HF.showError($('fu-error'), e); return; }
          delete drafts[f.id];
          refreshFollowups();
          refreshRatings();
        });
        cell.appendChild(HF.el('div', { class: 'fuform' }, [sel, txt, btn, phoneCell(f)]));
      } else {
        cell.className = 'muted';
        cell.textContent = HF.t('dash.fu.closed', f.action || '', f.outcome || '', f.closed_by || '', fmtDay(f.closed_at));
        // Rectified: the link the applicant rates the service again at,
        // for the manager to give at the call-back.
        if (f.second_token && !f.second_level) {
          cell.appendChild(HF.el('span', {}, [' · ', HF.el('a', { href: '/r/' + encodeURIComponent(f.second_token), target: '_blank', rel: 'noopener',
            'data-second': f.id, text: HF.t('dash.fu.second') })]));
        }
      }
      tb.appendChild(HF.el('tr', { 'data-followup-form': f.id }, [cell]));
    });
    if (focused) {
      var again = tb.querySelector('[data-draft="' + focused + '"]');
      if (again) again.focus();
    }
  }

  function renderOvertime() {
    var now = [];
    if (hall) hall.windows.forEach(function (w) { if (w.overtime) now.push(HF.t('window.n', w.id)); });
    $('ot-now').textContent = now.length ? HF.t('dash.ot.now', now.join(HF.t('list.sep'))) : HF.t('dash.ot.none');
    $('ot-now').className = now.length ? 'over' : 'muted';
    var tb = HF.clear($('ot-register'));
    var recs = (day.overtime && day.overtime.records) || [];
    if (!recs.length) tb.appendChild(HF.el('tr', {}, [HF.el('td', { colspan: 8, class: 'muted', text: HF.t('dash.ot.empty') })]));
    recs.forEach(function (r) {
      tb.appendChild(HF.el('tr', { 'data-record': r.id }, [
        HF.el('td', { text: r.id }), HF.el('td', { text: r.window }), HF.el('td', { text: r.staff }),
        HF.el('td', { class: 'num', text: r.ticket.number }),
        HF.el('td', { text: HF.fmtTime(r.start) }), HF.el('td', { text: HF.fmtTime(r.end) }),
        HF.el('td', { text: has(r.clerk_confirmed) ? '✓ ' + HF.fmtTime(r.clerk_confirmed) : '—' }),
        HF.el('td', { text: has(r.applicant_confirmed) ? '✓ ' + HF.fmtTime(r.applicant_confirmed) : '—' }),
      ]));
    });
  }

  // 咨询号 of the departments: today's, with the response times the hall
  // recorded (notified → acknowledged → arrived).
  function hasConsults() { return !!(day.consults && day.consults.departments && day.consults.departments.length); }
  function renderConsults() {
    $('p-consults').hidden = !mgr || !hasConsults();
    if (!hasConsults()) return;
    var rows = [], acks = [], arrives = [], late = 0;
    day.consults.departments.forEach(function (dp) {
      dp.consults.forEach(function (k) {
        rows.push({ dp: dp, k: k });
        if (k.ack_s !== null && k.ack_s !== undefined) acks.push(k.ack_s);
        if (k.arrive_s !== null && k.arrive_s !== undefined) arrives.push(k.arrive_s);
        if (k.late || k.escalated) late++;
      });
    });
    var mean = function (xs) { return xs.length ? HF.fmtDur(Math.round(xs.reduce(function (a, b) { return a + b; }, 0) / xs.length)) : '—'; };
    $('cs-summary').textContent = HF.t('dash.cs.summary', rows.length, mean(acks), mean(arrives), late);
    $('cs-summary').className = late ? 'over' : 'muted';
    var tb = HF.clear($('consults'));
    if (!rows.length) tb.appendChild(HF.el('tr', {}, [HF.el('td', { colspan: 6, class: 'muted', text: HF.t('dash.cs.empty') })]));
    rows.forEach(function (r) {
      var k = r.k;
      tb.appendChild(HF.el('tr', { 'data-ticket': k.ticket.number, class: k.late ? 'over' : '' }, [
        HF.el('td', { class: 'num', text: k.ticket.number }),
        HF.el('td', { text: HF.lang === 'en' && r.dp.name_en ? r.dp.name_en : r.dp.name }),
        HF.el('td', { text: HF.t('consult.status.' + k.status) + (k.late ? ' · ' + HF.t('consult.late') : '') }),
        HF.el('td', { text: k.staff_name || k.staff || '' }),
        HF.el('td', { class: 'n', text: k.ack_s !== null && k.ack_s !== undefined ? HF.fmtDur(k.ack_s) : '—' }),
        HF.el('td', { class: 'n', text: k.arrive_s !== null && k.arrive_s !== undefined ? HF.fmtDur(k.arrive_s) : '—' }),
      ]));
    });
  }

  // renderBookings is today's appointments per slot and their states (预约办).
  function renderBookings() {
    var tb = HF.clear($('bk-slots'));
    var list = (day.bookings && day.bookings.bookings) || [];
    var slots = {}, order = [];
    list.forEach(function (b) {
      var k = b.start + ' ' + b.service;
      if (!slots[k]) { slots[k] = { start: b.start, service: b.service, n: {} }; order.push(k); }
      var st = b.status === 'reached' ? 'late' : b.status;
      slots[k].n[st] = (slots[k].n[st] || 0) + 1;
    });
    if (!order.length) tb.appendChild(HF.el('tr', {}, [HF.el('td', { colspan: 8, class: 'muted', text: HF.t('dash.bk.empty') })]));
    order.forEach(function (k) {
      var r = slots[k];
      var cell = function (st) { return HF.el('td', { class: 'num', text: String(r.n[st] || 0) }); };
      tb.appendChild(HF.el('tr', {}, [HF.el('td', { text: HF.fmtDay(r.start) }), HF.el('td', { text: HF.serviceName(r.service) }),
        cell('booked'), cell('requested'), cell('checked_in'), cell('served'), cell('late'), cell('forfeited')]));
    });
  }

  function renderReport() {
    var box = HF.clear($('rep-charts'));
    var rep = day.report;
    $('rep-none').hidden = !rep || rep.totals.issued > 0 || rep.ratings.rated > 0 || hasBookings(rep.totals) || hasCases(rep) || hasEnvelopes(rep);
    if (!rep || !$('rep-none').hidden) return;
    var svcs = rep.services.map(function (s) { return { code: s.code, row: s }; });
    var label = function (s) { return s.code; };
    var sub = function (s) { return HF.serviceName(s.code); };
    box.appendChild(bars(HF.t('dash.rep.tickets'), svcs.map(function (s) { return { label: label(s), sub: sub(s), values: [s.row.issued, s.row.served, s.row.no_shows] }; }),
      [{ name: HF.t('s.issued'), color: '#9bbce0' }, { name: HF.t('s.served'), color: '#0b57a4' }, { name: HF.t('s.no_shows'), color: '#b3261e' }]));
    box.appendChild(bars(HF.t('dash.rep.waits'), svcs.map(function (s) { return { label: label(s), sub: sub(s), values: [s.row.wait.avg_s, s.row.wait.p90_s, s.row.wait.max_s].map(mins) }; }),
      [{ name: HF.t('s.avg'), color: '#0b57a4' }, { name: HF.t('s.ninety'), color: '#c77700' }, { name: HF.t('s.max'), color: '#b3261e' }]));
    box.appendChild(bars(HF.t('dash.rep.service'), svcs.map(function (s) { return { label: label(s), sub: sub(s), values: [mins(s.row.service.avg_s)] }; }),
      [{ name: HF.t('s.avg'), color: '#2e8f55' }]));
    box.appendChild(bars(HF.t('dash.rep.ot'), rep.windows.map(function (w) { return { label: w.window, values: [w.overtime_minutes] }; }),
      [{ name: HF.t('s.minutes'), color: '#c77700' }]));
    box.appendChild(levelChart(HF.t('dash.rep.ratings'), rep.ratings.levels));
    if (rep.departments && rep.departments.length) box.appendChild(consultTable(rep.departments));
    if (rep.cases) box.appendChild(caseTable(rep.cases));
    if (rep.envelopes) box.appendChild(envelopeTable(rep.envelopes));
    if (hasBookings(rep.totals)) box.appendChild(bookingTable(rep));
    if (rep.days && rep.days.length > 31) {
      // A year: its days summed by month.
      var months = {};
      rep.days.forEach(function (d) {
        var m = d.day.slice(0, 7);
        months[m] = months[m] || { label: d.day.slice(5, 7), values: [0, 0] };
        months[m].values[0] += d.issued;
        months[m].values[1] += d.served;
      });
      box.appendChild(bars(HF.t('dash.rep.months'), Object.keys(months).sort().map(function (m) { return months[m]; }),
        [{ name: HF.t('s.issued'), color: '#9bbce0' }, { name: HF.t('s.served'), color: '#0b57a4' }]));
    } else if (rep.days && rep.days.length > 1) {
      box.appendChild(bars(HF.t('dash.rep.days'), rep.days.map(function (d) { return { label: d.day.slice(8), values: [d.issued, d.served] }; }),
        [{ name: HF.t('s.issued'), color: '#9bbce0' }, { name: HF.t('s.served'), color: '#0b57a4' }]));
    }
    if (rep.clerks && rep.clerks.length) {
      // Each clerk's work, and how satisfied those who rated it were (a
      // clerk nobody rated has no bar, not a zero).
      var clerks = rep.clerks.map(function (c) { return { label: c.staff, values: [c.served] }; });
      box.appendChild(bars(HF.t('dash.rep.clerks'), clerks, [{ name: HF.t('s.served'), color: '#0b57a4' }]));
      var rated = rep.clerks.filter(function (c) { return c.satisfaction !== null; });
      if (rated.length) {
        box.appendChild(bars(HF.t('s.satisfaction'), rated.map(function (c) { return { label: c.staff, values: [c.satisfaction * 100] }; }),
          [{ name: HF.t('s.satisfaction'), color: '#2e8f55' }]));
      }
    }
  }

  // consultTable is each department's 咨询号 of the period: how many were
  // taken and how they were answered, and how soon (from the notice).
  function consultTable(deps) {
    var times = function (st) { return st.count ? HF.fmtDur(st.avg_s) + ' / ' + HF.fmtDur(st.max_s) : '—'; };
    var head = ['dash.cs.dept', 'dash.rep.cs.taken', 'dash.rep.cs.acknowledged', 'dash.rep.cs.in_person', 'dash.rep.cs.remote',
      'dash.rep.cs.handed_on', 'consult.late', 'dash.rep.cs.ack', 'dash.rep.cs.met'];
    var num = function (n) { return HF.el('td', { class: 'n', text: String(n) }); };
    var rows = deps.map(function (d) {
      return HF.el('tr', { 'data-department': d.department }, [
        HF.el('td', { text: HF.lang === 'en' && d.name_en ? d.name_en : d.name }),
        num(d.taken), num(d.acknowledged), num(d.in_person), num(d.remote), num(d.handed_on),
        HF.el('td', { class: d.late ? 'n over' : 'n', text: String(d.late) }),
        HF.el('td', { class: 'n', text: times(d.ack) }), HF.el('td', { class: 'n', text: times(d.met) })]);
    });
    return HF.el('div', { class: 'chartbox wide', id: 'rep-consults' }, [HF.el('h3', { text: HF.t('dash.rep.consults') }),
      HF.el('div', { class: 'scroll' }, [HF.el('table', { class: 'grid' }, [
        HF.el('thead', {}, [HF.el('tr', {}, head.map(function (k) { return HF.el('th', { text: HF.t(k) }); }))]),
        HF.el('tbody', {}, rows)])])]);
  }

  // caseTable is the period's cases (办件) per item of the catalogue, with
  // the hall's total, and per department deciding them: received, refused
  // at the counter with the 一次性告知单, accepted under 容缺 and the
  // materials owed supplied, accepted (deemed so by the 5 working days),
  // supplements asked, decided and on time (按时办结率), refused, delivered
  // or closed, overdue. A rate with nothing to divide by shows "—".
  function hasEnvelopes(rep) { var t = rep.envelopes && rep.envelopes.totals; return !!t && t.issued + t.submitted + t.passed + t.rejected + t.late + t.arrived > 0; }
  function hasCases(rep) {
    var t = rep.cases && rep.cases.totals;
    return !!t && Object.keys(t).some(function (k) { return typeof t[k] === 'number' && t[k] > 0; });
  }
  var CASE_COLUMNS = ['opened', 'notices', 'tolerated', 'settled', 'settled_rate', 'accepted', 'deemed', 'supplements',
    'decided', 'on_time', 'on_time_rate', 'refused', 'closed', 'overdue'];
  function caseTable(cs) {
    var name = function (r) { return HF.lang === 'en' && r.name_en ? r.name_en : r.name; };
    var row = function (attrs, label, r) {
      return HF.el('tr', attrs, [HF.el('td', { text: label })].concat(CASE_COLUMNS.map(function (k) {
        var v = r[k];
        if (/_rate$/.test(k)) return HF.el('td', { class: 'n', 'data-col': k, text: v === null ? '—' : pct(v) });
        return HF.el('td', { class: k === 'overdue' && v ? 'n over' : 'n', 'data-col': k, text: String(v) });
      })));
    };
    var table = function (first, rows) {
      var head = [first].concat(CASE_COLUMNS.map(function (k) { return 'dash.rep.ca.' + k; }));
      return HF.el('div', { class: 'scroll' }, [HF.el('table', { class: 'grid cases-grid' }, [
        HF.el('thead', {}, [HF.el('tr', {}, head.map(function (k, i) { return HF.el('th', { class: i ? 'n' : '', text: HF.t(k) }); }))]),
        HF.el('tbody', {}, rows)])]);
    };
    var items = cs.items.map(function (r) { return row({ 'data-item': r.key }, name(r), r); });
    items.push(row({ class: 'total' }, HF.t('dash.rep.ca.total'), cs.totals));
    var depts = cs.departments.map(function (r) { return row({ 'data-department': r.key }, name(r), r); });
    return HF.el('div', { class: 'chartbox wide', id: 'rep-cases' }, [HF.el('h3', { text: HF.t('dash.rep.cases') }),
      HF.el('h4', { text: HF.t('dash.rep.ca.items') }), table('dash.rep.ca.item', items),
      HF.el('h4', { text: HF.t('dash.rep.ca.depts') }), table('dash.rep.ca.dept', depts)]);
  }

  // envelopeTable is the period's 免跑腿信封 per item of the catalogue, with
  // the hall's total: issued, submissions, passed and rejected with the
  // pass rate (passed of those reviewed, "—" when none was), reviews
  // reported late, papers arrived by post.
  var ENVELOPE_COLUMNS = ['issued', 'submitted', 'passed', 'rejected', 'pass_rate', 'late', 'arrived'];
  function envelopeTable(v) {
    var row = function (attrs, label, r) {
      return HF.el('tr', attrs, [HF.el('td', { text: label })].concat(ENVELOPE_COLUMNS.map(function (k) {
        if (k === 'pass_rate') return HF.el('td', { class: 'n', 'data-col': k, text: r[k] === null ? '—' : pct(r[k]) });
        return HF.el('td', { class: k === 'late' && r[k] ? 'n over' : 'n', 'data-col': k, text: String(r[k]) });
      })));
    };
    var rows = v.items.map(function (r) { return row({ 'data-item': r.key }, HF.lang === 'en' && r.name_en ? r.name_en : r.name, r); });
    rows.push(row({ class: 'total' }, HF.t('dash.rep.ca.total'), v.totals));
    var head = ['dash.rep.ca.item'].concat(ENVELOPE_COLUMNS.map(function (k) { return 'dash.rep.env.' + k; }));
    return HF.el('div', { class: 'chartbox wide', id: 'rep-envelopes' }, [HF.el('h3', { text: HF.t('dash.rep.envelopes') }),
      HF.el('div', { class: 'scroll' }, [HF.el('table', { class: 'grid' }, [
        HF.el('thead', {}, [HF.el('tr', {}, head.map(function (k, i) { return HF.el('th', { class: i ? 'n' : '', text: HF.t(k) }); }))]),
        HF.el('tbody', {}, rows)])])]);
  }

  // bookingTable is each service's appointments of the period, as the
  // report counts them: bookings taken, numbers issued at their check-in
  // and bookings forfeited (自动放弃), for the services with any.
  function hasBookings(r) { return !!(r.bookings || r.appointments || r.forfeits); }
  function bookingTable(rep) {
    var num = function (n) { return HF.el('td', { class: 'n', text: String(n) }); };
    var row = function (attrs, name, r) {
      return HF.el('tr', attrs, [HF.el('td', { text: name }), num(r.bookings), num(r.appointments),
        HF.el('td', { class: r.forfeits ? 'n over' : 'n', text: String(r.forfeits) })]);
    };
    var rows = rep.services.filter(hasBookings).map(function (s) { return row({ 'data-service': s.code }, HF.serviceName(s.code), s); });
    rows.push(row({ class: 'total' }, HF.t('dash.rep.bk.total'), rep.totals));
    var head = ['col.service', 'dash.rep.bk.bookings', 'dash.rep.bk.appointments', 'dash.rep.bk.forfeits'];
    return HF.el('div', { class: 'chartbox wide', id: 'rep-bookings' }, [HF.el('h3', { text: HF.t('dash.rep.bookings') }),
      HF.el('div', { class: 'scroll' }, [HF.el('table', { class: 'grid' }, [
        HF.el('thead', {}, [HF.el('tr', {}, head.map(function (k) { return HF.el('th', { text: HF.t(k) }); }))]),
        HF.el('tbody', {}, rows)])])]);
  }

  function devName(d) {
    if (d.kind === 'compartment') return d.bank + '-' + d.compartment;
    return (d.window ? HF.t('window.n', d.window) + ' ' : '') + HF.term('devices.kind.', d.kind);
  }
  function renderDevices() {
    var list = (day.devices && day.devices.devices) || [];
    $('dev-sim').hidden = !(day.devices && day.devices.simulated);
    var bad = list.filter(function (d) { return d.status !== 'ok'; });
    $('dev-summary').textContent = !list.length ? HF.t('dash.dev.none') : bad.length ? '' : HF.t('dash.dev.ok', list.length);
    // Problems first, then the latest activity.
    var rows = bad.concat(list.filter(function (d) { return d.status === 'ok' && d.last_activity; })
      .sort(function (a, b) { return Date.parse(b.last_activity.at) - Date.parse(a.last_activity.at); }).slice(0, 8));
    var tb = HF.clear($('devices'));
    tb.parentNode.hidden = !rows.length;
    rows.forEach(function (d) {
      var a = d.last_activity, what = a && (d.last_said ? HF.said(d.last_said) : a.detail);
      var last = a ? HF.fmtTime(a.at) + ' ' + HF.term('devices.what.', a.what) + (what ? ' · ' + what : '') : '—';
      tb.appendChild(HF.el('tr', { 'data-device': d.device }, [
        HF.el('td', {}, [HF.el('span', { class: 'pill ' + d.status, text: HF.t('dev.' + d.status) })]),
        HF.el('td', { title: d.device, text: devName(d) + (d.said ? ' · ' + HF.said(d.said) : '') }),
        HF.el('td', { text: last }),
      ]));
    });
  }

  function renderOutbox() {
    var ob = day.outbox;
    $('p-outbox').hidden = !mgr || !ob;
    if (!ob) return;
    $('ob-demo').hidden = !ob.demo;
    var tb = HF.clear($('outbox'));
    if (!ob.messages.length) tb.appendChild(HF.el('tr', {}, [HF.el('td', { colspan: 5, class: 'muted', text: HF.t('dash.outbox.none') })]));
    ob.messages.slice(0, 50).forEach(function (m) {
      // A message's purpose is a code (locker.code); the dictionary words it.
      tb.appendChild(HF.el('tr', { 'data-message': m.id }, [
        HF.el('td', { text: fmtDay(m.queued) }),
        HF.el('td', {}, [HF.el('span', { class: 'pill ' + m.status, text: HF.t('outbox.' + m.status) })]),
        HF.el('td', { class: 'purpose', text: HF.term('sms.purpose.', m.purpose) }),
        HF.el('td', { class: 'num', text: m.to || '' }),
        HF.el('td', { text: m.text || '' }),
      ]));
    });
  }

  function renderDay() { renderManager(); renderRatings(); renderFollowups(); renderOvertime(); renderConsults(); renderBookings(); renderReport(); renderDevices(); renderOutbox(); }
  HF.onLang(renderDay);

  // ---- loading
  function loader(name, path, draw, manager) {
    return HF.debounce(async function () {
      if (manager && !mgr) return;
      try {
        day[name] = manager ? await mapi('GET', typeof path === 'function' ? path() : path) : await HF.api('GET', path);
      } catch (e) {
        if (name === 'outbox') day.outbox = null; // no outbox in this hall, or not for us
        if (name === 'consults') day.consults = null; // no departments answer 咨询号 here
      }
      draw();
      renderAlerts();
    }, 400);
  }
  var refreshRatings = loader('ratings', '/api/v1/stats/ratings', renderRatings, true);
  var refreshFollowups = loader('followups', '/api/v1/followups?status=all', renderFollowups, true);
  var refreshOvertimeReg = loader('overtime', '/api/v1/overtime', renderOvertime, true);
  var refreshDevices = loader('devices', '/api/v1/devices', renderDevices, false);
  var refreshOutbox = loader('outbox', '/api/v1/outbox', renderOutbox, true);
  var refreshBookings = loader('bookings', '/api/v1/bookings', renderBookings, true);
  var refreshReport = loader('report', reportPath, renderReport, true);
  var refreshConsults = loader('consults', '/api/v1/consults', renderConsults, true);
  var refreshForecast = loader('forecast', '/api/v1/forecast', renderForecast, true);
  setInterval(refreshForecast, 60000);
  function refreshDay() { refreshForecast(); refreshRatings(); refreshFollowups(); refreshOvertimeReg(); refreshConsults(); refreshDevices(); refreshOutbox(); refreshBookings(); refreshReport(); }
  window.__hf.refreshDay = refreshDay;

  function t0(m) { var t = m.type || ''; return t.slice(0, t.indexOf('.') + 1); }
  function dayEvent(m) {
    var t = m.type || '';
    if (t.indexOf('rating.') === 0 || t.indexOf('followup.') === 0) { refreshRatings(); refreshFollowups(); }
    if (t.indexOf('overtime.') === 0) { refreshOvertimeReg(); renderOvertime(); }
    if (t.indexOf('consult.') === 0) refreshConsults();
    if (t.indexOf('device.') === 0 || t.indexOf('locker') === 0) refreshDevices();
    if (t.indexOf('message.') === 0 || t.indexOf('locker') === 0) refreshOutbox();
    if (t === 'ticket.finished' || t.indexOf('rating.') === 0) refreshReport();
    // Only booking.made reaches the screens; a check-in issues a ticket.
    if (t === 'booking.made' || t === 'ticket.issued' || t === 'ticket.finished') refreshBookings();
  }
  setInterval(refreshDevices, 15000);
  setInterval(refreshBookings, 30000); // late marks and decisions are private events
  setInterval(function () { refreshFollowups(); refreshOutbox(); }, 60000);
  setInterval(refreshConsults, 30000); // lateness follows time alone

  // ---- reports: a day or a month, with downloads
  var today = function () { return (hall && hall.hall.day) || new Date(HF.serverNow()).toISOString().slice(0, 10); };
  function reportPath(format) {
    var kind = $('rep-kind').value;
    var q = kind === 'daily' ? 'date=' + ($('rep-date').value || today())
      : kind === 'yearly' ? 'year=' + ($('rep-year').value || today().slice(0, 4))
      : 'month=' + ($('rep-month').value || today().slice(0, 7));
    return '/api/v1/reports/' + kind + '?' + q + (typeof format === 'string' ? '&format=' + format : '');
  }
  $('rep-kind').addEventListener('change', function () {
    $('rep-date').hidden = $('rep-kind').value !== 'daily';
    $('rep-month').hidden = $('rep-kind').value !== 'monthly';
    $('rep-year').hidden = $('rep-kind').value !== 'yearly';
    refreshReport();
  });
  $('rep-date').addEventListener('change', refreshReport);
  // Today by default, as the hall counts days.
  function reportDefaults() {
    if (!$('rep-date').value) $('rep-date').value = today();
    if (!$('rep-month').value) $('rep-month').value = today().slice(0, 7);
    if (!$('rep-year').value) $('rep-year').value = today().slice(0, 4);
  }
  $('rep-month').addEventListener('change', refreshReport);
  $('rep-year').addEventListener('change', refreshReport);

  // download fetches a spreadsheet with the manager's token (a plain link
  // cannot carry it) and hands it to the browser as a file.
  async function download(path) {
    var res = await fetch(path, { headers: { Authorization: 'Bearer ' + (mgr && mgr.token) }, cache: 'no-store' });
    if (res.status === 401) setManager(null);
    if (!res.ok) throw await HF.refusal(res);
    var blob = await res.blob();
    var m = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
    var name = m ? m[1] : path.split('/').pop();
    var a = HF.el('a', { href: URL.createObjectURL(blob), download: name });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    return { name: name, type: blob.type, size: blob.size };
  }
  window.__hf.download = download;
  document.querySelectorAll('[data-dl]').forEach(function (b) {
    b.addEventListener('click', function () { download(b.getAttribute('data-dl')).catch(function (e) { window.alert(HF.errorText(e)); }); });
  });
  $('rep-xlsx').addEventListener('click', function () { download(reportPath('xlsx')).catch(function (e) { window.alert(HF.errorText(e)); }); });
  $('rep-csv').addEventListener('click', function () { download(reportPath('csv')).catch(function (e) { window.alert(HF.errorText(e)); }); });

  try { await HF.loadNames(); } catch (e) { /* service codes stand in for names */ }
  renderManager();
  refreshDay();
  refreshHourly();
  HF.live({
    snapshot: function (h) { hall = h; reportDefaults(); render(); refreshHourly(); refreshDay(); },
    event: function (m) {
      dayEvent(m);
      // The other panels (dashboard-cases.js) follow the same stream.
      document.dispatchEvent(new CustomEvent('hf:event', { detail: m }));
      if (m.window && hall) hall.windows = hall.windows.map(function (w) { return w.id === m.window.id ? m.window : w; });
      if (m.waiting && hall) hall.services.forEach(function (s) { if (m.waiting[s.code] !== undefined) s.waiting = m.waiting[s.code]; });
      render();
      refreshHall();
      refreshHourly();
      if (t0(m) === 'ticket.' || t0(m) === 'window.') refreshForecast();
    },
  });
});
