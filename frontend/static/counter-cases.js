'use strict';
// 收件登记 at the counter: while the clerk serves a 收件号, the case panel
// opens a case for an item of the hall's catalogue with the materials
// ticked as received. Materials missing, the clerk chooses: the
// 一次性告知单 (no case, every missing material listed, printed) or 容缺
// (the applicant's commitment and the working days to bring them). The
// opened case prints its 收件凭证 with the QR code of its status page. The
// hall decides whether a case can be opened here and now; the panel shows
// its answer and its words.
// It runs after counter.js, which started the page (HF.start): the window
// it reads comes with counter.js's 'hf:window' event.
(function () {
  var $ = function (x) { return document.getElementById(x); };
  var id = decodeURIComponent(location.pathname.split('/').pop());
  var session = null, current = '', catalogue = null, last = null;
  window.__hf.cases = function () { return { catalogue: catalogue, last: last }; };

  function token() { return session && session.token; }

  async function loadCatalogue() {
    if (catalogue || !token()) return;
    try {
      catalogue = await HF.api('GET', '/api/v1/case-catalogue', undefined, { token: token() });
      fillItems();
    } catch (e) { catalogue = null; }
  }

  function item() {
    var code = $('case-item').value;
    return catalogue && catalogue.items.filter(function (it) { return it.code === code; })[0];
  }

  function fillItems() {
    var sel = HF.clear($('case-item'));
    sel.appendChild(HF.el('option', { value: '', text: HF.t('cases.item.pick') }));
    (catalogue ? catalogue.items : []).forEach(function (it) {
      var kind = HF.t('cases.kind.' + it.kind) + (it.kind === 'promised' ? ' · ' + HF.t('cases.days', it.days) : '');
      sel.appendChild(HF.el('option', { value: it.code, text: HF.t('cases.item.kind', HF.name(it), kind) }));
    });
    fillMaterials();
  }

  function fillMaterials() {
    var box = $('case-materials');
    box.querySelectorAll('label').forEach(function (l) { l.remove(); });
    var it = item();
    (it ? it.materials : []).forEach(function (m) {
      box.appendChild(HF.el('label', {}, [HF.el('input', { type: 'checkbox', value: m.code, 'data-material': m.code }), ' ' + m.name]));
    });
    showMissing();
  }

  function missing() {
    var it = item();
    if (!it) return [];
    var ticked = {};
    $('case-materials').querySelectorAll('input:checked').forEach(function (c) { ticked[c.value] = true; });
    return it.materials.filter(function (m) { return !ticked[m.code]; });
  }

  function choice() {
    var c = document.querySelector('input[name="case-missing"]:checked');
    return c ? c.value : 'refuse';
  }

  function showMissing() {
    var miss = missing();
    $('case-missing').hidden = miss.length === 0;
    $('case-missing-list').textContent = HF.t('cases.missing', miss.map(function (m) { return m.name; }).join(HF.t('list.sep')));
    $('case-tolerate').hidden = choice() !== 'tolerate';
    // 免跑腿信封: how each missing material comes, an upload or by post.
    var env = $('case-envelope');
    env.hidden = choice() !== 'envelope';
    var ways = {};
    env.querySelectorAll('select').forEach(function (s) { ways[s.getAttribute('data-material')] = s.value; });
    HF.clear(env);
    miss.forEach(function (m) {
      var sel = HF.el('select', { 'data-material': m.code, 'aria-label': m.name }, ['upload', 'post'].map(function (w) {
        return HF.el('option', { value: w, text: HF.t('env.way.' + w) });
      }));
      sel.value = ways[m.code] || 'upload';
      env.appendChild(HF.el('label', { class: 'choice' }, [m.name + ' ', sel]));
    });
  }

  // The hall says whether this window can open a case now.
  var asking = 0;
  async function ask() {
    if (!token()) { $('cases-panel').hidden = true; return; }
    var mine = ++asking;
    try {
      var r = await HF.api('GET', '/api/v1/windows/' + encodeURIComponent(id) + '/cases', undefined, { token: token() });
      if (mine !== asking) return;
      await loadCatalogue();
      var any = catalogue && catalogue.items.length > 0;
      $('cases-panel').hidden = !any;
      $('case-form').hidden = !r.can_open || !$('case-done').hidden;
      $('case-why').textContent = r.can_open ? '' : HF.errorText({ message: r.why.message, messageEN: r.why.message_en });
      handOver = r.hand_over || [];
      renderHandOver();
    } catch (e) { /* the next change of the window asks again */ }
  }

  document.addEventListener('hf:window', function (ev) {
    session = ev.detail.session;
    var w = ev.detail.window;
    var cur = w && w.current ? w.current.id : '';
    // A new citizen at the window: a fresh form.
    if (cur !== current) { current = cur; reset(); }
    ask();
    loadBatches();
  });

  function reset() {
    $('case-form').reset();
    $('case-done').hidden = true;
    HF.showError($('case-error'), null);
    fillMaterials();
  }

  $('case-item').addEventListener('change', fillMaterials);
  $('case-collect').addEventListener('change', function () { $('case-address-l').hidden = $('case-collect').value !== 'post'; });
  $('case-materials').addEventListener('change', showMissing);
  document.querySelectorAll('input[name="case-missing"]').forEach(function (r) { r.addEventListener('change', showMissing); });
  $('case-again').addEventListener('click', function () { reset(); ask(); });

  $('case-form').addEventListener('submit', async function (ev) {
    ev.preventDefault();
    var it = item();
    if (!it) { $('case-item').focus(); return; }
    var received = [];
    $('case-materials').querySelectorAll('input:checked').forEach(function (c) { received.push(c.value); });
    var body = { item: it.code, name: $('case-name').value, id_number: $('case-id').value, phone: $('case-phone').value,
      party: $('case-party').value, received: received, collect: $('case-collect').value };
    if (body.collect === 'post') body.address = $('case-address').value;
    if (missing().length) {
      body.missing = choice();
      if (body.missing === 'tolerate') { body.commitment = $('case-commitment').value; body.supply_days = parseInt($('case-days').value, 10) || 0; }
      if (body.missing === 'envelope') {
        body.envelope = { materials: [] };
        $('case-envelope').querySelectorAll('select').forEach(function (s) { body.envelope.materials.push({ code: s.getAttribute('data-material'), way: s.value }); });
      }
    }
    HF.showError($('case-error'), null);
    try {
      last = await HF.api('POST', '/api/v1/windows/' + encodeURIComponent(id) + '/cases', body, { token: token(), key: HF.key() });
      // The envelope's 告知单 prints what the applicant's page will say.
      if (last.case && last.case.envelope) last.envelope = (await HF.api('GET', '/api/v1/envelopes/' + encodeURIComponent(last.case.envelope.token))).envelope;
      done();
      loadBatches(); // its papers now wait for a batch
    } catch (e) {
      HF.showError($('case-error'), e);
    }
  });

  function hallName() {
    var h = HF.names.hall || {};
    return HF.lang === 'en' && h.name_en ? h.name_en : (h.name || '');
  }

  function names(list) { return list.map(function (m) { return m.name; }).join(HF.t('list.sep')) || '—'; }

  // done fills the printout of what the hall answered: the receipt of the
  // case opened, or the one-time notice of a refused intake.
  function done() {
    $('case-form').hidden = true;
    $('case-done').hidden = false;
    // With an envelope the receipt of what was received prints first, its
    // 告知单 on the next page.
    $('print-receipt').hidden = !last.case;
    $('print-notice').hidden = !last.notice;
    $('print-envelope').hidden = !last.envelope;
    if (last.envelope) {
      var e = last.envelope;
      $('pe-hall').textContent = hallName();
      $('pe-number').textContent = e.case.number;
      $('pe-item').textContent = HF.name(e.case.item);
      var list = HF.clear($('pe-materials'));
      e.materials.forEach(function (m) { list.appendChild(HF.el('li', { text: HF.t('cases.item.kind', m.name, HF.t('env.way.' + m.way)) })); });
      var posted = e.materials.some(function (m) { return m.way === 'post'; });
      $('pe-postage').textContent = posted ? HF.t('env.postage.' + e.postage) : '';
      $('pe-recipient').textContent = posted ? HF.t('env.recipient', e.recipient.name, e.recipient.phone, e.recipient.address) : '';
      $('pe-qr').src = '/qr?data=' + encodeURIComponent(location.origin + HF.under(last.case.envelope.path));
    }
    if (last.case) {
      var k = last.case;
      $('case-done-msg').textContent = HF.t(k.owed.length ? 'cases.opened.tolerated' : 'cases.opened', k.number);
      $('case-done-msg').setAttribute('data-number', k.number);
      $('pr-hall').textContent = hallName();
      $('pr-number').textContent = k.number;
      $('pr-item').textContent = HF.name(k.item);
      $('pr-dept').textContent = k.department.name;
      $('pr-name').textContent = k.name;
      $('pr-received').textContent = names(k.received);
      $('pr-owed-row').hidden = !k.owed.length;
      $('pr-owed').textContent = names(k.owed) + (k.supply_by ? ' · ' + HF.t('cases.supply.by', HF.fmtDateTime(k.supply_by)) : '');
      $('pr-at').textContent = HF.fmtDateTime(k.received_at);
      $('pr-deadline').textContent = HF.fmtDateTime(k.deadline);
      $('pr-clerk').textContent = (k.clerk_name || k.clerk) + ' · ' + HF.t('window.n', id);
      $('pr-qr').src = '/qr?data=' + encodeURIComponent(location.origin + HF.under(k.status_path));
    } else if (last.notice) {
      var n = last.notice;
      $('case-done-msg').textContent = HF.t('cases.noticed', n.missing.length);
      $('case-done-msg').removeAttribute('data-number');
      $('pn-hall').textContent = hallName();
      $('pn-item').textContent = HF.name(n.item);
      var ol = HF.clear($('pn-missing'));
      n.missing.forEach(function (m) { ol.appendChild(HF.el('li', { text: m.name })); });
      $('pn-at').textContent = HF.fmtDateTime(n.at);
      $('pn-window').textContent = n.window;
    }
  }
  $('case-print').addEventListener('click', function () { window.print(); });

  // A submission to an envelope this clerk issued: said here at once.
  document.addEventListener('hf:event', function (ev) {
    var m = ev.detail.message, me = ev.detail.session;
    // A case's step may change what waits for a batch or the output window.
    if (m.type.indexOf('case.') === 0) { loadBatches(); ask(); }
    if (m.type !== 'envelope.submitted' || !me || !m.data || m.data.clerk !== me.staff) return;
    $('env-notice').hidden = false;
    $('env-notice-text').textContent = HF.t('cases.env.submitted', HF.fmtTime(m.at));
  });

  // 出件: the results the 取件号 served here collects, each handed over
  // against the applicant's signature.
  var handOver = [], signed = {};
  function renderHandOver() {
    $('handover-panel').hidden = handOver.length === 0;
    var box = HF.clear($('handover-list'));
    handOver.forEach(function (k) {
      var sig = HF.el('input', { type: 'text', maxlength: '50', 'data-field': 'signature', placeholder: HF.t('cases.signature.ph'), value: signed[k.id] || '' });
      sig.addEventListener('input', function () { signed[k.id] = sig.value; });
      box.appendChild(HF.el('div', { class: 'handover', 'data-case': k.id }, [
        HF.el('b', { text: k.number }), ' ' + HF.name(k.item) + ' · ' + k.name + ' ',
        sig,
        HF.el('button', { type: 'button', class: 'btn primary', text: HF.t('cases.handover.go'), onclick: function () { deliver(k); } }),
      ]));
    });
  }
  async function deliver(k) {
    HF.showError($('handover-error'), null);
    try {
      await HF.api('POST', '/api/v1/cases/' + encodeURIComponent(k.id) + '/deliver', { channel: 'window', window: id, signature: signed[k.id] || '' },
        { token: token(), key: HF.key() });
      delete signed[k.id];
    } catch (e) {
      HF.showError($('handover-error'), e);
    }
    ask();
  }

  // 材料交接: each department's paper materials waiting for a batch, sent
  // from here; the department signs for the batch on its own page.
  var loadBatches = HF.debounce(async function () {
    if (!token()) return;
    try {
      var r = await HF.api('GET', '/api/v1/handover', undefined, { token: token() });
      renderBatches(r);
    } catch (e) { /* asked again at the next change */ }
  }, 300);
  function renderBatches(r) {
    var depts = r.departments.filter(function (d) { return d.pending.length > 0; });
    $('batch-panel').hidden = depts.length === 0;
    var box = HF.clear($('batch-list'));
    depts.forEach(function (d) {
      var late = d.pending.some(function (p) { return p.late; });
      box.appendChild(HF.el('div', { class: 'batch' + (late ? ' late' : ''), 'data-dept': d.code }, [
        HF.el('b', { text: d.name }), ' ' + HF.t('cases.batch.pending', d.pending.length, d.pending[0].handover_by) + ' ',
        HF.el('button', { type: 'button', class: 'btn', text: HF.t('cases.batch.send'), onclick: function () { sendBatch(d.code); } }),
      ]));
    });
  }
  async function sendBatch(dept) {
    HF.showError($('batch-error'), null);
    $('batch-msg').textContent = '';
    try {
      var r = await HF.api('POST', '/api/v1/handover/' + encodeURIComponent(dept), {}, { token: token(), key: HF.key() });
      $('batch-msg').textContent = HF.t('cases.batch.sent', r.batch.number, r.batch.cases.length);
    } catch (e) {
      HF.showError($('batch-error'), e);
    }
    loadBatches();
  }
  setInterval(function () { if (token()) { loadBatches(); ask(); } }, 30000);
  HF.onLang(function () { fillItems(); if (last && !$('case-done').hidden) done(); });
})();
