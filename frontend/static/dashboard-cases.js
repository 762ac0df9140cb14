'use strict';
// The dashboard's panel of cases (办件): each department's open cases by
// status, those past their promised deadline, 容缺 materials past due, and
// what was closed today, as the hall counts them. It runs after
// dashboard.js, which started the page, signs the manager in and passes on
// the live stream ('hf:manager', 'hf:event'); the panel shows only where
// the hall has departments deciding cases.
(function () {
  var $ = function (x) { return document.getElementById(x); };
  var mgr = null, loads = null;
  try { mgr = JSON.parse(sessionStorage.getItem('hf.manager') || 'null'); } catch (e) { mgr = null; }
  window.__hf.caseLoads = function () { return loads; };

  function cell(n, warn) { return HF.el('td', { class: 'n' + (warn && n ? ' bad' : ''), text: String(n || 0) }); }

  function render() {
    $('p-cases').hidden = !mgr || !loads || loads.length === 0;
    var tb = HF.clear($('case-loads'));
    (loads || []).forEach(function (l) {
      tb.appendChild(HF.el('tr', { 'data-dept': l.department }, [
        HF.el('td', { text: l.name }), cell(l.open.received), cell(l.open.supplement), cell(l.open.accepted),
        cell(l.open.approved), cell(l.open.ready), cell(l.overdue, true), cell(l.owed_late, true), cell(l.unsigned_batches, true), cell(l.closed_today),
      ]));
    });
  }

  var load = HF.debounce(async function () {
    if (!mgr) { loads = null; render(); return; }
    try {
      loads = (await HF.api('GET', '/api/v1/cases/load', undefined, { token: mgr.token })).departments;
    } catch (e) { loads = null; }
    render();
  }, 400);

  document.addEventListener('hf:manager', function (ev) { mgr = ev.detail; load(); });
  document.addEventListener('hf:event', function (ev) { if ((ev.detail.type || '').indexOf('case.') === 0) load(); });
  // Deadlines pass with time alone.
  setInterval(load, 60000);
  HF.onLang(render);
  load();
})();
