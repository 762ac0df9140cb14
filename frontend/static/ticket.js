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
    st.textContent = HF.t('status.' + t.status) + (t.priority ? ' · ' + HF.t('kiosk.prio.tag') : '');
    var called = t.status === 'called';
    document.getElementById('callbox').hidden = !called;
    document.getElementById('facts').hidden = t.status !== 'waiting';
    document.getElementById('cancel').hidden = t.status !== 'waiting' || !holder;
    if (called) {
      document.getElementById('where').textContent = HF.t('window.n', t.window);
      document.getElementById('calltext').textContent = HF.lang === 'en' ? textEN : t.text || '';
    }
    document.getElementById('ahead').textContent = t.ahead + ' ' + HF.t('unit.people');
    document.getElementById('wait').textContent = HF.fmtWait(t.estimated_wait_s);
    document.getElementById('issued').textContent = HF.t('ticket.issued') + ' ' + HF.fmtTime(t.issued_at);
    document.title = (called ? '🔔 ' : '') + t.number + ' · ' + HF.t('status.' + t.status);
    if (called && !wasCalled && navigator.vibrate) navigator.vibrate([400, 200, 400, 200, 400]);
    wasCalled = called;
  }
  HF.onLang(render);

  async function load() {
    try {
      t = await HF.api('GET', '/api/v1/tickets/' + encodeURIComponent(id));
      document.getElementById('error').textContent = '';
      render();
    } catch (e) {
      if (e.status === 404) {
        t = null;
        document.getElementById('card').hidden = true;
        document.getElementById('error').textContent = HF.t('ticket.notfound');
      }
    }
  }
  var refresh = HF.debounce(load, 300);

  document.getElementById('cancel').addEventListener('click', async function () {
    if (!t || !window.confirm(HF.t('ticket.cancel.confirm'))) return;
    try { t = await HF.api('POST', '/api/v1/tickets/' + encodeURIComponent(id) + '/cancel?k=' + encodeURIComponent(holder)); render(); } catch (e) {
      document.getElementById('error').textContent = HF.t('err.generic', e.message);
    }
  });

  try { await HF.loadNames(); } catch (e) { /* fall back to the ticket's own service name */ }
  await load();
  HF.live({
    // A snapshot may follow time offline: ask again rather than trust the page.
    snapshot: function () { load(); },
    event: function (m) {
      var mine = m.data && m.data.ticket && m.data.ticket.id === id;
      if (mine && m.text_en) textEN = m.text_en;
      // Anything in this ticket's line can move it forward.
      if (mine || (t && m.waiting && m.waiting[t.service] !== undefined) || m.type === 'ticket.transferred') {
        if (mine) load(); else refresh();
      }
    },
  });
});
