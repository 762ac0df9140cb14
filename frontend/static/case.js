'use strict';
// The applicant's page of a case (办件进度): reached from the 收件凭证's QR
// code (/c/{id}) or, without it, by the case number and the phone given at
// intake (/c). Where the case is, what is still owed and by when, and its
// steps; the hall words the state, the page only shows it, and reads the
// case again when a case event comes.
HF.start(async function () {
  var $ = function (id) { return document.getElementById(id); };
  var parts = location.pathname.split('/');
  var id = parts.length > 2 ? decodeURIComponent(parts[2]) : '';
  var k = null;
  window.__hf.caseStatus = function () { return k; };

  function render() {
    $('case').hidden = !k;
    $('lookup').hidden = !!k || !!id;
    if (!k) return;
    $('c-number').textContent = k.number;
    $('c-status').className = 'pill ' + k.status;
    $('c-status').textContent = HF.t('cases.status.' + k.status);
    $('c-where').textContent = HF.t('case.where.' + k.status);
    $('c-item').textContent = HF.name(k.item);
    $('c-dept').textContent = k.department;
    $('c-name').textContent = k.name;
    $('c-received').textContent = HF.fmtDateTime(k.received_at);
    $('c-deadline').textContent = HF.fmtDateTime(k.deadline);
    var owed = k.owed.map(function (m) { return m.name; }).join(HF.t('list.sep'));
    $('c-owed-t').hidden = $('c-owed').hidden = !owed;
    $('c-owed').textContent = owed + (k.supply_by ? ' · ' + HF.t('cases.supply.by', HF.fmtDateTime(k.supply_by)) : '');
    if (k.reason) $('c-where').textContent += ' ' + HF.t('cases.reason', k.reason);
    $('c-collect').textContent = k.collect ? HF.t('case.collect.chosen', HF.t('cases.collect.' + k.collect)) : '';
    $('choose').hidden = !k.choosable;
    var ol = HF.clear($('c-timeline'));
    k.timeline.forEach(function (p) { ol.appendChild(HF.el('li', { text: HF.fmtDateTime(p.at) + ' ' + HF.t('cases.step.' + p.type) })); });
  }
  HF.onLang(render);

  async function load() {
    if (!id) { render(); return; }
    try {
      k = (await HF.api('GET', '/api/v1/case-status/' + encodeURIComponent(id))).case;
      HF.showError($('error'), null);
    } catch (e) {
      HF.showError($('error'), e);
    }
    render();
  }

  $('lookup').addEventListener('submit', async function (ev) {
    ev.preventDefault();
    try {
      k = (await HF.api('POST', '/api/v1/case-status', { number: $('lk-number').value, phone: $('lk-phone').value })).case;
      id = k.id;
      history.replaceState(null, '', '/c/' + encodeURIComponent(id));
      HF.showError($('lookup-error'), null);
    } catch (e) {
      HF.showError($('lookup-error'), e);
    }
    render();
  });

  $('ch-channel').addEventListener('change', function () { $('ch-address-l').hidden = $('ch-channel').value !== 'post'; });
  $('choose').addEventListener('submit', async function (ev) {
    ev.preventDefault();
    var body = { id_number: $('ch-id').value.trim().toUpperCase(), channel: $('ch-channel').value };
    if (body.channel === 'post') body.address = $('ch-address').value;
    try {
      k = (await HF.api('POST', '/api/v1/case-status/' + encodeURIComponent(id) + '/collection', body, { key: HF.key() })).case;
      $('ch-id').value = '';
      HF.showError($('choose-error'), null);
    } catch (e) {
      HF.showError($('choose-error'), e);
    }
    render();
  });

  await load();
  HF.live({
    snapshot: function () { if (id) load(); },
    event: function (m) { if (id && m.type.indexOf('case.') === 0) load(); },
  });
});
