'use strict';
// The dashboard's panel of 免跑腿信封: envelopes whose materials are still
// owed, submissions waiting for the clerks' review and those waiting past
// the hall's setting, and today's passes and rejections, as the hall
// counts them. It runs after dashboard.js, which signs the manager in and
// passes on the live stream ('hf:manager', 'hf:event'); the panel shows
// only in a hall with an item catalogue, where envelopes can be issued.
(function () {
  var $ = function (x) { return document.getElementById(x); };
  var mgr = null, load = null;
  try { mgr = JSON.parse(sessionStorage.getItem('hf.manager') || 'null'); } catch (e) { mgr = null; }
  window.__hf.envelopeLoad = function () { return load; };

  function render() {
    $('p-envelopes').hidden = !mgr || !load;
    if (!load) return;
    $('env-late-label').textContent = HF.t('dash.envs.late', load.review_within_minutes);
    $('env-late-box').className = load.late ? 'bad' : '';
    ['open', 'waiting', 'late', 'passed_today', 'rejected_today'].forEach(function (k) {
      $('env-' + k).textContent = String(load[k] || 0);
    });
  }

  var refresh = HF.debounce(async function () {
    if (!mgr) { load = null; render(); return; }
    try {
      load = (await HF.api('GET', '/api/v1/envelopes/load', undefined, { token: mgr.token })).load;
    } catch (e) { load = null; }
    render();
  }, 400);

  document.addEventListener('hf:manager', function (ev) { mgr = ev.detail; refresh(); });
  document.addEventListener('hf:event', function (ev) {
    var t = ev.detail.type || '';
    if (t.indexOf('envelope.') === 0 || t.indexOf('case.') === 0) refresh();
  });
  // A submission grows late with time alone.
  setInterval(refresh, 60000);
  HF.onLang(render);
  refresh();
})();
