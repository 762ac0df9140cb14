'use strict';
// The counter terminal (虚拟呼叫器): a clerk signs on at this window and
// calls, recalls, skips, transfers, pauses and finishes, by button or key.
// The sign-in token lives in sessionStorage: it ends with the browser tab.
HF.start(async function () {
  var id = decodeURIComponent(location.pathname.split('/').pop());
  var KEY = 'hf.counter.' + id;
  var session = null;
  var w = null;
  var queue = [];
  var live = null;
  // undo is the 过号 the hall would still take back (and until when);
  // targets are the other windows as the transfer rule sees them now.
  var undo = null;
  var targets = null;
  // settled: no re-read of the window is due or on its way, so what the
  // page shows is the hall's last answer (tests wait for it).
  var loading = 0, refreshDue = false;
  window.__hf.counter = function () { return { window: w, queue: queue, undo: undo, settled: !refreshDue && loading === 0 }; };
  try { session = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch (e) { session = null; }

  var $ = function (x) { return document.getElementById(x); };
  $('win-id').textContent = id;

  function save(s) {
    session = s;
    try { if (s) sessionStorage.setItem(KEY, JSON.stringify(s)); else sessionStorage.removeItem(KEY); } catch (e) { /* private mode */ }
  }

  function showDesk(on) {
    $('signin').hidden = on;
    $('desk').hidden = !on;
    $('signoff').hidden = !on;
    $('who').textContent = on && session ? HF.t('counter.signedas', session.name, session.staff) : '';
    if (!on) $('staff').focus();
  }

  function render() {
    $('win-name').textContent = HF.windowName(id);
    document.title = HF.t('window.n', id) + ' · ' + HF.t('counter.title');
    if (session) $('who').textContent = HF.t('counter.signedas', session.name, session.staff);
    if (!w) return;
    var cur = w.current;
    $('cur-number').textContent = cur ? cur.number : '—';
    $('cur-number').setAttribute('data-ticket', cur ? cur.id : '');
    $('cur-state').className = 'pill ' + w.state;
    $('cur-state').textContent = HF.t('state.' + w.state);
    $('cur-service').textContent = cur ? HF.serviceName(cur.service) : HF.t('counter.none');
    // An appointment's or a consultation's number is marked (预约, 已初审), as in the line.
    $('cur-mark').hidden = !(cur && cur.mark);
    $('cur-mark').textContent = cur && cur.mark ? HF.said(cur.mark) : '';
    $('pausedmsg').hidden = w.state !== 'paused';
    $('pausedmsg').textContent = HF.t('counter.paused', w.pause_reason || '');
    $('served').textContent = w.served;
    $('avg').textContent = w.served ? HF.fmtDur(w.avg_service_s) : '—';
    $('waiting').textContent = w.waiting;
    renderOvertime();
    var open = w.state !== 'closed';
    $('act-call').disabled = !open || w.state === 'paused';
    ['recall', 'skip', 'finish', 'transfer'].forEach(function (a) { $('act-' + a).disabled = !cur; });
    $('act-pause').hidden = w.state === 'paused';
    $('act-pause').disabled = !open || !!cur;
    $('act-resume').hidden = w.state !== 'paused';
    renderUndo();
    tickElapsed();
    var tb = HF.clear($('queue'));
    queue.forEach(function (t) {
      tb.appendChild(HF.el('tr', { 'data-ticket': t.id }, [
        HF.el('td', { class: 'num' }, [t.number, t.priority ? HF.el('span', { class: 'pill prio', text: HF.t('kiosk.prio.tag') }) : null,
          t.mark ? HF.el('span', { class: 'pill prio', text: HF.said(t.mark) }) : null]),
        HF.el('td', { text: HF.serviceName(t.service) }),
        HF.el('td', { class: 'n', text: HF.fmtDur(HF.since(t.issued_at)) }),
      ]));
    });
    $('queue-empty').hidden = queue.length > 0;
    // The case panel (counter-cases.js) follows the window.
    document.dispatchEvent(new CustomEvent('hf:window', { detail: { window: w, session: session } }));
  }
  HF.onLang(function () { render(); fillDialogs(); });

  function tickElapsed() {
    $('elapsed').textContent = w && w.current && w.since ? HF.fmtDur(HF.since(w.since)) : '—';
  }
  setInterval(function () { tickElapsed(); renderUndo(); }, 1000);

  // 撤销过号 shows while the hall would take the skip back: the server says
  // until when; the page only counts down to it.
  function renderUndo() {
    var left = undo ? Math.ceil((Date.parse(undo.until) - HF.serverNow()) / 1000) : 0;
    $('act-undo').hidden = !(session && left > 0);
    $('undo-number').textContent = undo && left > 0 ? undo.ticket.number + ' · ' + left + 's' : '';
  }

  async function load() {
    loading++;
    try {
      // Signed in, the list carries the waiting tickets' ids.
      var r = await HF.api('GET', '/api/v1/windows/' + encodeURIComponent(id), undefined, session ? { token: session.token } : undefined);
      queue = r.queue || [];
      undo = r.undo_skip || null;
      targets = r.transfer_to || null;
      // A transfer list open while a window opens or closes follows it.
      if (!$('transfer-dlg').hidden) fillTargets();
      w = r;
      // Signed on here, but the hall says otherwise (signed off elsewhere,
      // or by a manager): back to the sign-in.
      if (session && (w.state === 'closed' || (w.clerk && w.clerk.staff !== session.staff))) signedOut();
      render();
    } catch (e) { /* the next event or action tries again */ } finally { loading--; }
  }
  var reread = HF.debounce(function () { refreshDue = false; load(); }, 200);
  function refresh() { refreshDue = true; reread(); }

  function signedOut() {
    save(null);
    showDesk(false);
  }

  async function act(action, body) {
    if (!session) return;
    HF.showError($('error'), null);
    try {
      var r = await HF.api('POST', '/api/v1/windows/' + encodeURIComponent(id) + '/' + action, body || {}, { token: session.token, key: HF.key() });
      w = r.window;
      undo = r.undo_skip || null;
      render();
      load();
    } catch (e) {
      if (e.status === 401) { signedOut(); HF.showError($('signin-error'), e); return; }
      HF.showError($('error'), e);
      // A conflict means this screen and the hall disagree (another tap,
      // a button on the desk, a screen that missed an event): ask the hall
      // what the window is now, so the next tap acts on what it shows.
      if (e.status === 409) load();
    }
  }

  // callNext tells the hall which ticket this screen shows as current (""
  // when none): the hall refuses a call made on a stale screen instead of
  // finishing a service the clerk did not see.
  function callNext() {
    act('call', { current: $('cur-number').getAttribute('data-ticket') || '' });
  }

  $('signin').addEventListener('submit', async function (ev) {
    ev.preventDefault();
    var err = $('signin-error');
    var who = await HF.signIn($('staff'), $('password'), err);
    if (!who) return;
    try {
      await HF.api('POST', '/api/v1/windows/' + encodeURIComponent(id) + '/open', {}, { token: who.token });
    } catch (e) {
      // The hall says this clerk is signed on here already (a reload):
      // carry on; any other refusal is shown.
      if (e.reason !== 'already_signed_on') {
        HF.showError(err, e);
        return;
      }
    }
    save({ token: who.token, staff: who.staff, name: who.name });
    showDesk(true);
    await load();
    startLive();
  });

  $('signoff').addEventListener('click', async function () {
    if (!session) return;
    try {
      await HF.api('POST', '/api/v1/windows/' + encodeURIComponent(id) + '/close', {}, { token: session.token });
    } catch (e) {
      if (e.status !== 401) { HF.showError($('error'), e); return; }
    }
    // Signing off ends the sign-in itself, not only the window's: the token
    // is refused everywhere from now on.
    try { await HF.api('POST', '/api/v1/logout', {}, { token: session.token }); } catch (e) { /* ended already */ }
    signedOut();
    load();
  });

  // ---- dialogs ----
  var REASONS = ['lunch', 'away', 'fault', 'meeting'];
  function fillDialogs() {
    var box = HF.clear($('reasons'));
    // The hall file's reasons, as the hall words them; the page's own only
    // when the server gave none.
    var reasons = HF.names.pauseReasons && HF.names.pauseReasons.length ? HF.names.pauseReasons
      : REASONS.map(function (r) { return HF.t('counter.reason.' + r); });
    reasons.forEach(function (text) {
      box.appendChild(HF.el('button', { type: 'button', class: 'btn', text: text, onclick: function () { closeDialogs(); act('pause', { reason: text }); } }));
    });
    var svc = HF.clear($('to-service'));
    svc.appendChild(HF.el('option', { value: '', text: HF.t('counter.any') }));
    Object.keys(HF.names.services).forEach(function (c) { svc.appendChild(HF.el('option', { value: c, text: c + ' ' + HF.serviceName(c) })); });
    fillTargets();
  }
  // The windows to transfer to, as the hall answers for each: one it would
  // refuse (closed) is marked and cannot be chosen.
  function fillTargets() {
    var chosen = $('to-window').value;
    var win = HF.clear($('to-window'));
    win.appendChild(HF.el('option', { value: '', text: HF.t('counter.any') }));
    var byID = {};
    HF.names.windowList.forEach(function (x) { byID[x.id] = x; });
    var list = targets || HF.names.windowList.filter(function (x) { return x.id !== id; }).map(function (x) { return { window: x.id, available: true }; });
    list.forEach(function (t) {
      var label = HF.t('window.n', t.window) + ' ' + (byID[t.window] ? HF.name(byID[t.window]) : t.name || '');
      var o = HF.el('option', { value: t.window, text: t.available ? label : label + HF.t('counter.to.closed') });
      if (!t.available) {
        o.disabled = true;
        if (t.note) o.title = HF.lang === 'en' ? t.note.en : t.note.zh;
      }
      win.appendChild(o);
    });
    win.value = chosen;
    if (win.selectedIndex < 0 || win.options[win.selectedIndex].disabled) win.value = '';
  }
  function openDialog(dlg, focus) { dlg.hidden = false; (focus || dlg.querySelector('button,input,select')).focus(); }
  function closeDialogs() { $('pause-dlg').hidden = true; $('transfer-dlg').hidden = true; }
  document.querySelectorAll('[data-close]').forEach(function (b) { b.addEventListener('click', closeDialogs); });
  $('pause-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var r = $('reason').value.trim();
    if (!r) { $('reason').focus(); return; }
    closeDialogs();
    $('reason').value = '';
    act('pause', { reason: r });
  });
  $('transfer-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var body = {};
    if ($('to-window').value) body.window = $('to-window').value;
    else if ($('to-service').value) body.service = $('to-service').value;
    else { $('to-service').focus(); return; }
    closeDialogs();
    act('transfer', body);
  });

  var actions = {
    call: callNext,
    recall: function () { act('recall'); },
    skip: function () { act('skip'); },
    finish: function () { act('finish'); },
    transfer: function () { fillTargets(); openDialog($('transfer-dlg'), $('to-service')); },
    undo: function () { if (undo) act('undo-skip', { ticket: undo.ticket.id }); },
    pause: function () { openDialog($('pause-dlg')); },
    resume: function () { act('resume'); },
  };
  Object.keys(actions).forEach(function (a) { $('act-' + a).addEventListener('click', actions[a]); });

  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') { closeDialogs(); return; }
    if (!session || e.ctrlKey || e.metaKey || e.altKey) return;
    var tag = (e.target.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'select' || tag === 'textarea') return;
    if (!$('pause-dlg').hidden || !$('transfer-dlg').hidden) return;
    var k = e.key.toLowerCase();
    var btn = null;
    document.querySelectorAll('#desk .actions [data-key="' + k + '"]').forEach(function (b) { if (!b.hidden && !b.disabled) btn = b; });
    if (btn) { e.preventDefault(); btn.click(); }
  });

  // 过号重排: the clerk types the number on the citizen's slip.
  $('requeue-form').addEventListener('submit', async function (ev) {
    ev.preventDefault();
    if (!session) return;
    var input = $('requeue-number');
    HF.showError($('error'), null);
    $('requeue-msg').textContent = '';
    if (!input.value.trim()) { input.focus(); return; }
    try {
      var t = await HF.api('POST', '/api/v1/tickets/requeue', { number: input.value }, { token: session.token, key: HF.key() });
      input.value = '';
      $('requeue-msg').textContent = HF.t('counter.requeue.done', t.number);
      load();
    } catch (e) {
      if (e.status === 401) { signedOut(); HF.showError($('signin-error'), e); return; }
      HF.showError($('error'), e);
    }
  });

  // A manager signed this clerk off: say so where the clerk signs on again.
  function forcedOff(m) {
    if (!session || m.type !== 'window.closed' || m.data.window !== id || !m.data.by || m.data.staff !== session.staff) return;
    signedOut();
    HF.showError($('signin-error'), null);
    $('signin-error').textContent = HF.t('counter.forced', m.data.by);
  }

  // ---- 延时服务: the window's overtime state and the clerk's confirmation
  // of each service given in it. The page learns of records from the live
  // stream; the evaluator's open confirmation covers a reload.
  var otPending = {}, otConfirmed = {}, otMsg = '';
  function otWaiting() {
    var c = w && w.overtime_confirm;
    return Object.keys(otPending).length > 0 || !!(c && !otConfirmed[c.record]);
  }
  function renderOvertime() {
    $('otbox').hidden = !(w && (w.overtime || otWaiting() || otMsg));
    $('act-otconfirm').hidden = !otWaiting();
    $('ot-msg').textContent = otMsg;
  }
  function overtimeEvent(m) {
    if (m.type === 'overtime.served' && m.data.record.window === id) otPending[m.data.record.id] = true;
    if (m.type === 'overtime.confirmed' && m.data.by === 'clerk') { delete otPending[m.data.id]; otConfirmed[m.data.id] = true; }
  }
  $('act-otconfirm').addEventListener('click', async function () {
    if (!session) return;
    HF.showError($('error'), null);
    try {
      var rec = await HF.api('POST', '/api/v1/windows/' + encodeURIComponent(id) + '/overtime/confirm', {}, { token: session.token, key: HF.key() });
      delete otPending[rec.id];
      otConfirmed[rec.id] = true;
      otMsg = HF.t('counter.ot.done', rec.id + ' · ' + rec.ticket.number);
    } catch (e) {
      if (e.status === 401) { signedOut(); return; }
      if (e.status === 409) { otPending = {}; if (w && w.overtime_confirm) otConfirmed[w.overtime_confirm.record] = true; }
      HF.showError($('error'), e);
    }
    renderOvertime();
  });

  function startLive() {
    if (live) return;
    live = HF.live({
      snapshot: function () { load(); },
      event: function (m) {
        if (m.type.indexOf('overtime.') === 0) overtimeEvent(m);
        // The case panel (counter-cases.js) hears the stream too.
        document.dispatchEvent(new CustomEvent('hf:event', { detail: { message: m, session: session } }));
        forcedOff(m);
        // Any change to the lines this window serves, or to the window;
        // another window opening, closing or pausing changes where a
        // transfer may go.
        if (m.waiting || (m.window && m.window.id === id) || m.type.indexOf('window.') === 0) refresh();
      },
    });
  }

  try { await HF.loadNames(); } catch (e) { /* names are a nicety */ }
  fillDialogs();
  render();
  showDesk(!!session);
  await load();
  startLive();
});
