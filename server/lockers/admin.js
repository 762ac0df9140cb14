// The clerks' locker page (/lockers): deposit a result (the door opens;
// the deposit counts when the sensor sees it shut), issue a drop-off code,
// see every compartment and act on it, and, for the manager, the SMS
// outbox and today's delivery receipts. Live through the hall's feed; the
// words, the API and the feed are the hall's shell (/static/hf.js).
'use strict';

HF.start(function () {
  var $ = function (id) { return document.getElementById(id); };
  var KEY = 'hf.lockers';
  var session = null;
  try { session = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch (e) { session = null; }
  var q = new URLSearchParams(location.search);
  if (q.get('case')) $('d-case').value = q.get('case');
  var pendingDeposit = null;
  window.__lockers = { ready: false };

  function save(s) {
    session = s;
    try { if (s) sessionStorage.setItem(KEY, JSON.stringify(s)); else sessionStorage.removeItem(KEY); } catch (e) { /* private mode */ }
    show();
  }
  function show() {
    $('signin-box').hidden = !!session;
    $('forms').hidden = !session;
    $('signoff').hidden = !session;
    $('who').textContent = session ? HF.t('lockers.who', session.name, session.staff) : '';
    var mgr = session && session.role === 'manager';
    $('outbox-box').hidden = !mgr;
    $('receipts-box').hidden = !mgr;
    refresh();
  }
  // Signing off ends the token on the server too, not only on this page.
  $('signoff').addEventListener('click', async function () {
    if (session) { try { await HF.api('POST', '/api/v1/logout', {}, { token: session.token }); } catch (e) { /* ended already */ } }
    save(null);
  });
  $('signin').addEventListener('submit', async function (e) {
    e.preventDefault();
    try {
      var r = await HF.api('POST', '/api/v1/login', { staff: $('staff').value.trim(), password: $('password').value });
      $('password').value = '';
      HF.showError($('signin-error'), null);
      save({ token: r.token, staff: r.staff, name: r.name, role: r.role });
    } catch (err) { HF.showError($('signin-error'), err.status === 401 ? 'err.login' : err); }
  });
  function opts() { return { token: session && session.token }; }
  // failed shows a refusal where the clerk acted; a lapsed sign-in signs
  // the page out.
  function failed(el, err) {
    if (err.status === 401) save(null);
    HF.showError(el, err);
  }

  $('deposit').addEventListener('submit', async function (e) {
    e.preventDefault();
    HF.showError($('deposit-error'), null); $('deposit-result').textContent = '';
    var body = { case: $('d-case').value, what: $('d-what').value, name: $('d-name').value, id_number: $('d-id').value,
      phone: $('d-phone').value, size: $('d-size').value, bank: $('d-bank').value };
    try {
      var r = await HF.api('POST', '/api/v1/lockers/deposits', body, opts());
      pendingDeposit = r.bank + '/' + r.comp;
      $('deposit-result').textContent = HF.t('lockers.deposited', r.bank + '-' + r.comp);
      ['d-case', 'd-what', 'd-name', 'd-id', 'd-phone'].forEach(function (id) { $(id).value = ''; });
    } catch (err) { failed($('deposit-error'), err); }
  });
  $('dropoff').addEventListener('submit', async function (e) {
    e.preventDefault();
    HF.showError($('dropoff-error'), null); $('dropoff-result').hidden = true;
    try {
      var r = await HF.api('POST', '/api/v1/lockers/dropoffs', { case: $('o-case').value, what: $('o-what').value, size: $('o-size').value,
        phone: $('o-phone').value, id_number: $('o-id').value }, opts());
      $('dropoff-code').textContent = r.code;
      $('dropoff-result').hidden = false;
      ['o-case', 'o-what', 'o-id', 'o-phone'].forEach(function (id) { $(id).value = ''; });
    } catch (err) { failed($('dropoff-error'), err); }
  });

  async function act(bank, comp, action, body) {
    HF.showError($('grid-error'), null);
    try {
      await HF.api('POST', '/api/v1/lockers/' + encodeURIComponent(bank) + '/' + encodeURIComponent(comp) + '/' + action, body || {}, opts());
      if (action === 'replace-code') alert(HF.t('lockers.replaced'));
      refresh();
    } catch (err) { failed($('grid-error'), err); }
  }

  // Every time is shown in the hall's zone (HF learns it from the server),
  // in the Chinese form, whatever the browser's zone or locale.
  var fmt = HF.fmtDay, clock = HF.fmtClock;

  function card(c) {
    var cls = ['comp', c.status];
    if (c.overdue) cls.push('overdue');
    if (c.door_open) cls.push('open');
    var tags = [HF.el('span', { class: 'tag' + (c.status === 'out_of_service' ? ' warn' : ''), text: HF.term('lockers.st.', c.status) })];
    if (c.door_open) tags.push(HF.el('span', { class: 'tag warn', text: HF.t('lockers.door.open') }));
    if (c.opening) tags.push(HF.el('span', { class: 'tag warn', text: HF.t('lockers.opening') }));
    if (c.overdue) tags.push(HF.el('span', { class: 'tag bad', text: HF.t('lockers.overdue') }));
    var info = [];
    if (c.case) {
      info.push(HF.el('div', { text: HF.term('lockers.kind.', c.kind) + ' · ' + c.case }));
      info.push(HF.el('div', { text: (c.what || '') + (c.name ? ' · ' + c.name : '') }));
      if (c.deadline) info.push(HF.el('div', { text: HF.t('lockers.until', fmt(c.deadline)) }));
    }
    if (c.reason) info.push(HF.el('div', { text: c.reason }));
    var acts = [];
    if (session) {
      var b = function (label, fn, danger) { acts.push(HF.el('button', { type: 'button', class: 'btn small' + (danger ? ' danger' : ''), text: HF.t('lockers.act.' + label), onclick: fn })); };
      if (c.status === 'occupied' && c.kind === 'result') {
        b('%s', function () { act(c.bank, c.id, 'retrieve'); });
        b('%s', function () { act(c.bank, c.id, 'replace-code'); });
      }
      if (c.status === 'occupied' && c.kind === 'dropoff') b('%s', function () { act(c.bank, c.id, 'collect'); });
      if (c.status === 'free') b('out', function () { var r = prompt(HF.t('lockers.ask.reason')); if (r) act(c.bank, c.id, 'service', { out: true, reason: r }); }, true);
      if (c.status === 'out_of_service') b('%s', function () { act(c.bank, c.id, 'service', { out: false }); });
      if (session.role === 'manager') b('%s', function () { act(c.bank, c.id, 'open'); });
    }
    return HF.el('div', { class: cls.join(' '), 'data-comp': c.bank + '/' + c.id, 'data-status': c.status },
      [HF.el('h3', {}, [HF.el('span', { text: c.id + ' · ' + HF.term('locker.size.', c.size) }), HF.el('span', {}, tags)])].concat(info).concat([HF.el('div', { class: 'acts' }, acts)]));
  }

  // drawBanks replaces only the cards whose compartment changed: an event
  // at one door must not swap the buttons of another under a clerk's click.
  function drawBanks(banks) {
    var host = $('banks');
    var who = (session ? session.role : '') + '|' + HF.lang;
    var sig = function (c) { return JSON.stringify(c) + '|' + who; };
    var layout = who + banks.map(function (b) {
      return b.id + '=' + (b.name || '') + ':' + b.compartments.map(function (c) { return c.id; }).join(',');
    }).join(';');
    if (host.dataset.layout === layout) {
      banks.forEach(function (bank) {
        bank.compartments.forEach(function (c) {
          var prev = host.querySelector('[data-comp="' + c.bank + '/' + c.id + '"]');
          if (prev && prev.dataset.sig === sig(c)) return;
          var el = card(c);
          el.dataset.sig = sig(c);
          if (prev) prev.replaceWith(el);
        });
      });
      return;
    }
    host.dataset.layout = layout;
    host.textContent = '';
    var sel = $('d-bank'), chosen = sel.value;
    sel.textContent = '';
    sel.appendChild(HF.el('option', { value: '', text: '—' }));
    banks.forEach(function (bank) {
      sel.appendChild(HF.el('option', { value: bank.id, text: (bank.name || bank.id) + ' ' + bank.id }));
      host.appendChild(HF.el('h3', { text: (bank.name || '') + ' ' + bank.id }));
      host.appendChild(HF.el('div', { class: 'grid' }, bank.compartments.map(function (c) {
        var el = card(c);
        el.dataset.sig = sig(c);
        return el;
      })));
    });
    sel.value = chosen;
  }

  var loading = false, again = false;
  async function refresh() {
    if (loading) { again = true; return; }
    loading = true;
    try {
      var r = await HF.api('GET', '/api/v1/lockers', undefined, opts());
      HF.setZone(r.time_zone);
      drawBanks(r.banks);
      if (session && session.role === 'manager') await managerViews();
      window.__lockers.ready = true;
    } catch (err) {
      failed($('grid-error'), err);
    } finally {
      loading = false;
      if (again) { again = false; refresh(); }
    }
  }

  async function managerViews() {
    var o = await HF.api('GET', '/api/v1/outbox', undefined, opts());
    $('outbox-demo').hidden = !o.demo;
    var tb = $('outbox');
    tb.textContent = '';
    o.messages.forEach(function (m) {
      var status = HF.term('outbox.', m.status);
      tb.appendChild(HF.el('tr', { 'data-id': m.id }, [HF.el('td', { text: fmt(m.queued) }), HF.el('td', { text: HF.term('sms.purpose.', m.purpose) }),
        HF.el('td', { text: m.error ? HF.t('lockers.sms.error', status, m.error) : status }), HF.el('td', { text: m.to || '—' }),
        HF.el('td', { class: 'smstext', text: m.text || '—' })]));
    });
    var rc = await HF.api('GET', '/api/v1/lockers/receipts', undefined, opts());
    var rb = $('receipts');
    rb.textContent = '';
    rc.receipts.forEach(function (x) {
      rb.appendChild(HF.el('tr', { 'data-kind': x.kind }, [HF.el('td', { text: fmt(x.at) }), HF.el('td', { text: HF.term('lockers.rk.', x.kind) }),
        HF.el('td', { text: x.comp }), HF.el('td', { text: x.case }), HF.el('td', { text: x.name || '' }), HF.el('td', { text: x.clerk })]));
    });
  }

  // alertLine notes an event at the time it happened.
  function alertLine(at, text, bad) {
    var li = HF.el('li', { class: bad ? 'error' : '', text: clock(at || new Date(HF.serverNow()).toISOString()) + ' ' + text });
    $('alerts').insertBefore(li, $('alerts').firstChild);
  }

  HF.live({
    snapshot: refresh,
    event: function (m) {
      if (m.type.indexOf('locker.') !== 0 && m.type.indexOf('outbox.') !== 0) return;
      var d = m.data || {}, kind = m.type.slice(7);
      if (m.type === 'locker.stored' && d.comp === pendingDeposit) {
        $('deposit-result').textContent = HF.t('lockers.stored', d.comp);
        pendingDeposit = null;
      }
      if (['alarm', 'left_open', 'unconfirmed'].indexOf(kind) >= 0) alertLine(m.at, HF.t('lockers.ev.' + kind, d.comp), true);
      if (kind === 'overdue') alertLine(m.at, HF.t('lockers.ev.overdue', d.comp, d.case), true);
      if (kind === 'dropoff_received' || kind === 'picked_up') alertLine(m.at, HF.t('lockers.ev.' + kind, d.comp, d.case), false);
      refresh();
    },
  });
  HF.onLang(function () { show(); });
  show();
});
