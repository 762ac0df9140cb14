'use strict';
// The clerks' review of 免跑腿信封 submissions (/envelopes): envelopes with
// submissions waiting first, each submission's files shown inline (images
// as pictures, PDFs to open) — fetched with the clerk's sign-in, since the
// hall serves an applicant's file only to staff who may read the case — to
// pass, or reject with the reason the applicant is sent; for paper by post,
// the post's states as they happen. The hall decides; the page shows.
HF.start(async function () {
  var $ = function (id) { return document.getElementById(id); };
  var data = null, drawn = '';
  var reasons = {}; // typed rejection reasons, kept across redraws
  var blobs = {};   // file URL → object URL of the bytes fetched once
  window.__hf.envelopes = function () { return data; };

  var me = null;
  var desk = HF.deskSignIn('hf.envelopes', function (m) {
    me = m;
    data = null;
    drawn = '';
    if (me) load();
  });
  var api = desk.api;

  async function load() {
    if (!me) return;
    try {
      var d = await api('GET', '/api/v1/envelopes' + ($('show-all').checked ? '?all=1' : ''));
      data = d;
      // A step's refusal stays until the next step: reading again is no
      // answer to it.
      var sig = JSON.stringify(d);
      if (sig !== drawn) { drawn = sig; render(); }
    } catch (e) {
      if (e.status !== 401) HF.showError($('error'), e);
    }
  }
  var refresh = HF.debounce(load, 200);

  // fileView fetches an upload with the sign-in and shows it: a picture
  // inline, a PDF as a link that opens it.
  function fileView(f) {
    var box = HF.el('div', { class: 'file', 'data-hash': f.hash }, [HF.el('span', { class: 'note', text: f.name + ' · ' + Math.ceil(f.size / 1024) + ' KB' })]);
    var show = function (u) {
      if (f.type.indexOf('image/') === 0) box.insertBefore(HF.el('img', { src: u, alt: f.name }), box.firstChild);
      else box.insertBefore(HF.el('a', { href: u, target: '_blank', rel: 'noopener', text: HF.t('envs.open.pdf') }), box.firstChild);
    };
    if (blobs[f.url]) { show(blobs[f.url]); return box; }
    fetch(f.url, { headers: { Authorization: 'Bearer ' + me.token } }).then(function (res) {
      if (!res.ok) throw new Error(String(res.status));
      return res.blob();
    }).then(function (b) {
      blobs[f.url] = URL.createObjectURL(b);
      show(blobs[f.url]);
    }).catch(function () { box.appendChild(HF.el('span', { class: 'error', text: HF.t('envs.file.failed') })); });
    return box;
  }

  async function review(e, sb, pass) {
    try {
      await api('POST', '/api/v1/envelopes/' + encodeURIComponent(e.id) + '/submissions/' + encodeURIComponent(sb.id) + '/review',
        { pass: pass, reason: pass ? '' : (reasons[sb.id] || '') });
      delete reasons[sb.id];
      HF.showError($('error'), null);
    } catch (err) {
      HF.showError($('error'), err);
    }
    load();
  }

  async function track(e, m, state) {
    try {
      await api('POST', '/api/v1/envelopes/' + encodeURIComponent(e.id) + '/logistics', { material: m.code, state: state });
      HF.showError($('error'), null);
    } catch (err) {
      HF.showError($('error'), err);
    }
    load();
  }

  function button(key, fn, cls) {
    return HF.el('button', { type: 'button', class: 'btn' + (cls ? ' ' + cls : ''), text: HF.t(key), onclick: fn });
  }

  function submission(e, sb) {
    var parts = [HF.el('div', {}, [HF.el('b', { text: sb.material_name }), ' · ' + HF.t('env.way.' + sb.way) + ' · ' + HF.fmtDateTime(sb.at) + ' · ',
      HF.el('span', { class: 'state', text: HF.t('envs.state.' + sb.state) }), sb.late ? ' · ' + HF.t('envs.late') : '']),
      HF.el('div', { class: 'files' }, sb.files.map(fileView))];
    if (sb.reason) parts.push(HF.el('div', { class: 'note', text: HF.t('env.rejected', sb.reason) }));
    if (sb.state === 'pending') {
      var why = HF.el('input', { type: 'text', maxlength: '200', 'data-field': 'reason', placeholder: HF.t('envs.reason.ph'), value: reasons[sb.id] || '' });
      why.addEventListener('input', function () { reasons[sb.id] = why.value; });
      parts.push(HF.el('div', { class: 'acts' }, [button('envs.pass', function () { review(e, sb, true); }, 'primary'), why,
        button('envs.reject', function () { review(e, sb, false); }, 'warn')]));
    }
    return HF.el('div', { class: 'sub ' + sb.state, 'data-submission': sb.id }, parts);
  }

  // The post's next state, once its photos passed and the courier is on
  // the way: picked up, in transit, arrived.
  var NEXT = { passed: 'picked_up', picked_up: 'in_transit', in_transit: 'arrived' };
  function postActs(e) {
    var out = [];
    e.materials.forEach(function (m) {
      if (m.way === 'post' && NEXT[m.status] && e.courier) {
        out.push(button('envs.track.' + NEXT[m.status], function () { track(e, m, NEXT[m.status]); }));
      }
    });
    return out;
  }

  function render() {
    var box = HF.clear($('list'));
    if (!data) return;
    if (!data.envelopes.length) box.appendChild(HF.el('p', { class: 'none', text: HF.t('envs.none') }));
    data.envelopes.forEach(function (e) {
      var head = HF.t('envs.head', e.case.number, HF.name(e.case.item), e.case.name, e.case.window || '', e.case.clerk_name || e.case.clerk || '');
      var owed = e.materials.map(function (m) { return HF.t('cases.item.kind', m.name, HF.t('env.status.' + m.status)); }).join(HF.t('list.sep'));
      var parts = [HF.el('h2', { text: head }), HF.el('p', { class: 'note', text: owed })];
      if (e.courier) parts.push(HF.el('p', { text: HF.t('envs.courier', e.courier.name, e.courier.phone, e.courier.address, HF.fmtDateTime(e.courier.pickup_at)) }));
      parts.push(HF.el('div', { class: 'acts' }, postActs(e)));
      e.submissions.slice().reverse().forEach(function (sb) { parts.push(submission(e, sb)); });
      box.appendChild(HF.el('section', { class: 'env', 'data-envelope': e.id }, parts));
    });
  }
  HF.onLang(render);
  $('show-all').addEventListener('change', load);

  desk.set(desk.me);
  // A submission waiting too long is the hall's to say, with time alone.
  setInterval(function () { if (me) load(); }, 60000);
  HF.live({
    snapshot: function () { refresh(); },
    event: function (m) { if (m.type.indexOf('envelope.') === 0) refresh(); },
  });
});
