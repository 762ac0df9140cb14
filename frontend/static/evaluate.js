'use strict';
// The evaluator pad at a window (好差评). It waits with a welcome; when the
// window finishes a service, the window's view carries the open question and
// the pad offers the five levels with a countdown. A 2 or 1 is recorded as
// chosen at once and then asks why; should the countdown run out on the
// reason, the hall keeps the 差评 and asks the reason at the call-back.
// Rating is voluntary: the applicant may decline, and when the countdown
// runs out before a level is chosen the question closes as not rated — the
// pad never sends a level nobody pressed. The window's next call ends the
// question at once (the hall closes it; the pad shows what the view says). It also asks the applicant to confirm an overtime
// service (延时服务确认) when the window's view says one waits.
HF.start(async function () {
  var id = decodeURIComponent(location.pathname.split('/').pop());
  var $ = function (x) { return document.getElementById(x); };
  var w = null;          // the window's view, live
  var choices = null;    // levels, reasons, bad_rating, timeout_s
  var done = {};         // prompts answered, declined or timed out here
  var shown = null;      // the prompt on screen
  var level = 0;         // a 差评 level waiting for its reason
  var picker = null;
  var thanksUntil = 0, thanksBad = false;
  var otDone = {}, otDoneUntil = 0;
  var bkDone = {}, bkDoneUntil = 0; // appointments confirmed here, by number and end
  var rendered = '';      // the mode on screen
  var sent = [];         // what this pad has sent, for the hall's tests
  window.__hf.evaluate = function () { return { window: w, shown: shown, sent: sent, mode: mode() }; };

  function key(p) { return p.number + '|' + p.expires_at; }
  function left(p) { return (Date.parse(p.expires_at) - HF.serverNow()) / 1000; }

  // open is the question to show now, if any.
  function open() {
    var p = w && w.rating;
    if (!p || done[key(p)] || left(p) <= 0) return null;
    return p;
  }

  function mode() {
    if (open()) return level ? 'why' : 'ask';
    if (HF.serverNow() < thanksUntil) return 'thanks';
    return 'idle';
  }

  function render() {
    $('win-label').textContent = HF.t('window.n', id) + (HF.windowName(id) ? ' ' + HF.windowName(id) : '');
    if (HF.names.hall.name) $('hallname').textContent = HF.name(HF.names.hall);
    var clerk = HF.clear($('clerk'));
    if (w && w.clerk && w.state !== 'closed') {
      clerk.appendChild(document.createTextNode(HF.t('win.clerk') + ' '));
      clerk.appendChild(HF.el('b', { text: w.clerk.name || '' }));
      clerk.appendChild(document.createTextNode('  ' + HF.t('win.staffno') + ' '));
      clerk.appendChild(HF.el('b', { text: w.clerk.staff }));
    }
    var p = open();
    if (!p) level = 0;
    if (p && (!shown || key(shown) !== key(p))) {
      // A new question: start from the five levels, or from the reason
      // when a 差评 was chosen before this pad (re)loaded.
      level = 0;
      HF.showError($('error'), null);
      thanksUntil = 0;
      if (p.chosen && choices && p.chosen <= choices.bad_rating) {
        level = p.chosen;
        picker = HF.reasonPicker($('reasons'), $('other'), choices.reasons);
      }
    }
    shown = p;
    var m = rendered = mode();
    $('idle').hidden = m !== 'idle';
    $('ask').hidden = m !== 'ask' && m !== 'why';
    $('thanks').hidden = m !== 'thanks';
    $('thanks-bad').hidden = !thanksBad;
    $('levels').hidden = m !== 'ask';
    $('why').hidden = m !== 'why';
    if (p) $('ask-number').textContent = HF.t('eval.number', p.number);
    if (choices) HF.levelButtons($('levels'), choices.levels, pick);
    renderOT();
    tick();
  }

  function renderOT() {
    var c = w && w.overtime_confirm;
    var show = !!c && !otDone[c.record];
    $('ot').hidden = !show;
    if (show) $('ot-text').textContent = HF.t('eval.ot.text', c.number, HF.fmtTime(c.start), HF.fmtTime(c.end));
    $('ot-done').hidden = HF.serverNow() >= otDoneUntil;
    // 预约服务登记表: the appointment just served here, confirmed with a tap.
    var b = w && w.booking_confirm;
    var bshow = !!b && !bkDone[b.number + b.end];
    $('bk').hidden = !bshow;
    if (bshow) $('bk-text').textContent = HF.t('eval.bk.text', b.number, HF.fmtTime(b.start), HF.fmtTime(b.end));
    $('bk-done').hidden = HF.serverNow() >= bkDoneUntil;
  }

  // tick moves the countdown and closes a question whose time is up.
  function tick() {
    var p = shown;
    if (!p) return;
    var s = left(p);
    if (s <= 0) {
      var chosen = level;
      var closing = close(p, 'timeout');
      if (chosen) {
        // The hall keeps the chosen 差评; the call-back asks why.
        closing.then(function () {
          thanksBad = true;
          thanksUntil = HF.serverNow() + 6000;
          render();
        });
      }
      return;
    }
    var total = (choices && choices.timeout_s) || 60;
    $('left').textContent = HF.t('eval.countdown', Math.ceil(s));
    $('meter').style.width = Math.max(0, Math.min(100, 100 * s / total)) + '%';
  }
  setInterval(function () {
    tick();
    if (mode() !== rendered || !$('ot-done').hidden) render();
  }, 250);

  // close ends a question here without a rating, and tells the hall it was
  // declined or timed out so the other faces stop asking too.
  // It answers once the hall has heard it.
  function close(p, why) {
    done[key(p)] = true;
    level = 0;
    render();
    sent.push({ kind: 'dismiss', reason: why, number: p.number });
    return after(function () {
      return HF.api('POST', '/api/v1/windows/' + encodeURIComponent(id) + '/rating/dismiss', { reason: why }, { key: HF.key() });
    }).catch(function () { /* closed already, or the hall closes it itself when its time is up */ });
  }

  // after sends a request once the chosen level has reached the hall, so
  // the hall hears the choice before what follows it.
  var choosing = Promise.resolve();
  function after(fn) { return choosing.then(fn); }

  function pick(l) {
    if (!shown) return;
    if (choices && l <= choices.bad_rating) {
      level = l;
      picker = HF.reasonPicker($('reasons'), $('other'), choices.reasons);
      HF.showError($('error'), null);
      render();
      choose(shown, l);
      return;
    }
    send(l, '');
  }

  // choose tells the hall the level chosen before its reason, so a slow
  // reason cannot lose the 差评.
  function choose(p, l) {
    sent.push({ kind: 'choice', level: l, number: p.number });
    choosing = after(function () {
      return HF.api('POST', '/api/v1/windows/' + encodeURIComponent(id) + '/rating/choice', { level: l }, { key: HF.key() });
    }).catch(function (e) { if (e.status !== 409) HF.showError($('error'), e); });
  }

  async function send(l, reason) {
    var p = shown;
    if (!p) return;
    HF.showError($('error'), null);
    sent.push({ kind: 'rating', level: l, number: p.number });
    try {
      await choosing;
      await HF.api('POST', '/api/v1/windows/' + encodeURIComponent(id) + '/rating', { level: l, reason: reason }, { key: HF.key() });
    } catch (e) {
      if (e.status === 409) { done[key(p)] = true; level = 0; render(); return; }
      HF.showError($('error'), e);
      return;
    }
    done[key(p)] = true;
    level = 0;
    thanksBad = l <= ((choices && choices.bad_rating) || 2);
    thanksUntil = HF.serverNow() + 6000;
    render();
  }

  $('why-send').addEventListener('click', function () {
    var r = picker ? picker.value() : '';
    if (!r) { HF.showError($('error'), 'eval.need.reason'); $('other').focus(); return; }
    send(level, r);
  });
  $('why-back').addEventListener('click', function () {
    // Back to the levels: the choice is taken back too, so a pad left
    // alone now records nothing.
    level = 0;
    HF.showError($('error'), null);
    render();
    if (shown) choose(shown, 0);
  });
  $('decline').addEventListener('click', function () { if (shown) close(shown, 'declined'); });

  $('ot-confirm').addEventListener('click', async function () {
    var c = w && w.overtime_confirm;
    if (!c) return;
    sent.push({ kind: 'overtime', record: c.record });
    try {
      await HF.api('POST', '/api/v1/windows/' + encodeURIComponent(id) + '/overtime/applicant-confirm', { record: c.record }, { key: HF.key() });
    } catch (e) {
      if (e.status !== 409) { HF.showError($('error'), e); return; }
    }
    otDone[c.record] = true;
    otDoneUntil = HF.serverNow() + 5000;
    render();
  });

  $('bk-confirm').addEventListener('click', async function () {
    var b = w && w.booking_confirm;
    if (!b) return;
    try {
      await HF.api('POST', '/api/v1/windows/' + encodeURIComponent(id) + '/booking/applicant-confirm', {}, { key: HF.key() });
    } catch (e) {
      if (e.status !== 409) { HF.showError($('error'), e); return; }
    }
    bkDone[b.number + b.end] = true;
    bkDoneUntil = HF.serverNow() + 5000;
    render();
  });

  async function loadChoices() {
    try {
      choices = await HF.api('GET', '/api/v1/windows/' + encodeURIComponent(id) + '/rating');
      render();
    } catch (e) { /* the next snapshot asks again */ }
  }

  HF.onLang(function () { render(); if (level && choices) picker = HF.reasonPicker($('reasons'), $('other'), choices.reasons); });
  try { await HF.loadNames(); } catch (e) { /* names are a nicety */ }
  render();
  await loadChoices();
  HF.live({
    snapshot: function (h) {
      w = null;
      (h.windows || []).forEach(function (v) { if (v.id === id) w = v; });
      if (!choices) loadChoices();
      render();
    },
    event: function (m) {
      if (!m.window || m.window.id !== id) return;
      w = m.window;
      render();
    },
  });
});
