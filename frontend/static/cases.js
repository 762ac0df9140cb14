'use strict';
// The department's back office (后台审批): the cases of the departments the
// signed-in member decides for (every department, for a manager, who reads
// but does not decide), by the earliest deadline, each with the steps its
// state allows: 受理, 补正通知 (the materials asked for, within 5 working
// days of the receipt), 准予 then the result made, or 不予受理 / 不予许可
// with the written reason. The hall decides who may take which step; a
// refusal is shown in the server's words, and the page is redrawn from the
// hall's answer after every step and every case event.
HF.start(async function () {
  var $ = function (id) { return document.getElementById(id); };
  var data = null, drawn = '';
  // typed keeps what a member typed (a reason, a note, ticked materials)
  // across redraws brought by other cases' events.
  var typed = {};
  window.__hf.cases = function () { return data; };

  var me = null;
  var desk = HF.deskSignIn('hf.cases', function (m) {
    me = m;
    data = null;
    drawn = '';
    if (me) load();
  });
  var api = desk.api;

  async function load() {
    if (!me) return;
    try {
      var d = await api('GET', '/api/v1/cases' + ($('show-closed').checked ? '?closed=1' : ''));
      data = d;
      // A step's refusal stays until the next step: reading again is no
      // answer to it.
      var sig = JSON.stringify(d);
      if (sig !== drawn) { drawn = sig; render(); }
    } catch (e) {
      // A clerk decides for no department: the page is their search.
      if (e.reason === 'case_department_only') { data = { departments: [] }; render(); return; }
      if (e.status !== 401) HF.showError($('error'), e);
    }
  }
  var refresh = HF.debounce(load, 200);

  // The search: an 18-character ID number, a mobile number, or else a
  // case number; the hall finds what this member may read.
  var found = null;
  $('search').addEventListener('submit', async function (ev) {
    ev.preventDefault();
    var q = $('q').value.trim().toUpperCase();
    if (!q) { found = null; render(); return; }
    var key = /^[0-9]{17}[0-9X]$/.test(q) ? 'id_number' : /^1[0-9]{10}$/.test(q) ? 'phone' : 'number';
    try {
      found = (await api('GET', '/api/v1/case-search?' + key + '=' + encodeURIComponent(q))).cases;
      HF.showError($('error'), null);
    } catch (e) {
      found = null;
      HF.showError($('error'), e);
    }
    render();
  });

  async function step(k, name, body) {
    try {
      await api('POST', '/api/v1/cases/' + encodeURIComponent(k.id) + '/' + name, body || {});
      delete typed[k.id];
      HF.showError($('error'), null);
    } catch (e) {
      HF.showError($('error'), e);
    }
    load();
  }

  function button(key, fn, cls) {
    return HF.el('button', { type: 'button', class: 'btn' + (cls ? ' ' + cls : ''), text: HF.t(key), 'data-step': key, onclick: fn });
  }

  function memo(k) { return typed[k.id] || (typed[k.id] = { text: '', materials: {} }); }

  // actions are the steps a case's state allows; whether this member may
  // take them is the hall's to say when asked.
  function actions(k) {
    var out = [], t = memo(k);
    if (k.status === 'posted') out.push(button('cases.receipt.record', function () { step(k, 'receipt'); }));
    if (!k.decides) return out; // the hall says this member takes no department step on it
    var deciding = k.status === 'received' || k.status === 'supplement';
    if (deciding || k.status === 'accepted') {
      var text = HF.el('input', { type: 'text', maxlength: '500', 'data-field': 'text', placeholder: HF.t('cases.text.ph'), value: t.text });
      text.addEventListener('input', function () { t.text = text.value; });
      out.push(text);
    }
    if (deciding) {
      out.push(button('cases.accept', function () { step(k, 'accept'); }, 'primary'));
      k.materials.forEach(function (m) {
        var c = HF.el('input', { type: 'checkbox', value: m.code, 'data-material': m.code });
        c.checked = !!t.materials[m.code];
        c.addEventListener('change', function () { t.materials[m.code] = c.checked; });
        out.push(HF.el('label', {}, [c, m.name]));
      });
      out.push(button('cases.supplement', function () {
        step(k, 'supplement', { materials: Object.keys(t.materials).filter(function (c) { return t.materials[c]; }), note: t.text });
      }));
      out.push(button('cases.refuse.accept', function () { step(k, 'refuse', { reason: t.text }); }, 'warn'));
    }
    if (k.status === 'accepted') {
      out.push(button('cases.approve', function () { step(k, 'approve'); }, 'primary'));
      out.push(button('cases.refuse.permit', function () { step(k, 'refuse', { reason: t.text }); }, 'warn'));
    }
    if (k.status === 'approved') out.push(button('cases.ready', function () { step(k, 'ready'); }, 'primary'));
    return out;
  }

  // opinionRow is another department's joint case (联办) waiting for this
  // one's opinion: agree, or disagree with the words why.
  function opinionRow(d, k) {
    var t = memo(k);
    var text = HF.el('input', { type: 'text', maxlength: '500', 'data-field': 'text', placeholder: HF.t('cases.opinion.ph'), value: t.text });
    text.addEventListener('input', function () { t.text = text.value; });
    var mine = k.opinions.filter(function (o) { return o.department === d.id; })[0];
    return HF.el('div', { class: 'case' + (mine && mine.overdue ? ' overdue' : ''), 'data-opinion': k.id }, [
      HF.el('div', {}, [HF.el('div', { class: 'num', text: k.number }),
        HF.el('div', { class: 'due', text: mine ? HF.t('cases.due', HF.fmtDateTime(mine.due)) : '' })]),
      HF.el('div', { class: 'facts', text: HF.name(k.item) + ' · ' + k.department.name + ' · ' + k.name }),
      HF.el('div', { class: 'acts' }, [text,
        button('cases.opinion.agree', function () { step(k, 'opinion', { agree: true, text: t.text }); }, 'primary'),
        button('cases.opinion.disagree', function () { step(k, 'opinion', { agree: false, text: t.text }); }, 'warn')]),
    ]);
  }

  // batchRow is a 材料交接表 sent to the department, to sign for once the
  // papers are in hand.
  async function sign(b) {
    try {
      await api('POST', '/api/v1/batches/' + encodeURIComponent(b.id) + '/sign', {});
      HF.showError($('error'), null);
    } catch (e) {
      HF.showError($('error'), e);
    }
    load();
  }
  function batchRow(b) {
    return HF.el('div', { class: 'case' + (b.late ? ' overdue' : ''), 'data-batch': b.id }, [
      HF.el('div', {}, [HF.el('div', { class: 'num', text: b.number }), HF.el('div', { class: 'due', text: b.sent_at })]),
      HF.el('div', { class: 'facts', text: HF.t('cases.batch.holds', b.cases.length, b.cases.map(function (c) { return c.number; }).join(HF.t('list.sep')),
        b.sent_by_name || b.sent_by) }),
      HF.el('div', { class: 'acts' }, b.member ? [button('cases.batch.sign', function () { sign(b); }, 'primary')] : []),
    ]);
  }

  function facts(k) {
    var f = [HF.name(k.item), k.name, HF.t('cases.status.' + k.status)];
    k.opinions.forEach(function (o) {
      var said = HF.t(o.given ? (o.agree ? 'cases.opinion.agreed' : 'cases.opinion.disagreed') : 'cases.opinion.waiting', o.name);
      f.push(o.text ? HF.t('cases.opinion.with', said, o.text) : said);
    });
    f.push(HF.t('cases.received.at', HF.fmtDateTime(k.received_at)));
    if (k.owed.length) f.push(HF.t('cases.owes', k.owed.map(function (m) { return m.name; }).join(HF.t('list.sep'))));
    if (k.reason) f.push(HF.t('cases.reason', k.reason));
    return f.join(' · ');
  }

  function timeline(k) {
    return HF.el('details', {}, [HF.el('summary', { text: HF.t('cases.timeline') }),
      HF.el('ul', {}, k.timeline.map(function (p) {
        return HF.el('li', { text: HF.fmtDateTime(p.at) + ' ' + HF.t('cases.step.' + p.type) + (p.staff ? ' · ' + (p.staff_name || p.staff) : '') });
      }))]);
  }

  function row(k) {
    return HF.el('div', { class: 'case' + (k.overdue ? ' overdue' : '') + (k.status === 'closed' ? ' closed' : ''), 'data-case': k.id, 'data-status': k.status }, [
      HF.el('div', {}, [HF.el('div', { class: 'num', text: k.number }),
        HF.el('div', { class: 'due', text: HF.t(k.overdue ? 'cases.overdue' : 'cases.due', HF.fmtDateTime(k.deadline)) })]),
      HF.el('div', { class: 'facts', text: facts(k) }),
      HF.el('div', { class: 'acts' }, actions(k)),
      timeline(k),
    ]);
  }

  function render() {
    var hits = HF.clear($('found'));
    if (found) {
      var list = found.map(row);
      if (!list.length) list = [HF.el('p', { class: 'none', text: HF.t('cases.search.none') })];
      hits.appendChild(HF.el('section', { class: 'dept', id: 'found-list' }, [HF.el('h2', { text: HF.t('cases.search.found', found.length) })].concat(list)));
    }
    var box = HF.clear($('departments'));
    if (!data) return;
    data.departments.forEach(function (d) {
      var parts = [HF.el('h2', { text: d.name })];
      if (d.batches.length) parts.push(HF.el('h3', { text: HF.t('cases.batches') }));
      parts = parts.concat(d.batches.map(batchRow));
      if (d.opinions.length) parts.push(HF.el('h3', { text: HF.t('cases.opinions') }));
      parts = parts.concat(d.opinions.map(function (k) { return opinionRow(d, k); }));
      if (d.batches.length || d.opinions.length) parts.push(HF.el('h3', { text: HF.t('cases.own') }));
      var list = d.cases.map(row);
      if (!list.length) list = [HF.el('p', { class: 'none', text: HF.t('cases.none') })];
      box.appendChild(HF.el('section', { class: 'dept', 'data-dept': d.id }, parts.concat(list)));
    });
  }
  HF.onLang(render);
  $('show-closed').addEventListener('change', load);

  desk.set(desk.me);
  // Deadlines pass with time alone: look again every minute.
  setInterval(function () { if (me) load(); }, 60000);
  HF.live({
    snapshot: function () { refresh(); },
    event: function (m) { if (m.type.indexOf('case.') === 0) refresh(); },
  });
});
