'use strict';
// The screen over one window: its number and name, the number it serves,
// the clerk (masked name, staff number) or why it is not serving.
HF.start(async function () {
  var id = decodeURIComponent(location.pathname.split('/').pop());
  var w = null;
  window.__hf.window = function () { return w; };
  document.getElementById('win-id').textContent = id;
  document.title = HF.t('window.n', id) + ' · hallfloor';

  function render() {
    document.getElementById('win-name').textContent = HF.windowName(id);
    var cur = document.getElementById('current');
    var serving = !!(w && w.current);
    var state = w ? w.state : 'closed';
    cur.className = 'current ' + state;
    document.getElementById('cur-label').hidden = !serving;
    var num = document.getElementById('cur-number');
    num.hidden = !serving;
    num.textContent = serving ? w.current.number : '';
    document.getElementById('cur-state').textContent = serving ? '' : HF.t('state.' + state);
    document.getElementById('cur-reason').textContent = w && state === 'paused' ? w.pause_reason || '' : '';
    // 延时服务中: the server's notice; in English our own words.
    var notice = document.getElementById('notice');
    notice.hidden = !(w && w.overtime);
    notice.textContent = w && w.overtime ? (HF.lang === 'en' || !w.notice ? HF.t('state.overtime') : w.notice) : '';
    var clerk = HF.clear(document.getElementById('clerk'));
    if (w && w.clerk && state !== 'closed') {
      clerk.appendChild(document.createTextNode(HF.t('win.clerk') + ' '));
      clerk.appendChild(HF.el('b', { text: w.clerk.name || '' }));
      clerk.appendChild(document.createTextNode('  ' + HF.t('win.staffno') + ' '));
      clerk.appendChild(HF.el('b', { text: w.clerk.staff }));
    }
  }
  HF.onLang(render);

  function flash() {
    var el = document.getElementById('current');
    el.classList.remove('flash');
    void el.offsetWidth;
    el.classList.add('flash');
  }

  try { await HF.loadNames(); } catch (e) { /* names are a nicety; the live view still works */ }
  render();
  HF.live({
    snapshot: function (h) {
      w = null;
      (h.windows || []).forEach(function (v) { if (v.id === id) w = v; });
      render();
    },
    event: function (m) {
      if (!m.window || m.window.id !== id) return;
      w = m.window;
      render();
      if ((m.type === 'ticket.called' || m.type === 'ticket.recalled') && HF.since(m.at) < 60) flash();
    },
  });
});
