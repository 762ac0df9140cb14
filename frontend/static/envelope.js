'use strict';
// The applicant's 免跑腿信封 (/e/{token}, the 告知单's QR code): each
// material still owed, how it comes (an upload, or paper by post after its
// photos are pre-reviewed), where it stands and, when rejected, the clerk's
// reason; an upload with its progress; for paper, the courier booked to the
// hall's fixed recipient and the post's states. The hall decides every
// step and words every refusal; the page shows them.
HF.start(async function () {
  var $ = function (id) { return document.getElementById(id); };
  var token = decodeURIComponent(location.pathname.split('/').pop());
  var v = null, busy = false, loading = 0;
  window.__hf.envelope = function () { return { envelope: v, busy: busy, loading: loading }; };

  function api(method, path, body) {
    return HF.api(method, '/api/v1/envelopes/' + encodeURIComponent(token) + path, body, method === 'POST' ? { key: HF.key() } : undefined);
  }

  function mb(n) { return (n / 1048576).toFixed(n % 1048576 ? 1 : 0); }

  // upload sends the chosen files of a material as one submission, with
  // its progress; the answer is the envelope as it now is.
  function upload(m, input, bar, err) {
    if (!input.files.length) { input.focus(); return; }
    var form = new FormData();
    form.append('material', m.code);
    Array.prototype.forEach.call(input.files, function (f) { form.append('file', f, f.name); });
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/envelopes/' + encodeURIComponent(token) + '/uploads');
    xhr.setRequestHeader('Idempotency-Key', HF.key());
    bar.hidden = false;
    bar.value = 0;
    busy = true;
    xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = e.loaded / e.total; };
    xhr.onload = function () {
      busy = false;
      var data = null;
      try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
      if (xhr.status >= 200 && xhr.status < 300 && data) {
        v = data.envelope;
        HF.showError($('error'), null);
        render();
        return;
      }
      bar.hidden = true;
      var er = (data && data.error) || {};
      HF.showError(err, { message: er.message, messageEN: er.message_en, code: er.code });
    };
    xhr.onerror = function () { busy = false; bar.hidden = true; HF.showError(err, 'err.network'); };
    xhr.send(form);
  }

  function materialRow(m) {
    var parts = [HF.el('h3', { text: m.name }),
      HF.el('div', {}, [HF.el('span', { text: HF.t('env.way.' + m.way) + ' · ' }), HF.el('span', { class: 'state', text: HF.t('env.status.' + m.status) })])];
    if (m.status === 'rejected' && m.reason) parts.push(HF.el('p', { class: 'reason', text: HF.t('env.rejected', m.reason) }));
    m.track.forEach(function (t) { parts.push(HF.el('div', { class: 'note', text: HF.fmtDateTime(t.at) + ' ' + HF.t('env.status.' + t.state) })); });
    if (m.status === 'owed' || m.status === 'rejected') {
      var input = HF.el('input', { type: 'file', multiple: 'multiple', accept: (v.limits ? v.limits.types : []).join(','), 'data-material': m.code });
      var bar = HF.el('progress', { max: '1', value: '0' });
      bar.hidden = true;
      var err = HF.el('p', { class: 'error', role: 'alert' });
      var go = HF.el('button', { type: 'submit', class: 'btn primary', text: HF.t(m.way === 'post' ? 'env.upload.photos' : 'env.upload') });
      var form = HF.el('form', {}, [input, bar, err, go]);
      form.addEventListener('submit', function (ev) { ev.preventDefault(); upload(m, input, bar, err); });
      parts.push(form);
    }
    return HF.el('div', { class: 'material ' + m.status, 'data-material': m.code, 'data-status': m.status }, parts);
  }

  function render() {
    $('env').hidden = !v;
    if (!v) return;
    $('e-number').textContent = v.case.number;
    $('e-status').textContent = HF.t(v.open ? 'env.open' : 'env.done');
    $('e-item').textContent = HF.name(v.case.item) + ' · ' + v.case.name;
    $('e-where').textContent = HF.t(v.pending ? 'env.where.pending' : v.open ? 'env.where.owed' : 'env.where.done');
    $('e-limits').textContent = v.limits ? HF.t('env.limits', mb(v.limits.max_bytes), v.limits.max_files) : '';
    // Files chosen but not yet sent survive a redraw (a reconnect, another
    // material's news), as long as their material still asks for them.
    var chosen = {};
    document.querySelectorAll('#materials input[type=file]').forEach(function (i) { if (i.files.length) chosen[i.getAttribute('data-material')] = i.files; });
    var box = HF.clear($('materials'));
    v.materials.forEach(function (m) { box.appendChild(materialRow(m)); });
    box.querySelectorAll('input[type=file]').forEach(function (i) { var f = chosen[i.getAttribute('data-material')]; if (f) i.files = f; });
    var posts = v.materials.filter(function (m) { return m.way === 'post'; });
    $('post').hidden = posts.length === 0;
    $('e-postage').textContent = HF.t('env.postage.' + v.postage);
    $('e-recipient').textContent = HF.t('env.recipient', v.recipient.name, v.recipient.phone, v.recipient.address);
    // The courier is booked once the paper's photos have passed.
    $('courier').hidden = !!v.courier || !posts.some(function (m) { return m.status === 'passed'; });
    $('e-courier').textContent = v.courier ? HF.t('env.courier.booked', HF.fmtDateTime(v.courier.pickup_at), v.courier.address) : '';
  }
  HF.onLang(render);

  $('courier').addEventListener('submit', async function (ev) {
    ev.preventDefault();
    try {
      v = (await api('POST', '/courier', { name: $('c-name').value, phone: $('c-phone').value, pickup_address: $('c-address').value,
        pickup_at: $('c-at').value })).envelope;
      HF.showError($('courier-error'), null);
    } catch (e) {
      HF.showError($('courier-error'), e);
    }
    render();
  });

  async function load() {
    if (busy) return;
    loading++;
    try {
      v = (await api('GET', '')).envelope;
      HF.showError($('error'), null);
    } catch (e) {
      HF.showError($('error'), e);
    } finally { loading--; }
    render();
  }
  await load();
  HF.live({
    snapshot: function () { load(); },
    event: function (m) { if (m.type.indexOf('envelope.') === 0) load(); },
  });
});
