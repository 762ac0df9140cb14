'use strict';
HF.start(async function () {
  var names;
  function render() {
    if (!names) return;
    document.getElementById('hallname').textContent = HF.name(names.hall);
    document.title = 'hallfloor · ' + HF.name(names.hall);
    [['winscreens', '/screen/window/'], ['counters', '/counter/'], ['evaluators', '/evaluate/']].forEach(function (p) {
      var box = HF.clear(document.getElementById(p[0]));
      names.windowList.forEach(function (w) {
        var id = w.id;
        box.appendChild(HF.el('a', { href: p[1] + encodeURIComponent(id), title: HF.windowName(id), text: HF.t('window.n', id) }));
      });
    });
    var panels = HF.clear(document.getElementById('lockerpanels'));
    panels.parentNode.hidden = !names.lockerList.length;
    names.lockerList.forEach(function (b) {
      panels.appendChild(HF.el('a', { href: '/locker/' + encodeURIComponent(b.id), title: b.name, text: b.id }));
    });
  }
  HF.onLang(render);
  try { names = await HF.loadNames(); } catch (e) { return; }
  render();
});
