// The devices page (/devices): every window's buttons, lamp and evaluator
// keys and every compartment's lock and door, with each device's health.
// On simulated pins the page says so, and a signed-in manager presses the
// buttons and opens the doors from here (the server refuses anyone else).
// The manager's sign-in is the dashboard's, kept in sessionStorage under
// the same key. The words, the API and the live feed are the hall's shell
// (/static/hf.js). A simulated 居民身份证 reader (port sim) takes a card
// placed from here, and can be unplugged and plugged back.
'use strict';

HF.start(function () {
  var $ = function (id) { return document.getElementById(id); };
  var pins = [], health = [], simulated = false, demo = false, built = '';
  var lastRelay = {};
  window.__devices = { refreshes: 0 };
  var mgr = null;
  try { mgr = JSON.parse(sessionStorage.getItem('hf.manager') || 'null'); } catch (e) { mgr = null; }

  function failed(e) {
    if (e && e.status === 401) setManager(null);
    HF.showError($('err'), e);
  }

  function setManager(m) {
    mgr = m;
    try { if (m) sessionStorage.setItem('hf.manager', JSON.stringify(m)); else sessionStorage.removeItem('hf.manager'); } catch (e) { /* private mode */ }
    pins = [];
    build();
    refresh();
  }

  // sapi calls the simulator as the signed-in manager.
  function sapi(method, path, body) {
    return HF.api(method, path, body, { token: mgr && mgr.token });
  }

  $('sim-signin').addEventListener('submit', async function (ev) {
    ev.preventDefault();
    var who = await HF.signIn($('staff'), $('password'), $('signin-error'), 'manager');
    if (!who) return;
    setManager({ token: who.token, staff: who.staff, name: who.name });
  });
  $('signout').addEventListener('click', function () { setManager(null); });

  function drive(pin, active) {
    var p = pins.filter(function (x) { return x.name === pin; })[0];
    if (!p) return Promise.resolve();
    var high = (p.active_level === 'high') === active;
    return sapi('POST', '/api/v1/sim/pins/' + encodeURIComponent(pin), { level: high ? 'high' : 'low' })
      .then(function () { failed(null); }, failed);
  }

  // A key is held while the pointer is down, and for at least 120 ms, so a
  // quick click is still longer than the debounce window.
  function holdButton(label, pin) {
    var b = HF.el('button', { type: 'button', 'data-pin': pin, text: label });
    var downAt = 0;
    b.addEventListener('pointerdown', function (e) { e.preventDefault(); downAt = Date.now(); b.classList.add('down'); drive(pin, true); });
    var up = function () {
      if (!downAt) return;
      var wait = Math.max(0, 120 - (Date.now() - downAt));
      downAt = 0;
      setTimeout(function () { b.classList.remove('down'); drive(pin, false); }, wait);
    };
    b.addEventListener('pointerup', up);
    b.addEventListener('pointerleave', up);
    return b;
  }

  function healthOf(id) { return health.filter(function (h) { return h.device === id; })[0]; }

  function unlock(bank, id) {
    sapi('POST', '/api/v1/sim/lockers/' + encodeURIComponent(bank) + '/' + encodeURIComponent(id) + '/unlock').then(function () { failed(null); }, failed);
  }

  // build lays out the simulated devices once per set of pins and language;
  // paint then only moves their lamps and labels, so a button is never
  // replaced under a finger holding it.
  function build() {
    var bench = simulated && !!mgr;
    var sig = HF.lang + '|' + simulated + '|' + bench + '|' + pins.map(function (p) { return p.name; }).join(',');
    if (sig === built) return;
    built = sig;
    $('mode').textContent = HF.t(simulated ? 'devices.sim' : 'devices.real');
    $('mode').className = 'badge' + (simulated ? '' : ' real');
    $('sim-notice').hidden = !simulated;
    $('sim-signin').hidden = !simulated || !!mgr;
    $('sim-demo').hidden = !demo;
    $('sim-who').hidden = !bench;
    $('who').textContent = mgr ? HF.t('dash.signedas', mgr.name || mgr.staff) : '';
    $('sim-windows').hidden = !bench;
    $('sim-lockers').hidden = !bench;
    var wins = HF.clear($('windows')), banks = HF.clear($('banks'));
    if (!bench) return;
    var byWindow = {}, windowOrder = [], byBank = {}, bankOrder = [];
    pins.forEach(function (p) {
      if (p.window) {
        if (!byWindow[p.window]) { byWindow[p.window] = []; windowOrder.push(p.window); }
        byWindow[p.window].push(p);
      }
      if (p.bank) {
        if (!byBank[p.bank]) { byBank[p.bank] = { order: [], boxes: {} }; bankOrder.push(p.bank); }
        var b = byBank[p.bank];
        if (!b.boxes[p.compartment]) { b.boxes[p.compartment] = {}; b.order.push(p.compartment); }
        b.boxes[p.compartment][p.role] = p;
      }
    });
    windowOrder.forEach(function (w) {
      var ps = byWindow[w];
      var lamp = ps.filter(function (p) { return p.role === 'lamp'; })[0];
      var card = HF.el('div', { class: 'card', id: 'window-' + w }, [
        HF.el('h3', {}, [HF.t('window.n', w), lamp ? HF.el('span', {}, [HF.t('devices.lamp') + ' ', HF.el('span', { class: 'lamp', 'data-out': lamp.name })]) : null]),
        HF.el('div', { class: 'row' }, ps.filter(function (p) { return p.role === 'button'; }).map(function (p) {
          return holdButton(HF.term('devices.btn.', p.action), p.name);
        })),
      ]);
      var keys = ps.filter(function (p) { return p.role === 'evaluator'; });
      if (keys.length) {
        card.appendChild(HF.el('div', { class: 'row' }, [HF.el('span', { class: 'muted', text: HF.t('devices.keys') })].concat(keys.map(function (p) {
          return holdButton(HF.term('level.', p.score), p.name);
        }))));
      }
      wins.appendChild(card);
    });
    bankOrder.forEach(function (bank) {
      var b = byBank[bank];
      banks.appendChild(HF.el('h3', { text: bank }));
      banks.appendChild(HF.el('div', { class: 'boxes' }, b.order.map(function (id) {
        var p = b.boxes[id];
        var size = (healthOf('locker:' + bank + ':' + id) || {}).size;
        return HF.el('div', { class: 'box', id: 'box-' + bank + '-' + id }, [
          HF.el('div', {}, [HF.el('b', { text: id }), ' ', HF.el('span', { class: 'muted', text: size ? HF.term('locker.size.', size) : '' })]),
          HF.el('div', {}, [HF.t('devices.relay') + ' ', HF.el('span', { class: 'lamp relay', 'data-out': p.relay.name }), ' ', HF.el('span', { class: 'door', 'data-door': p.door.name })]),
          HF.el('div', { class: 'row' }, [
            HF.el('button', { type: 'button', class: 'unlock', text: HF.t('devices.unlock'), onclick: function () { unlock(bank, id); } }),
            HF.el('button', { type: 'button', class: 'doorbtn', 'data-door': p.door.name, text: HF.t('devices.open'), onclick: function (ev) {
              drive(p.door.name, ev.target.dataset.open !== 'true');
            } }),
          ]),
          HF.el('span', { class: 'status', 'data-status': 'locker:' + bank + ':' + id }),
        ]);
      })));
    });
  }

  // activity is a device's last activity; a report's words come worded
  // from the server (said), a press or pulse names its action or pin.
  function activity(a, said) {
    if (!a) return '—';
    return [HF.fmtClock(a.at), HF.term('devices.what.', a.what), said ? HF.said(said) : (a.detail || '')].join(' ').trim();
  }

  function paint() {
    var level = {};
    pins.forEach(function (p) { level[p.name] = p; });
    document.querySelectorAll('[data-out]').forEach(function (e) { var p = level[e.dataset.out]; e.classList.toggle('on', !!(p && p.active)); });
    document.querySelectorAll('span[data-door]').forEach(function (e) {
      var p = level[e.dataset.door];
      e.textContent = HF.t(p && p.active ? 'devices.door.open' : 'devices.door.shut');
    });
    document.querySelectorAll('button[data-door]').forEach(function (e) {
      var p = level[e.dataset.door], open = !!(p && p.active);
      e.dataset.open = String(open);
      e.textContent = HF.t(open ? 'devices.close' : 'devices.open');
    });
    document.querySelectorAll('[data-status]').forEach(function (e) {
      var h = healthOf(e.dataset.status), st = h ? h.status : 'ok';
      e.textContent = HF.term('dev.', st);
      e.className = 'status ' + st;
      var box = e.closest('.box');
      if (box) box.className = 'box ' + st + (h && h.state && h.state.door_open ? ' open' : '');
    });
    // A spring latch pops the door open as soon as the relay releases it.
    pins.filter(function (p) { return p.role === 'relay'; }).forEach(function (p) {
      if (p.active && !lastRelay[p.name] && $('spring').checked) {
        var door = pins.filter(function (d) { return d.role === 'door' && d.bank === p.bank && d.compartment === p.compartment; })[0];
        if (door && !door.active) drive(door.name, true);
      }
      lastRelay[p.name] = p.active;
    });
    cardPlaces();
    var tb = HF.clear($('health'));
    health.forEach(function (h) {
      tb.appendChild(HF.el('tr', { 'data-device': h.device }, [
        HF.el('td', {}, [h.device, ' ', HF.el('span', { class: 'muted', text: HF.term('devices.kind.', h.kind) }), HF.el('div', { class: 'pin', text: (h.pins || []).join(' ') })]),
        HF.el('td', {}, [HF.el('span', { class: 'status ' + h.status, text: HF.term('dev.', h.status) }), h.said ? HF.el('div', { class: 'muted', text: HF.said(h.said) }) : null]),
        HF.el('td', { text: activity(h.last_activity, h.last_said) }),
        HF.el('td', { text: String(h.problems) }),
      ]));
    });
  }

  // cardPlaces lists the card readers to place a card on (rebuilt only
  // when they change, so a number being typed stays).
  function cardPlaces() {
    var places = health.filter(function (h) { return h.kind === 'card_reader'; }).map(function (h) { return h.device.replace(/:card_reader$/, ''); });
    $('sim-cards').hidden = !(simulated && mgr) || !places.length;
    var sel = $('card-place');
    if (sel.dataset.places === places.join(',')) return;
    sel.dataset.places = places.join(',');
    HF.clear(sel);
    places.forEach(function (p) { sel.appendChild(HF.el('option', { value: p, text: p })); });
  }
  function simCard(body) {
    sapi('POST', '/api/v1/sim/card-readers/' + encodeURIComponent($('card-place').value), body).then(function () { failed(null); refresh(); }, failed);
  }
  $('card-form').addEventListener('submit', function (ev) { ev.preventDefault(); simCard({ id_number: $('card-id').value.trim() }); });
  $('card-silent').addEventListener('click', function () { simCard({ silent: true }); });
  $('card-back').addEventListener('click', function () { simCard({ silent: false }); });

  var loading = false;
  async function refresh() {
    if (loading) return;
    loading = true;
    try {
      var d = await HF.api('GET', '/api/v1/devices');
      health = d.devices || [];
      simulated = d.simulated;
      demo = !!d.demo;
      pins = simulated && mgr ? await sapi('GET', '/api/v1/sim/pins') : [];
      build();
      paint();
      window.__devices.refreshes++;
    } catch (e) {
      failed(e);
    } finally {
      loading = false;
    }
  }
  HF.onLang(function () { build(); paint(); });

  // Simulated pins change without an event (this page drives them), so the
  // page asks for them often; real devices' health comes with the hall's
  // device events, and a slow poll keeps their last activity fresh.
  (function poll() {
    refresh().then(function () { setTimeout(poll, simulated && mgr ? 400 : 5000); });
  })();
  HF.live({
    event: function (m) { if (m.type.indexOf('device.') === 0 || m.type.indexOf('locker.') === 0) refresh(); },
  });
});
