'use strict';
// The devices page's bench of the demo's fake slip printers (escposim,
// inside the server): each kiosk's printer with the faults its status is
// given, how many slips it printed and the last one as the paper would come
// out. For the manager signed in on this page (its sign-in in
// sessionStorage), as the simulated pins are.
(function () {
  var FAULTS = ['paper_out', 'paper_low', 'cover_open', 'offline'];
  var box = document.getElementById('sim-printers');
  var grid = document.getElementById('printers');
  var drawn = {}; // kiosk → the slip count last drawn

  function token() {
    try { var m = JSON.parse(sessionStorage.getItem('hf.manager') || 'null'); return m && m.token; } catch (e) { return null; }
  }

  function card(p) {
    var c = HF.el('div', { class: 'card', 'data-printer': p.kiosk }, [
      HF.el('h3', { text: HF.t('devices.printer', p.kiosk) }),
      HF.el('div', { class: 'row' }, FAULTS.map(function (f) {
        var cb = HF.el('input', { type: 'checkbox', 'data-fault': f });
        cb.checked = !!p.faults[f];
        cb.addEventListener('change', function () {
          var faults = {};
          c.querySelectorAll('[data-fault]').forEach(function (x) { faults[x.dataset.fault] = x.checked; });
          HF.api('POST', '/api/v1/sim/printers/' + encodeURIComponent(p.kiosk), faults, { token: token() }).catch(function () { /* the next look shows it */ });
        });
        return HF.el('label', {}, [cb, ' ' + HF.t('devices.printer.' + f)]);
      })),
      HF.el('div', { class: 'muted', 'data-count': '' }),
      HF.el('img', { class: 'slip', alt: '' }),
    ]);
    return c;
  }

  async function look() {
    var tk = token();
    var list = [];
    if (tk) { try { list = await HF.api('GET', '/api/v1/sim/printers', undefined, { token: tk }); } catch (e) { list = []; } }
    box.hidden = !list.length;
    for (var i = 0; i < list.length; i++) {
      var p = list[i];
      var c = grid.querySelector('[data-printer="' + p.kiosk + '"]') || grid.appendChild(card(p));
      c.querySelector('[data-count]').textContent = HF.t('devices.printer.slips', p.slips);
      if (p.slips && drawn[p.kiosk] !== p.slips) {
        var last = await HF.api('GET', '/api/v1/sim/printers/' + encodeURIComponent(p.kiosk) + '/slip', undefined, { token: tk });
        var img = c.querySelector('img.slip');
        img.src = last.png;
        img.alt = last.lines.join(' ');
        drawn[p.kiosk] = p.slips;
      }
    }
  }

  HF.onLang(function () { HF.clear(grid); drawn = {}; look(); });
  (function loop() { look().catch(function () { /* tried again below */ }).then(function () { setTimeout(loop, 1500); }); })();
})();
