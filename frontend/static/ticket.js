'use strict';
// A ticket on its holder's phone: number, status, people ahead and the
// estimated wait, kept live; when it is called the page says so plainly,
// with the window, and the phone vibrates.
HF.start(async function () {
  var id = decodeURIComponent(location.pathname.split('/').pop());
  // The holder key from the slip's QR link; without it the page only reads.
  var holder = new URLSearchParams(location.search).get('k') || '';
  var t = null;
  var textEN = '';
  var wasCalled = false;
  window.__hf.ticket = function () { return t; };

  function render() {
    if (!t) return;
    document.getElementById('card').hidden = false;
    document.getElementById('number').textContent = t.number;
    document.getElementById('service').textContent = HF.serviceName(t.service) || t.service_name;
    var st = document.getElementById('status');
    st.className = 'pill ' + t.status;
    st.textContent = HF.t('status.' + t.status) + (t.priority ? ' · ' + HF.t('kiosk.prio.tag') : '') + (t.mark ? ' · ' + HF.said(t.mark) : '');
    var called = t.status === 'called';
    document.getElementById('callbox').hidden = !called;
    // A department's 咨询号: where to go is the server's, from the
    // consultation; no window calls it, so no line to wait in.
    var c = t.consult;
    document.getElementById('consultbox').hidden = !c;
    document.getElementById('consulttext').textContent = c ? (HF.lang === 'en' ? c.text_en : c.text) : '';
    document.getElementById('facts').hidden = t.status !== 'waiting' || !!c;
    document.getElementById('cancel').hidden = t.status !== 'waiting' || !holder;
    if (called) {
      document.getElementById('where').textContent = HF.t('window.n', t.window);
      document.getElementById('calltext').textContent = HF.lang === 'en' ? textEN : t.text || '';
    }
    document.getElementById('ahead').textContent = t.ahead + ' ' + HF.t('unit.people');
    document.getElementById('wait').textContent = HF.fmtRange(t.estimated_wait, t.estimated_wait_s);
    document.getElementById('issued').textContent = HF.t('ticket.issued') + ' ' + HF.fmtTime(t.issued_at);
    document.title = (called ? '🔔 ' : '') + t.number + ' · ' + HF.t('status.' + t.status);
    if (called && !wasCalled && navigator.vibrate) navigator.vibrate([400, 200, 400, 200, 400]);
    wasCalled = called;
  }
  HF.onLang(render);

  async function load() {
    try {
      t = await HF.api('GET', '/api/v1/tickets/' + encodeURIComponent(id));
      HF.showError(document.getElementById('error'), null);
      render();
      if (t.status === 'done' || rating) loadRating();
    } catch (e) {
      if (e.status === 404) {
        t = null;
        document.getElementById('card').hidden = true;
        HF.showError(document.getElementById('error'), 'ticket.notfound');
      }
    }
  }
  var refresh = HF.debounce(load, 300);

  // ---- 好差评 from the phone: once the service is done, for the holder only.
  var rating = null, badLevel = 0, picker = null;
  window.__hf.rating = function () { return rating; };
  async function loadRating() {
    if (!t || t.status !== 'done') { rating = null; renderRating(); return; }
    try { rating = await HF.api('GET', '/api/v1/tickets/' + encodeURIComponent(id) + '/rating'); } catch (e) { rating = null; }
    renderRating();
  }
  function levelName(l) {
    var found = '';
    ((rating && rating.levels) || []).forEach(function (x) { if (x.level === l) found = HF.name(x); });
    return found || String(l);
  }
  function renderRating() {
    var can = !!(rating && rating.can_rate && holder);
    document.getElementById('rate').hidden = !can;
    document.getElementById('rate-levels').hidden = !!badLevel;
    document.getElementById('rate-why').hidden = !badLevel;
    if (can && !badLevel) HF.levelButtons(document.getElementById('rate-levels'), rating.levels, pickLevel);
    var rated = document.getElementById('rated');
    rated.hidden = !(rating && rating.level > 0);
    rated.textContent = rating && rating.level > 0 ? HF.t('ticket.rated', levelName(rating.level)) : '';
  }
  function pickLevel(l) {
    if (l <= rating.bad_rating) {
      badLevel = l;
      picker = HF.reasonPicker(document.getElementById('rate-reasons'), document.getElementById('rate-other'), rating.reasons);
      renderRating();
      return;
    }
    sendRating(l, '');
  }
  async function sendRating(l, reason) {
    var err = document.getElementById('rate-error');
    HF.showError(err, null);
    try {
      await HF.api('POST', '/api/v1/tickets/' + encodeURIComponent(id) + '/rating?k=' + encodeURIComponent(holder), { level: l, reason: reason }, { key: HF.key() });
    } catch (e) {
      if (e.status !== 409) { HF.showError(err, e); return; }
    }
    badLevel = 0;
    loadRating();
  }
  document.getElementById('rate-send').addEventListener('click', function () {
    var r = picker ? picker.value() : '';
    if (!r) { HF.showError(document.getElementById('rate-error'), 'eval.need.reason'); return; }
    sendRating(badLevel, r);
  });
  document.getElementById('rate-back').addEventListener('click', function () { badLevel = 0; HF.showError(document.getElementById('rate-error'), null); renderRating(); });
  HF.onLang(function () { if (!badLevel) renderRating(); });

  document.getElementById('cancel').addEventListener('click', async function () {
    if (!t || !window.confirm(HF.t('ticket.cancel.confirm'))) return;
    try { t = await HF.api('POST', '/api/v1/tickets/' + encodeURIComponent(id) + '/cancel?k=' + encodeURIComponent(holder)); render(); } catch (e) {
      HF.showError(document.getElementById('error'), e);
    }
  });

  try { await HF.loadNames(); } catch (e) { /* fall back to the ticket's own service name */ }
  await load();
  HF.live({
    // A snapshot may follow time offline: ask again rather than trust the page.
    snapshot: function () { load(); },
    event: function (m) {
      var mine = m.data && m.data.ticket && m.data.ticket.id === id;
      // A consultation's steps name the number, not the id.
      if (t && m.consult && m.consult.number === t.number) { load(); return; }
      // A rating at the evaluator names the number, not the id.
      if (t && t.status === 'done' && m.type.indexOf('rating.') === 0 && m.data.ticket && m.data.ticket.number === t.number) loadRating();
      if (mine && m.text_en) textEN = m.text_en;
      // Anything in this ticket's line can move it forward.
      if (mine || (t && m.waiting && m.waiting[t.service] !== undefined) || m.type === 'ticket.transferred') {
        if (mine) load(); else refresh();
      }
    },
  });
});
