// The clerks' locker page (/lockers): deposit a result (the door opens;
// the deposit counts when the sensor sees it shut), issue a drop-off code,
// see every compartment and act on it, and, for the manager, the SMS
// outbox and today's delivery receipts. Live through the hall's feed.
'use strict';

LK.words({
  'title': ['取件柜管理', 'Lockers'], 'signin': ['工作人员登录', 'Staff sign-in'], 'staff': ['工号', 'Staff number'],
  'password': ['密码', 'Password'], 'signin.go': ['登录', 'Sign in'], 'signoff': ['退出', 'Sign out'],
  'deposit': ['存入办件结果', 'Deposit a result'], 'case': ['办件编号', 'Case number'],
  'what': ['结果（证照、文书）', 'Result (licence, decision)'], 'name': ['申请人姓名', 'Applicant'],
  'idnum': ['身份证号', 'ID number'], 'phone': ['手机号（接收取件码）', 'Mobile (receives the code)'],
  'size': ['格口大小', 'Size'], 'bank': ['取件柜', 'Locker bank'], 'deposit.go': ['开柜存入', 'Open and deposit'],
  'deposited': ['{0} 号格口已打开：请放入并关好柜门，关门后取件码自动发送给申请人', 'Compartment {0} is open: put the item in and close the door; the code is sent when it is shut'],
  'stored': ['{0} 号格口已存入，取件码已发送', 'Compartment {0} stored; the code is on its way'],
  'dropoff': ['投递码（容缺补件）', 'Drop-off code (missing papers)'], 'owhat': ['需补交的材料', 'Papers to hand in'],
  'ophone': ['申请人手机号（选填，短信发送投递码）', 'Applicant mobile (optional, the code is sent by SMS)'],
  'dcode': ['投递码（仅显示一次）', 'Drop-off code (shown once)'], 'dropoff.go': ['生成投递码', 'Issue a code'],
  'compartments': ['格口', 'Compartments'], 'alerts': ['提醒', 'Alerts'], 'outbox': ['短信发件箱', 'SMS outbox'],
  'outbox.demo': ['演示大厅：短信不实际发送，内容显示在此处。', 'Demo hall: no SMS leaves; the texts show here.'],
  'receipts': ['今日送达凭证', "Today's delivery receipts"],
  'col.time': ['时间', 'Time'], 'col.purpose': ['用途', 'Purpose'], 'col.status': ['状态', 'Status'], 'col.to': ['收件人', 'To'],
  'col.text': ['内容', 'Text'], 'col.kind': ['类型', 'Kind'], 'col.comp': ['格口', 'Compartment'], 'col.clerk': ['经办人', 'Clerk'],
  'st.free': ['空闲', 'Free'], 'st.occupied': ['已存物', 'Occupied'], 'st.out_of_service': ['停用', 'Out of service'],
  'door.open': ['门开', 'Door open'], 'opening': ['开锁中', 'Unlocking'], 'overdue': ['已超期', 'Overdue'],
  'kind.result': ['待取', 'Result'], 'kind.dropoff': ['补件', 'Papers'], 'until': ['{0} 前', 'by {0}'],
  'act.retrieve': ['取回', 'Retrieve'], 'act.collect': ['收取', 'Collect'], 'act.replace': ['重发取件码', 'New code'],
  'act.out': ['停用', 'Out of service'], 'act.in': ['恢复', 'Back in service'], 'act.open': ['检修开门', 'Open'],
  'ask.reason': ['停用原因', 'What is wrong?'], 'replaced': ['新取件码已发送，原取件码作废', 'A new code was sent; the old one is void'],
  'ev.alarm': ['{0}：柜门被非法打开', '{0}: door forced open'], 'ev.left_open': ['{0}：柜门未关', '{0}: door left open'],
  'ev.unconfirmed': ['{0}：开锁后柜门未打开', '{0}: the door did not open'], 'ev.overdue': ['{0}：{1} 已超过保管期限，请取回', '{0}: {1} is overdue; retrieve it'],
  'ev.dropoff_received': ['{0}：已收到 {1} 的补交材料', '{0}: papers for {1} received'],
  'ev.picked_up': ['{0}：{1} 已取件', '{0}: {1} collected'],
  'rk.picked_up': ['已取件', 'Collected'], 'rk.retrieved': ['工作人员取回', 'Retrieved'], 'rk.dropoff_received': ['补件投递', 'Papers in'], 'rk.collected': ['补件收取', 'Papers out'],
  'os.pending': ['待发送', 'Pending'], 'os.sent': ['已发送', 'Sent'], 'os.gave_up': ['发送失败', 'Failed'],
});

