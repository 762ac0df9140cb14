'use strict';
// The clerks' booking list (预约服务登记): a day's bookings and every late
// one still to settle, with the applicant's name and phone; a request
// accepted (with the clerk on duty) or declined (always with a reason,
// offered from the hall's list or typed); a late applicant reached (and
// perhaps moved to another slot) or unreachable; a booking taken by phone
// or at the window; the day's roster (值班表), whom a request's acceptance
// may name, and, for a manager, a clerk put on it for the day and a bar
// lifted. Every decision is the hall's: a refusal (a clerk off the roster
// named on duty) shows as the server words it.
HF.start(async function () {
  var $ = function (id) { return document.getElementById(id); };
  var who = null;
  try { who = JSON.parse(sessionStorage.getItem('hf.clerk') || 'null'); } catch (e) { who = null; }
  var day = '', list = null, chosen = null, services = [];
  window.__hf.bookings = { list: function () { return list; } };

  function setWho(v) {
    who = v;
    try { if (v) sessionStorage.setItem('hf.clerk', JSON.stringify(v)); else sessionStorage.removeItem('hf.clerk'); } catch (e) { /* private mode */ }
    $('signin').hidden = !!v;
    $('work').hidden = !v;
    $('signout').hidden = !v;
    $('lift').hidden = !(v && v.role === 'manager');
    $('put-roster').hidden = !(v && v.role === 'manager');
    $('who').textContent = v ? HF.t('bookings.who', v.name, v.staff) : '';
    if (v) load();
  }
  async function api(method, path, body) {
    try {
      return await HF.api(method, path, body, { token: who && who.token, key: method === 'POST' ? HF.key() : undefined });
    } catch (e) {
      if (e.status === 401) setWho(null);
      throw e;
    }
  }
  $('signin').addEventListener('submit', async function (ev) {
    ev.preventDefault();
    var r = await HF.signIn($('staff'), $('password'), $('signin-error'));
    if (r) setWho({ token: r.token, staff: r.staff, name: r.name, role: r.role });
  });
  $('signout').addEventListener('click', async function () {
    if (who) { try { await HF.api('POST', '/api/v1/logout', {}, { token: who.token }); } catch (e) { /* ended already */ } }
    setWho(null);
  });

  function dayOf(offset) {
    var d = new Date(HF.serverNow() + offset * 86400000);
    var p = HF.timeParts(d.toISOString());
    return p.year + '-' + p.month + '-' + p.day;
  }

  function render() {
    var dbox = HF.clear($('days'));
    for (var i = 0; i < 6; i++) {
      (function (d) {
        var b = HF.el('button', { type: 'button', 'data-day': d, text: d.slice(5), onclick: function () { day = d; chosen = null; load(); } });
        b.setAttribute('aria-pressed', d === day ? 'true' : 'false');
        dbox.appendChild(b);
      })(dayOf(i));
    }
    var rows = HF.clear($('rows'));
    (list ? list.bookings : []).forEach(function (b) {
      var tr = HF.el('tr', { 'data-code': b.code }, [
        HF.el('td', { text: HF.fmtDay(b.start) }),
        HF.el('td', { text: HF.serviceName(b.service) }),
        HF.el('td', { text: b.name }),
        HF.el('td', { text: b.phone || '' }),
        HF.el('td', { text: HF.t('booking.' + b.status) + (b.channel === 'clerk' ? ' · ' + HF.t('bookings.byclerk') : '') + (b.reason ? ' · ' + b.reason : '') +
          (b.clerk_confirmed ? ' · ' + HF.t('bookings.clerk_confirmed') : '') + (b.applicant_confirmed ? ' · ' + HF.t('bookings.applicant_confirmed') : '') }),
        HF.el('td', {}, [HF.el('button', { type: 'button', text: HF.t('bookings.handle'), onclick: function () { choose(b); } })]),
      ]);
      // A served appointment waits for the clerk's confirmation of its line of the 预约服务登记表.
      var open = b.status === 'requested' || b.status === 'late' || (b.status === 'served' && !b.clerk_confirmed);
      tr.querySelector('button').disabled = !open;
      rows.appendChild(tr);
    });
    var ro = HF.clear($('roster'));
    var lines = list && list.roster || [];
    if (!lines.length) ro.appendChild(HF.el('li', { text: HF.t('bookings.roster.none') }));
    lines.forEach(function (d) {
      var staff = d.staff.map(function (p) { return p.name ? HF.t('bookings.who', p.name, p.id) : p.id; }).join(HF.t('bookings.sep'));
      var parts = [staff, d.hours.length ? d.hours.join(', ') : HF.t('bookings.roster.allday'),
        d.services.length ? d.services.map(HF.serviceName).join(HF.t('bookings.sep')) : HF.t('bookings.roster.allservices')];
      if (d.by) parts.push(HF.t('bookings.roster.by', d.by));
      ro.appendChild(HF.el('li', { text: parts.join(' · ') }));
    });
    var rs = HF.clear($('reasons'));
    (list && list.decline_reasons || []).forEach(function (r) { rs.appendChild(HF.el('option', { value: r })); });
    $('decide').hidden = !chosen;
    if (chosen) {
      $('decide-what').textContent = HF.fmtDay(chosen.start) + ' ' + HF.serviceName(chosen.service) + ' ' + chosen.name + ' · ' + HF.t('booking.' + chosen.status);
      $('accept').hidden = $('decline').hidden = chosen.status !== 'requested';
      var on = chosen.rostered || [];
      var dl = HF.clear($('rostered'));
      on.forEach(function (id) { dl.appendChild(HF.el('option', { value: id })); });
      $('rostered-note').hidden = chosen.status !== 'requested';
      $('rostered-note').textContent = on.length ? HF.t('bookings.rostered', on.join(HF.t('bookings.sep'))) : HF.t('bookings.rostered.none');
      $('reached').hidden = $('unreachable').hidden = chosen.status !== 'late';
      $('confirm').hidden = chosen.status !== 'served' || !!chosen.clerk_confirmed;
    }
  }
  HF.onLang(render);

  // load reads the day's list again.
  async function load() {
    if (!day) day = dayOf(0);
    try {
      list = await api('GET', '/api/v1/bookings?day=' + day);
      if (chosen) chosen = list.bookings.filter(function (b) { return b.code === chosen.code; })[0] || null;
      HF.showError($('error'), null);
    } catch (e) {
      HF.showError($('error'), e);
    }
    render();
  }

  async function choose(b) {
    chosen = b;
    var mv = HF.clear($('move'));
    mv.appendChild(HF.el('option', { value: '', text: HF.t('bookings.nomove') }));
    if (b.status === 'late') {
      try {
        var r = await HF.api('GET', '/api/v1/bookings/slots?service=' + encodeURIComponent(b.service) + '&days=5');
        r.days.forEach(function (d) {
          d.slots.filter(function (x) { return x.free; }).forEach(function (x) {
            mv.appendChild(HF.el('option', { value: x.start, text: HF.fmtDay(x.start) }));
          });
        });
      } catch (e) { /* the move stays optional */ }
    }
    render();
  }

  async function act(action, body) {
    if (!chosen) return;
    var refused = null;
    try {
      await api('POST', '/api/v1/bookings/' + encodeURIComponent(chosen.code) + '/' + action, body);
      chosen = null;
      $('reason').value = '';
    } catch (e) {
      refused = e;
    }
    // The list is read again either way; a refusal (a clerk named on duty
    // off the roster) stays shown in the server's words after it.
    await load();
    if (refused) HF.showError($('error'), refused);
  }
  $('accept').addEventListener('click', function () { act('accept', { on_duty: $('onduty').value.trim() }); });
  $('decline').addEventListener('click', function () { act('decline', { reason: $('reason').value.trim() }); });
  $('reached').addEventListener('click', function () { act('reached', { move: $('move').value }); });
  $('unreachable').addEventListener('click', function () { act('unreachable', {}); });
  $('confirm').addEventListener('click', function () { act('confirm', { by: 'clerk' }); });

  async function slotsOf(code) {
    var sel = HF.clear($('pb-slot'));
    try {
      var r = await HF.api('GET', '/api/v1/bookings/slots?service=' + encodeURIComponent(code) + '&days=7');
      r.days.forEach(function (d) {
        d.slots.filter(function (x) { return x.free; }).forEach(function (x) {
          sel.appendChild(HF.el('option', { value: x.start, text: HF.fmtDay(x.start) + ' · ' + HF.t('book.left', x.left) + (x.request ? ' · ' + HF.t('book.request') : '') }));
        });
      });
    } catch (e) { HF.showError($('pb-error'), e); }
  }
  $('pb-service').addEventListener('change', function () { slotsOf($('pb-service').value); });
  $('phone-booking').addEventListener('submit', async function (ev) {
    ev.preventDefault();
    try {
      var b = await api('POST', '/api/v1/bookings', { service: $('pb-service').value, start: $('pb-slot').value, name: $('pb-name').value.trim(),
        id_number: $('pb-id').value.trim().toUpperCase(), phone: $('pb-phone').value.trim() });
      HF.showError($('pb-error'), null);
      $('pb-error').textContent = HF.t('bookings.entered', b.code);
      ['pb-name', 'pb-id', 'pb-phone'].forEach(function (id) { $(id).value = ''; });
      slotsOf($('pb-service').value);
      load();
    } catch (e) {
      HF.showError($('pb-error'), e);
    }
  });

  $('put-roster').addEventListener('submit', async function (ev) {
    ev.preventDefault();
    var split = function (v) { return v.split(/[,\uff0c\u3001\s]+/).filter(function (x) { return x; }); };
    try {
      await api('POST', '/api/v1/bookings/roster', { date: day, staff: $('put-staff').value.trim(),
        services: split($('put-services').value.toUpperCase()), hours: split($('put-hours').value) });
      HF.showError($('put-error'), 'bookings.put.done');
      $('put-staff').value = '';
    } catch (e) {
      HF.showError($('put-error'), e);
    }
    load();
  });

  $('lift').addEventListener('submit', async function (ev) {
    ev.preventDefault();
    try {
      await api('POST', '/api/v1/bookings/bars/lift', { id_number: $('lift-id').value.trim().toUpperCase(), reason: $('lift-reason').value.trim() });
      HF.showError($('lift-error'), 'bookings.lifted');
      $('lift-id').value = '';
      $('lift-reason').value = '';
    } catch (e) {
      HF.showError($('lift-error'), e);
    }
  });

  try {
    await HF.loadNames();
    var r = await HF.api('GET', '/api/v1/bookings/services');
    services = r.services;
    var sel = $('pb-service');
    services.forEach(function (s) { sel.appendChild(HF.el('option', { value: s.code, text: s.code + ' ' + HF.name(s) })); });
    if (services.length) slotsOf(services[0].code);
  } catch (e) { HF.showError($('error'), e); }
  setWho(who);
});
