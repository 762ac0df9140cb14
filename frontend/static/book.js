'use strict';
// The booking page (预约办理) on a phone: a service, a day, a slot with
// what is left of it (a slot that cannot be booked says why, in the hall's
// words), then name, ID number and phone. The answer is the booking code,
// as text and QR, for the kiosk's check-in; a booking outside working
// hours is a request a clerk accepts, and the page says so. A booking is
// cancelled with its code and the ID number (?code= fills the code in, as
// the SMS link does), and, once served, its register line confirmed.
HF.start(async function () {
  var services = [], limits = {}, service = '', day = '', slot = null, days = [];
  var busy = false;
  window.__hf.book = { state: function () { return { service: service, day: day, slot: slot }; } };

  function pressed(btn, on) { btn.setAttribute('aria-pressed', on ? 'true' : 'false'); }

  function render() {
    var box = HF.clear(document.getElementById('services'));
    services.forEach(function (s) {
      var b = HF.el('button', { type: 'button', 'data-service': s.code, text: s.code + ' ' + HF.name(s), onclick: function () { pick(s.code); } });
      pressed(b, s.code === service);
      box.appendChild(b);
    });
    var dbox = HF.clear(document.getElementById('days'));
    days.forEach(function (d) {
      var free = d.slots.filter(function (x) { return x.free; }).length;
      var b = HF.el('button', { type: 'button', 'data-day': d.day, text: d.day.slice(5) + ' · ' + HF.t('book.free', free),
        onclick: function () { day = d.day; slot = null; render(); } });
      b.disabled = d.slots.length === 0;
      pressed(b, d.day === day);
      dbox.appendChild(b);
    });
    var sbox = HF.clear(document.getElementById('slots'));
    var today = days.filter(function (d) { return d.day === day; })[0];
    (today ? today.slots : []).forEach(function (x) {
      var note = x.free ? HF.t('book.left', x.left) + (x.request ? ' · ' + HF.t('book.request') : '') : HF.said(x.note);
      var b = HF.el('button', { type: 'button', 'data-start': x.start, onclick: function () { slot = x; render(); } },
        [HF.el('span', { text: HF.fmtTime(x.start) + '–' + HF.fmtTime(x.end) }), HF.el('small', { text: note })]);
      b.disabled = !x.free;
      pressed(b, slot && slot.start === x.start);
      sbox.appendChild(b);
    });
    document.getElementById('limits').textContent = limits.max_days ?
      HF.t('book.limits', limits.min_lead_minutes, limits.max_days, limits.cancel_before_minutes / 60) : '';
    document.getElementById('form').hidden = !slot;
    if (slot) {
      document.getElementById('chosen').textContent = HF.serviceName(service) + ' · ' + HF.fmtDateTime(slot.start) +
        (slot.request ? ' · ' + HF.t('book.request') : '');
    }
  }
  HF.onLang(render);

  async function pick(code) {
    service = code;
    slot = null;
    try {
      var r = await HF.api('GET', '/api/v1/bookings/slots?service=' + encodeURIComponent(code) + '&days=' + Math.min(31, (limits.max_days || 5) + 3));
      days = r.days;
      var first = days.filter(function (d) { return d.slots.some(function (x) { return x.free; }); })[0];
      day = first ? first.day : (days[0] ? days[0].day : '');
      HF.showError(document.getElementById('error'), null);
    } catch (e) {
      HF.showError(document.getElementById('error'), e);
    }
    render();
  }

  document.getElementById('form').addEventListener('submit', async function (ev) {
    ev.preventDefault();
    if (busy || !slot) return;
    busy = true;
    var err = document.getElementById('form-error');
    HF.showError(err, null);
    var body = { service: service, start: slot.start, name: document.getElementById('name').value.trim(),
      id_number: document.getElementById('idnumber').value.trim().toUpperCase(), phone: document.getElementById('phone').value.trim() };
    try {
      var b = await HF.api('POST', '/api/v1/bookings', body, { key: HF.key() });
      show(b);
      document.getElementById('idnumber').value = '';
    } catch (e) {
      HF.showError(err, e);
      if (e.reason === 'booking_slot_full') pick(service); // the slot went meanwhile: the page shows what is left
    } finally {
      busy = false;
    }
  });

  function show(b) {
    document.getElementById('done').hidden = false;
    document.getElementById('form').hidden = true;
    document.getElementById('done-title').textContent = HF.t(b.status === 'requested' ? 'book.requested' : 'book.booked');
    document.getElementById('code').textContent = b.code;
    var img = document.getElementById('qr');
    img.src = '/qr?data=' + encodeURIComponent(b.code);
    img.alt = b.code;
    document.getElementById('done-what').textContent = HF.serviceName(b.service) + ' · ' + HF.fmtDateTime(b.start);
    document.getElementById('cancel-code').value = b.code;
    slot = null;
    pick(service);
  }

  document.getElementById('cancel').addEventListener('submit', async function (ev) {
    ev.preventDefault();
    var err = document.getElementById('cancel-error');
    var code = document.getElementById('cancel-code').value.trim().toUpperCase();
    var id = document.getElementById('cancel-id').value.trim().toUpperCase();
    try {
      await HF.api('POST', '/api/v1/bookings/' + encodeURIComponent(code) + '/cancel', { id_number: id }, { key: HF.key() });
      HF.showError(err, 'book.cancelled');
      document.getElementById('cancel-id').value = '';
      if (service) pick(service);
    } catch (e) {
      HF.showError(err, e);
    }
  });

  // After the service, the applicant confirms its line of the 预约服务登记表
  // with the same code and ID number.
  document.getElementById('confirm-go').addEventListener('click', async function () {
    var err = document.getElementById('cancel-error');
    var code = document.getElementById('cancel-code').value.trim().toUpperCase();
    var id = document.getElementById('cancel-id').value.trim().toUpperCase();
    try {
      await HF.api('POST', '/api/v1/bookings/' + encodeURIComponent(code) + '/confirm', { by: 'applicant', id_number: id }, { key: HF.key() });
      HF.showError(err, 'book.confirmed');
      document.getElementById('cancel-id').value = '';
    } catch (e) {
      HF.showError(err, e);
    }
  });

  var q = new URLSearchParams(location.search);
  if (q.get('code')) document.getElementById('cancel-code').value = q.get('code');
  try {
    await HF.loadNames();
    var r = await HF.api('GET', '/api/v1/bookings/services');
    services = r.services;
    limits = r.limits;
    var n = HF.names.hall;
    if (n && n.name) document.getElementById('hallname').textContent = HF.name(n) + ' · ' + HF.t('book.title');
    if (services.length === 0) HF.showError(document.getElementById('error'), 'book.none');
    else pick(q.get('service') || services[0].code);
  } catch (e) {
    HF.showError(document.getElementById('error'), e);
  }
  render();
});
