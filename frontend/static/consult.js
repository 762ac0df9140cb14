'use strict';
// The department's consultation page: the 咨询号 of today for the
// departments the signed-in member answers, live. A new number notifies at
// once (the page beeps and vibrates where it can); the member acknowledges
// ("coming"), marks arrival or a remote answer, and ends, perhaps handing
// the citizen on to an intake window. The hall decides who may do what; a
// refusal is shown in the server's words.
HF.start(async function () {
  var $ = function (id) { return document.getElementById(id); };
  var data = null;
  var known = {}; // ticket ids already seen, to tell a new number
  // picked is the intake service chosen to hand each number on to: the
  // page is redrawn on every event, and a choice must outlive that.
  var picked = {};
  var drawn = ''; // the answer last drawn
  window.__hf.consults = function () { return data; };

  var me = null;
  var desk = HF.deskSignIn('hf.consult', function (m) {
    me = m;
    data = null;
    drawn = '';
    known = {};
    if (me) load();
  });
  var api = desk.api;

  async function load() {
    if (!me) return;
    try {
      var d = await api('GET', '/api/v1/consults');
      var fresh = false;
      d.departments.forEach(function (dp) {
        dp.consults.forEach(function (k) {
          if (data && !known[k.ticket.id] && k.status === 'notified') fresh = true;
          known[k.ticket.id] = true;
        });
      });
      // Redrawn only when something changed: a member's tap or choice is
      // not lost to an event that brought nothing new.
      var sig = JSON.stringify(d);
      data = d;
      HF.showError($('error'), null);
      if (sig !== drawn) { drawn = sig; render(); }
      if (fresh && navigator.vibrate) navigator.vibrate([300, 150, 300]);
    } catch (e) {
      if (e.status !== 401) HF.showError($('error'), e);
    }
  }
  var refresh = HF.debounce(load, 200);

  async function act(id, step, body) {
    try {
      await api('POST', '/api/v1/consults/' + encodeURIComponent(id) + '/' + step, body || {});
      HF.showError($('error'), null);
    } catch (e) {
      HF.showError($('error'), e);
    }
    load();
  }

  function button(key, fn, cls) {
    return HF.el('button', { type: 'button', class: 'btn' + (cls ? ' ' + cls : ''), text: HF.t(key), onclick: fn });
  }

  function actions(dp, k) {
    var out = [];
    if (!dp.member) return out;
    var mine = k.staff === me.staff;
    if (k.status === 'notified') out.push(button('consult.ack', function () { act(k.ticket.id, 'acknowledge'); }, 'primary'));
    if (k.status === 'coming' && mine) {
      out.push(button('consult.arrived', function () { act(k.ticket.id, 'arrived'); }, 'primary'));
      if (!dp.resident) {
        out.push(button('consult.video', function () { act(k.ticket.id, 'remote', { mode: 'video' }); }));
        out.push(button('consult.phone', function () { act(k.ticket.id, 'remote', { mode: 'phone' }); }));
      }
    }
    if ((k.status === 'arrived' || k.status === 'remote') && mine) {
      var pick = HF.el('select', { 'aria-label': HF.t('consult.handon') }, [HF.el('option', { value: '', text: HF.t('consult.handon.none') })]
        .concat((data.hand_on || []).map(function (s) { return HF.el('option', { value: s.code, text: s.code + ' ' + (HF.serviceName(s.code) || s.name) }); })));
      pick.value = picked[k.ticket.id] || '';
      pick.addEventListener('change', function () { picked[k.ticket.id] = pick.value; });
      out.push(pick);
      out.push(button('consult.done', function () { act(k.ticket.id, 'done', pick.value ? { hand_on: pick.value } : {}); }, 'primary'));
    }
    return out;
  }

  function item(dp, k) {
    var open = k.status !== 'done' && k.status !== 'withdrawn';
    var facts = HF.t('consult.status.' + k.status) + ' · ' + HF.t('consult.notified.at', HF.fmtTime(k.notified_at));
    if (k.staff) facts += ' · ' + (k.staff_name || k.staff);
    if (k.ack_s !== null && k.ack_s !== undefined) facts += ' · ' + HF.t('consult.ack.after', HF.fmtDur(k.ack_s));
    if (k.arrive_s !== null && k.arrive_s !== undefined) facts += ' · ' + HF.t('consult.arrive.after', HF.fmtDur(k.arrive_s));
    if (k.late) facts += ' · ' + HF.t('consult.late');
    var where = k.where ? (HF.lang === 'en' ? k.where.text_en : k.where.text) : '';
    return HF.el('div', { class: 'item' + (k.late ? ' late' : '') + (open ? '' : ' closed'), 'data-ticket': k.ticket.id }, [
      HF.el('div', { class: 'num', text: k.ticket.number }),
      HF.el('div', {}, [HF.el('div', { text: facts }), HF.el('div', { class: 'where', text: where })]),
      HF.el('div', { class: 'acts' }, actions(dp, k)),
    ]);
  }

  function render() {
    var box = HF.clear($('departments'));
    if (!data) return;
    data.departments.forEach(function (dp) {
      var head = [HF.el('span', { text: HF.lang === 'en' && dp.name_en ? dp.name_en : dp.name }), HF.el('span', { class: 'spacer' })];
      if (dp.member) {
        head.push(HF.el('span', { class: 'pill', text: HF.t(dp.on_duty ? 'consult.onduty' : 'consult.offduty') }));
        head.push(button(dp.on_duty ? 'consult.gooff' : 'consult.goon', async function () {
          try { await api('POST', '/api/v1/consult-departments/' + encodeURIComponent(dp.id) + '/duty', { on: !dp.on_duty }); } catch (e) { HF.showError($('error'), e); }
          load();
        }));
      }
      var list = dp.consults.map(function (k) { return item(dp, k); });
      if (!list.length) list = [HF.el('p', { class: 'none', text: HF.t('consult.none') })];
      box.appendChild(HF.el('section', { class: 'dept', 'data-dept': dp.id }, [HF.el('h2', {}, head)].concat(list)));
    });
  }
  HF.onLang(render);

  try { await HF.loadNames(); } catch (e) { /* the page names services from the answer */ }
  desk.set(desk.me);
  // Lateness follows time alone: look again every half minute.
  setInterval(function () { if (me) load(); }, 30000);
  HF.live({
    snapshot: function () { refresh(); },
    event: function (m) {
      if (m.type.indexOf('consult.') === 0 || m.type === 'ticket.cancelled' || m.type === 'day.started') refresh();
    },
  });
});
