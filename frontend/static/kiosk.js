'use strict';
// The kiosk: a button per service with its line and the forecast wait
// (a range, marked when rough); optional ID number and phone; in guide
// mode (?mode=guide) a signed-in guide may ask for a priority number. The
// ticket shows with a QR code to its page and prints on an 80 mm slip.
// A kiosk is shared: what a citizen typed is cleared after every outcome
// and after IDLE_S idle seconds (?idle_s=), when it returns to Chinese. A
// closed hall says so, with its next opening; the buttons stay off. A
// booking (预约) checks in by code or ID number for its marked ticket,
// even while walk-ins are not issued (错时办). At /kiosk?kiosk=K1 the
// kiosk's 居民身份证 reader fills the ID number: a keyboard reader types
// it into the field, kept focused; a serial reader's read comes from the
// server masked, with a token the ticket request sends as card.
HF.start(function () {
  var guide = new URLSearchParams(location.search).get('mode') === 'guide';
  document.getElementById('guide-row').hidden = !guide;
  if (guide) document.getElementById('opts').open = true;
  // The guide's sign-in lasts as long as this tab: a tablet carried round
  // the hall keeps it through a reload, a shared kiosk loses it on close.
  var who = null;
  try { who = JSON.parse(sessionStorage.getItem('hf.guide') || 'null'); } catch (e) { /* private mode */ }
  function showGuide() {
    var on = !!(who && who.token);
    document.getElementById('guide-signin').hidden = on;
    document.getElementById('guide-who').hidden = !on;
    document.getElementById('priority').disabled = !on;
    if (!on) document.getElementById('priority').checked = false;
    document.getElementById('guide-name').textContent = on ? HF.t('kiosk.guide.who', who.name, who.staff) : '';
  }
  function setGuide(v) {
    who = v;
    try { if (v) sessionStorage.setItem('hf.guide', JSON.stringify(v)); else sessionStorage.removeItem('hf.guide'); } catch (e) { /* private mode */ }
    showGuide();
  }
  document.getElementById('guide-signin').addEventListener('submit', async function (ev) {
    ev.preventDefault();
    var r = await HF.signIn(document.getElementById('guide-staff'), document.getElementById('guide-password'), document.getElementById('guide-error'));
    if (r) setGuide({ token: r.token, staff: r.staff, name: r.name });
  });
  document.getElementById('guide-out').addEventListener('click', async function () {
    // A kiosk is public: signing out ends the guide's token on the server.
    if (who) { try { await HF.api('POST', '/api/v1/logout', {}, { token: who.token }); } catch (e) { /* ended already */ } }
    setGuide(null);
  });
  HF.onLang(showGuide);
  if (guide) showGuide();
  HF.startClock(document.getElementById('clock'));
  var hall = null;
  var busy = false;
  var ticket = null;
  var closeTimer = null;
  window.__hf.kiosk = { last: function () { return ticket; } };
  var IDLE_S = Number(new URLSearchParams(location.search).get('idle_s')) || 30;
  // ?kiosk=K1 names the kiosk, whose printer the server prints its slips on.
  var KIOSK = new URLSearchParams(location.search).get('kiosk') || '';
  var idleTimer = null;

  var idIn = document.getElementById('idnumber');
  var reader = null, card = null;
  // forget clears what the last citizen typed.
  function forget() {
    card = null;
    idIn.readOnly = false;
    document.getElementById('checkin-id').value = '';
    idIn.value = '';
    document.getElementById('phone').value = '';
    document.getElementById('priority').checked = false;
  }

  // ready leaves the kiosk as the next person should find it: nothing the
  // last one typed, nothing they were told, in Chinese.
  function ready() {
    forget();
    HF.showError(document.getElementById('error'), null);
    if (!guide) document.getElementById('opts').open = false;
    document.getElementById('checkin-box').open = false;
    if (HF.lang !== 'zh') HF.setLang('zh');
    cardReady();
  }
  // cardReady opens the ID field for the reader: focused for a keyboard
  // reader, which types where the focus is.
  function cardReady() {
    if (!reader) return;
    document.getElementById('opts').open = true;
    if (reader === 'keyboard') idIn.focus();
  }
  function touched() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(ready, IDLE_S * 1000);
  }
  ['pointerdown', 'keydown', 'input'].forEach(function (t) { document.addEventListener(t, touched, true); });
  touched();

  // issuing is whether numbers are issued now, as the hall words it.
  function renderIssuing() {
    var is = hall.issuing || { open: true };
    var en = HF.lang === 'en';
    document.getElementById('closed').hidden = is.open;
    document.getElementById('closed-text').textContent = is.open ? '' : (en ? is.text_en : is.text) || '';
    document.getElementById('closed-next').textContent = is.open ? '' : (en ? is.next_text_en : is.next_text) || '';
    document.getElementById('services').classList.toggle('off', !is.open);
    return is.open;
  }

  function render() {
    if (!hall) return;
    document.getElementById('hallname').textContent = HF.lang === 'en' && hall.hall.name_en ? hall.hall.name_en : hall.hall.name;
    var box = document.getElementById('services');
    // The buttons are built once per set of services and language; a busy
    // hall's events only update the counts in them, so a citizen's tap is
    // never lost to a button replaced under the finger.
    var sig = HF.lang + hall.services.map(function (s) { return s.code + s.name + s.name_en + s.kind; }).join('|');
    if (box.dataset.built !== sig) {
      box.dataset.built = sig;
      HF.clear(box);
      hall.services.forEach(function (s) {
        box.appendChild(HF.el('button', {
          type: 'button', class: 'svc kind-' + s.kind, role: 'listitem', 'data-service': s.code,
          onclick: function () { take(s.code); },
        }, [
          HF.el('span', { class: 'code', text: s.code, 'aria-hidden': 'true' }),
          HF.el('span', { class: 'nm', text: HF.name(s) }),
          HF.el('span', { class: 'meta' }),
        ]));
      });
    }
    var open = renderIssuing();
    hall.services.forEach(function (s) {
      var btn = box.querySelector('button[data-service="' + s.code + '"]');
      btn.disabled = !open;
      var meta = HF.clear(btn.querySelector('.meta'));
      if (!open) return; // no estimate for a number nobody can take
      // A department's 咨询号 waits for no window: the hall says what
      // taking one does instead of an estimate.
      if (s.consult) { meta.appendChild(HF.el('span', { class: 'notify', text: HF.said(s.consult) })); return; }
      meta.appendChild(HF.el('b', { class: 'waiting', text: HF.t('waiting.n', s.waiting) }));
      meta.appendChild(document.createTextNode(' · ' + HF.fmtRange(s.estimated_wait, s.estimated_wait_s)));
    });
    if (ticket) showTicket(ticket);
  }
  HF.onLang(render);

  var refresh = HF.debounce(async function () {
    try { hall = await HF.api('GET', '/api/v1/hall'); render(); } catch (e) { /* the next event retries */ }
  }, 400);

  // The kiosk words the fields a citizen typed in itself, plainly; any
  // other refusal is the hall's own sentence.
  function refusal(e) {
    if (e.field === 'id_number') return e.code === 'conflict' ? 'err.id_dup' : 'err.id_number';
    if (e.field === 'phone') return 'err.phone';
    return e;
  }

  async function take(code) {
    if (busy) return;
    busy = true;
    var err = document.getElementById('error');
    HF.showError(err, 'kiosk.issuing');
    var body = { service: code };
    var id = idIn.value.trim();
    var phone = document.getElementById('phone').value.trim();
    if (card) body.card = card.token;
    else if (id) body.id_number = id.toUpperCase();
    if (phone) body.phone = phone;
    if (KIOSK) body.kiosk = KIOSK;
    if (guide && document.getElementById('priority').checked) body.priority = true;
    try {
      // One key per tap: a retry after a lost answer cannot issue twice.
      var opts = { key: HF.key() };
      if (guide && who && who.token) opts.token = who.token;
      // A 取件号 taken with the ID number is linked to the applicant's
      // results waiting at the output window; the hall finds them.
      var svc = hall && hall.services.filter(function (x) { return x.code === code; })[0];
      if (svc && svc.kind === 'pickup' && (body.id_number || body.card)) {
        var got = await HF.api('POST', '/api/v1/pickups', { id_number: body.id_number, card: body.card, service: code, kiosk: body.kiosk }, opts);
        ticket = got.ticket;
        ticket.slip = got.slip;
      } else {
        ticket = await HF.api('POST', '/api/v1/tickets', body, opts);
      }
      HF.showError(err, null);
      showTicket(ticket);
      refresh();
    } catch (e) {
      if (e.status === 401 && guide) setGuide(null); // the sign-in expired: sign in again
      HF.showError(err, refusal(e));
    } finally {
      busy = false;
      forget(); // issued or refused, the next person must not see it
    }
  }

  // checkIn turns a booking into its ticket: an ID number is eighteen
  // characters, anything else is taken for the booking code.
  document.getElementById('checkin').addEventListener('submit', async function (ev) {
    ev.preventDefault();
    if (busy) return;
    var v = document.getElementById('checkin-id').value.trim().toUpperCase();
    if (!v) return;
    busy = true;
    var err = document.getElementById('error');
    HF.showError(err, 'kiosk.checkin.busy');
    var body = /^[0-9]{17}[0-9X]$/.test(v) ? { id_number: v } : { code: v };
    if (KIOSK) body.kiosk = KIOSK;
    try {
      ticket = await HF.api('POST', '/api/v1/bookings/checkin', body, { key: HF.key() });
      HF.showError(err, null);
      showTicket(ticket);
      refresh();
    } catch (e) {
      HF.showError(err, e.field === 'id_number' && e.code === 'invalid' ? 'err.id_number' : e);
    } finally {
      busy = false;
      forget();
    }
  });

  function showTicket(t) {
    document.getElementById('slip-hall').textContent = hall ? (HF.lang === 'en' && hall.hall.name_en ? hall.hall.name_en : hall.hall.name) : '';
    document.getElementById('slip-number').textContent = t.number;
    document.getElementById('slip-number').setAttribute('data-ticket', t.id);
    // A slip the kiosk's printer did not print: the ticket is on the
    // screen, the desk gives a paper one.
    var noslip = document.getElementById('slip-noslip'), sl = t.slip;
    noslip.hidden = !(sl && sl.status === 'not_printed');
    noslip.textContent = noslip.hidden ? '' : (sl.fault ? HF.said(sl.fault) + ' · ' : '') + HF.t('kiosk.noslip');
    // A slip the server printed is not printed again by the browser.
    document.getElementById('print').hidden = !!(sl && sl.status !== 'not_printed');
    var svc = hall && hall.services.filter(function (s) { return s.code === t.service; })[0];
    document.getElementById('slip-service').textContent = (svc ? HF.name(svc) : t.service_name) + (t.priority ? ' · ' + HF.t('kiosk.prio.tag') : '') +
      (t.mark ? ' · ' + (HF.lang === 'en' ? t.mark.en : t.mark.zh) : '');
    document.getElementById('slip-ahead').textContent = t.ahead + ' ' + HF.t('unit.people');
    document.getElementById('slip-wait').textContent = HF.fmtRange(t.estimated_wait, t.estimated_wait_s);
    // A 咨询号's slip says where to wait for the department, as the ticket
    // page does, not a window's line.
    document.getElementById('slip-facts').hidden = !!t.consult;
    document.getElementById('slip-consult').hidden = !t.consult;
    document.getElementById('slip-consult').textContent = t.consult ? (HF.lang === 'en' ? t.consult.text_en : t.consult.text) : '';
    var url = location.origin + HF.base + '/t/' + encodeURIComponent(t.id) + '?k=' + encodeURIComponent(t.key || '');
    var img = document.getElementById('slip-qr');
    img.src = '/qr?data=' + encodeURIComponent(url);
    img.alt = url;
    var d = new Date(t.issued_at);
    document.getElementById('slip-time').textContent = HF.t('ticket.issued') + ' ' + HF.fmtDateTime(d);
    var ov = document.getElementById('overlay');
    if (ov.hidden) {
      ov.hidden = false;
      startAutoClose();
      document.getElementById('done').focus();
    }
  }

  function startAutoClose() {
    var left = 30;
    clearInterval(closeTimer);
    var tick = function () {
      document.getElementById('autoclose').textContent = HF.t('kiosk.autoclose', left);
      if (left-- <= 0) close();
    };
    tick();
    closeTimer = setInterval(tick, 1000);
  }

  // close hides the ticket and readies the kiosk for the next person.
  function close() {
    clearInterval(closeTimer);
    document.getElementById('overlay').hidden = true;
    ticket = null;
    ready();
  }
  document.getElementById('done').addEventListener('click', close);
  document.getElementById('print').addEventListener('click', function () { window.print(); });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape' && ticket) close(); });

  // The reader's number ends with Enter: the citizen then picks a service.
  idIn.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && idIn.value.trim()) { e.preventDefault(); HF.showError(document.getElementById('error'), 'kiosk.card.pick'); }
  });
  // A tap beside the fields leaves the focus with the keyboard reader.
  document.addEventListener('pointerup', function () {
    if (reader === 'keyboard' && !ticket && !/INPUT|SELECT|TEXTAREA/.test((document.activeElement || {}).tagName)) idIn.focus();
  });
  var kiosk = new URLSearchParams(location.search).get('kiosk');
  if (kiosk) {
    HF.cardReader('kiosk:' + encodeURIComponent(kiosk), function (c) {
      if (busy) return;
      if (ticket) close(); // the next person's card: the last slip has been seen
      card = c;
      cardReady();
      idIn.value = c.masked;
      idIn.readOnly = true;
      HF.showError(document.getElementById('error'), 'kiosk.card.pick');
      touched();
    }).then(function (mode) { reader = mode; cardReady(); });
  }

  HF.live({
    snapshot: function (h) { hall = h; render(); },
    event: function (m) {
      if (m.issuing && hall) { hall.issuing = m.issuing; render(); }
      if (m.waiting || m.window || m.issuing) refresh();
    },
  });
});