LK.start(function () {
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
    $('who').textContent = session ? session.name + ' (' + session.staff + ')' : '';
    var mgr = session && session.role === 'manager';
    $('outbox-box').hidden = !mgr;
    $('receipts-box').hidden = !mgr;
    refresh();
  }
  $('signoff').addEventListener('click', function () { save(null); });
  $('signin').addEventListener('submit', async function (e) {
    e.preventDefault();
    try {
      var r = await LK.api('POST', '/api/v1/login', { staff: $('staff').value.trim(), password: $('password').value });
      $('password').value = '';
      $('signin-error').textContent = '';
      save({ token: r.token, staff: r.staff, name: r.name, role: r.role });
    } catch (err) { $('signin-error').textContent = err.message; }
  });
  function token() { return session && session.token; }
  function failed(err) {
    if (err.status === 401) save(null);
    return err.message;
  }

  $('deposit').addEventListener('submit', async function (e) {
    e.preventDefault();
    $('deposit-error').textContent = ''; $('deposit-result').textContent = '';
    var body = { case: $('d-case').value, what: $('d-what').value, name: $('d-name').value, id_number: $('d-id').value,
      phone: $('d-phone').value, size: $('d-size').value, bank: $('d-bank').value };
    try {
      var r = await LK.api('POST', '/api/v1/lockers/deposits', body, token());
      pendingDeposit = r.bank + '/' + r.comp;
      $('deposit-result').textContent = LK.t('deposited', r.bank + '-' + r.comp);
      ['d-case', 'd-what', 'd-name', 'd-id', 'd-phone'].forEach(function (id) { $(id).value = ''; });
    } catch (err) { $('deposit-error').textContent = failed(err); }
  });
  $('dropoff').addEventListener('submit', async function (e) {
    e.preventDefault();
    $('dropoff-error').textContent = ''; $('dropoff-result').hidden = true;
    try {
      var r = await LK.api('POST', '/api/v1/lockers/dropoffs', { case: $('o-case').value, what: $('o-what').value, size: $('o-size').value, phone: $('o-phone').value }, token());
      $('dropoff-code').textContent = r.code;
      $('dropoff-result').hidden = false;
    } catch (err) { $('dropoff-error').textContent = failed(err); }
  });

  async function act(bank, comp, action, body) {
    $('grid-error').textContent = '';
    try {
      await LK.api('POST', '/api/v1/lockers/' + encodeURIComponent(bank) + '/' + encodeURIComponent(comp) + '/' + action, body || {}, token());
      if (action === 'replace-code') alert(LK.t('replaced'));
      refresh();
    } catch (err) { $('grid-error').textContent = failed(err); }
  }

  function fmt(iso) {
    var d = new Date(iso);
    return isNaN(d) ? '' : (d.getMonth() + 1) + '-' + d.getDate() + ' ' + ('0' + d.getHours()).slice(-2) + ':' + ('0' + d.getMinutes()).slice(-2);
  }

  function card(c) {
    var cls = ['comp', c.status];
    if (c.overdue) cls.push('overdue');
    if (c.door_open) cls.push('open');
    var tags = [LK.el('span', { class: 'tag' + (c.status === 'out_of_service' ? ' warn' : ''), text: LK.t('st.' + c.status) })];
    if (c.door_open) tags.push(LK.el('span', { class: 'tag warn', text: LK.t('door.open') }));
    if (c.opening) tags.push(LK.el('span', { class: 'tag warn', text: LK.t('opening') }));
    if (c.overdue) tags.push(LK.el('span', { class: 'tag bad', text: LK.t('overdue') }));
    var info = [];
    if (c.case) {
      info.push(LK.el('div', { text: LK.t('kind.' + c.kind) + ' · ' + c.case }));
      info.push(LK.el('div', { text: (c.what || '') + (c.name ? ' · ' + c.name : '') }));
      if (c.deadline) info.push(LK.el('div', { text: LK.t('until', fmt(c.deadline)) }));
    }
    if (c.reason) info.push(LK.el('div', { text: c.reason }));
    var acts = [];
    if (session) {
      var b = function (label, fn, danger) { acts.push(LK.el('button', { type: 'button', class: 'btn small' + (danger ? ' danger' : ''), text: LK.t(label), onclick: fn })); };
      if (c.status === 'occupied' && c.kind === 'result') {
        b('act.retrieve', function () { act(c.bank, c.id, 'retrieve'); });
        b('act.replace', function () { act(c.bank, c.id, 'replace-code'); });
      }
      if (c.status === 'occupied' && c.kind === 'dropoff') b('act.collect', function () { act(c.bank, c.id, 'collect'); });
      if (c.status === 'free') b('act.out', function () { var r = prompt(LK.t('ask.reason')); if (r) act(c.bank, c.id, 'service', { out: true, reason: r }); }, true);
      if (c.status === 'out_of_service') b('act.in', function () { act(c.bank, c.id, 'service', { out: false }); });
      if (session.role === 'manager') b('act.open', function () { act(c.bank, c.id, 'open'); });
    }
    return LK.el('div', { class: cls.join(' '), 'data-comp': c.bank + '/' + c.id, 'data-status': c.status },
      [LK.el('h3', {}, [LK.el('span', { text: c.id + ' · ' + LK.t('size.' + c.size) }), LK.el('span', {}, tags)])].concat(info).concat([LK.el('div', { class: 'acts' }, acts)]));
  }

  // drawBanks replaces only the cards whose compartment changed: an event
  // at one door must not swap the buttons of another under a clerk's click.
  function drawBanks(banks) {
    var host = $('banks');
    var who = (session ? session.role : '') + '|' + LK.lang;
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
    sel.appendChild(LK.el('option', { value: '', text: '—' }));
    banks.forEach(function (bank) {
      sel.appendChild(LK.el('option', { value: bank.id, text: (bank.name || bank.id) + ' ' + bank.id }));
      host.appendChild(LK.el('h3', { text: (bank.name || '') + ' ' + bank.id }));
      host.appendChild(LK.el('div', { class: 'grid' }, bank.compartments.map(function (c) {
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
      var r = await LK.api('GET', '/api/v1/lockers', undefined, token());
      drawBanks(r.banks);
      if (session && session.role === 'manager') await managerViews();
      window.__lockers.ready = true;
    } catch (err) {
      $('grid-error').textContent = failed(err);
    } finally {
      loading = false;
      if (again) { again = false; refresh(); }
    }
  }

  async function managerViews() {
    var o = await LK.api('GET', '/api/v1/outbox', undefined, token());
    $('outbox-demo').hidden = !o.demo;
    var tb = $('outbox');
    tb.textContent = '';
    o.messages.forEach(function (m) {
      tb.appendChild(LK.el('tr', { 'data-id': m.id }, [LK.el('td', { text: fmt(m.queued) }), LK.el('td', { text: m.purpose }),
        LK.el('td', { text: LK.t('os.' + m.status) + (m.error ? ' (' + m.error + ')' : '') }), LK.el('td', { text: m.to || '—' }),
        LK.el('td', { class: 'smstext', text: m.text || '—' })]));
    });
    var rc = await LK.api('GET', '/api/v1/lockers/receipts', undefined, token());
    var rb = $('receipts');
    rb.textContent = '';
    rc.receipts.forEach(function (x) {
      rb.appendChild(LK.el('tr', { 'data-kind': x.kind }, [LK.el('td', { text: fmt(x.at) }), LK.el('td', { text: LK.t('rk.' + x.kind) }),
        LK.el('td', { text: x.comp }), LK.el('td', { text: x.case }), LK.el('td', { text: x.name || '' }), LK.el('td', { text: x.clerk })]));
    });
  }

  function alertLine(text, bad) {
    var li = LK.el('li', { class: bad ? 'error' : '', text: new Date().toLocaleTimeString() + ' ' + text });
    $('alerts').insertBefore(li, $('alerts').firstChild);
  }

  LK.live(function (m) {
    if (m.type === 'snapshot') { refresh(); return; }
    if (m.type.indexOf('locker.') !== 0 && m.type.indexOf('outbox.') !== 0) return;
    var d = m.data || {}, kind = m.type.slice(7);
    if (m.type === 'locker.stored' && d.comp === pendingDeposit) {
      $('deposit-result').textContent = LK.t('stored', d.comp);
      pendingDeposit = null;
    }
    if (['alarm', 'left_open', 'unconfirmed'].indexOf(kind) >= 0) alertLine(LK.t('ev.' + kind, d.comp), true);
    if (kind === 'overdue') alertLine(LK.t('ev.overdue', d.comp, d.case), true);
    if (kind === 'dropoff_received' || kind === 'picked_up') alertLine(LK.t('ev.' + kind, d.comp, d.case), false);
    refresh();
  });
  LK.onLang = refresh;
  show();
});
