'use strict';
// The city's page: every hall of the city in one table, its live load,
// windows open, today's figures and alerts, each row a link to the hall's
// own dashboard. The list is the server's (GET /api/v1/city), asked again
// when any hall's WebSocket says something happened there (at most once a
// second) and every 10 s for what moves with the clock alone (waits,
// alerts); alerts are decided by each hall, as on its dashboard.
HF.start(function () {
  var $ = function (x) { return document.getElementById(x); };
  var list = null;
  var me = null;
  HF.startClock($('clock'));
  window.__hf.city = function () { return list; };
  // The sign-in is kept where the halls' dashboards look for a manager's,
  // so a city manager following a link reads the hall signed in.
  try { me = JSON.parse(sessionStorage.getItem('hf.manager') || 'null'); } catch (e) { me = null; }
  if (me && me.role !== 'city_manager') me = null;

  function setMe(m) {
    me = m;
    try { if (m) sessionStorage.setItem('hf.manager', JSON.stringify(m)); else sessionStorage.removeItem('hf.manager'); } catch (e) { /* private mode */ }
    $('signin-panel').hidden = !!me;
    $('halls-panel').hidden = !me;
    $('signout').hidden = !me;
    $('who').textContent = me ? HF.t('dash.signedas', me.name || me.staff) : '';
    if (!me) list = null;
    load();
  }

  function name(o) { return HF.lang === 'en' && o.name_en ? o.name_en : o.name; }

  function render() {
    var tb = HF.clear($('halls'));
    if (!list) return;
    $('cityname').textContent = list.name ? name(list) : HF.t('city.title');
    list.halls.forEach(function (h) {
      var lines = h.services.filter(function (s) { return s.waiting > 0; }).map(function (s) {
        return HF.el('span', { text: s.code + ' ' + name(s) + ' ' + s.waiting + (s.longest_wait_s ? ' · ' + HF.fmtDur(s.longest_wait_s) : '') });
      });
      var alerts = HF.el('ul', { class: 'alerts' }, h.alerts.map(function (a) {
        return HF.el('li', { 'data-kind': a.kind, text: HF.lang === 'en' ? a.text_en : a.text });
      }));
      // A hall that cannot be read or cannot record says why, first.
      if (h.failing) alerts.insertBefore(HF.el('li', { 'data-kind': 'failing', text: HF.t('city.failing', HF.lang === 'en' && h.failing.message_en ? h.failing.message_en : h.failing.message) }), alerts.firstChild);
      var flagged = h.alerts.length > 0 || !!h.failing;
      tb.appendChild(HF.el('tr', { 'data-hall': h.id, class: flagged ? 'alerting' : '' }, [
        HF.el('td', {}, [HF.el('a', { href: h.dashboard, text: name(h) })]),
        HF.el('td', { class: 'n', 'data-col': 'waiting', text: String(h.waiting) }),
        HF.el('td', { class: 'n', text: h.waiting ? HF.fmtDur(h.longest_wait_s) : '—' }),
        HF.el('td', { class: 'lines' }, lines.length ? lines : ['—']),
        HF.el('td', { class: 'n', 'data-col': 'open', text: h.windows_open + ' / ' + h.windows }),
        HF.el('td', { class: 'n', 'data-col': 'issued', text: String(h.issued) }),
        HF.el('td', { class: 'n', text: String(h.served) }),
        HF.el('td', { class: 'n', text: h.satisfaction === null ? '—' : (h.satisfaction * 100).toFixed(1) + '%' }),
        HF.el('td', { class: 'n', text: String(h.bad) }),
        HF.el('td', {}, [flagged ? alerts : HF.t('city.no_alerts')]),
      ]));
    });
  }

  // follow listens to every hall's WebSocket: any frame of a hall means
  // its row may have changed. A hall's socket that drops is opened again.
  var following = {};
  var soon = null;
  function follow() {
    if (!me || !list) return;
    list.halls.forEach(function (h) {
      if (following[h.id]) return;
      var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/h/' + encodeURIComponent(h.id) + '/ws';
      var ws;
      try { ws = new WebSocket(url); } catch (e) { return; }
      following[h.id] = ws;
      ws.onmessage = function () {
        if (!soon) soon = setTimeout(function () { soon = null; load(); }, 1000);
      };
      ws.onclose = function () {
        if (following[h.id] === ws) delete following[h.id];
        setTimeout(follow, 5000);
      };
    });
  }

  async function load() {
    if (!me) { render(); return; }
    try {
      list = await HF.api('GET', '/api/v1/city', undefined, { token: me.token });
      HF.showError($('halls-error'), null);
    } catch (e) {
      if (e.status === 401 || e.status === 403) { me = null; setMe(null); HF.showError($('signin-error'), e); return; }
      HF.showError($('halls-error'), e);
    }
    render();
    follow();
  }

  $('signin').addEventListener('submit', async function (ev) {
    ev.preventDefault();
    var who = await HF.signIn($('staff'), $('password'), $('signin-error'), 'city_manager');
    if (who) setMe({ token: who.token, staff: who.staff, name: who.name, role: who.role });
  });
  // Signing off ends the sign-in everywhere in the city, the halls'
  // dashboards opened with it too.
  $('signout').addEventListener('click', async function () {
    try { await HF.api('POST', '/api/v1/logout', undefined, { token: me && me.token }); } catch (e) { /* gone already */ }
    setMe(null);
  });
  HF.onLang(render);
  setInterval(load, 10000);
  setMe(me);
});
