'use strict';
// The hall screen: the latest call large, recent calls, waiting per service
// and every window's state, all from the live stream. Calls are said by
// voice one at a time; a call the screen only learns of late (after a
// reconnect) is shown but not said, so the hall never hears stale numbers.
// When the hall stops issuing numbers the screen says so, with the next
// opening, as the hall's view words it; and where each open 咨询号 of a
// department sends its holder.
HF.start(function () {
  var st = { services: [], windows: {}, order: [], recent: [] };
  window.__hf.hall = st;
  var RECENT = 9;
  var FRESH_S = 60;

  var voiceBtn = document.getElementById('voice');
  try { HF.voice.enabled = localStorage.getItem('hf.voice') !== 'off'; } catch (e) { /* private mode */ }
  function voiceLabel() {
    voiceBtn.setAttribute('data-i18n', HF.voice.enabled ? 'hall.voice.on' : 'hall.voice.off');
    voiceBtn.setAttribute('aria-pressed', String(HF.voice.enabled));
    voiceBtn.textContent = HF.t(HF.voice.enabled ? 'hall.voice.on' : 'hall.voice.off');
  }
  voiceBtn.addEventListener('click', function () {
    HF.voice.enabled = !HF.voice.enabled;
    try { localStorage.setItem('hf.voice', HF.voice.enabled ? 'on' : 'off'); } catch (e) { /* private mode */ }
    voiceLabel();
  });
  voiceLabel();
  HF.startClock(document.getElementById('clock'));

  function fromCall(c) {
    return { id: c.ticket.id, number: c.ticket.number, service: c.ticket.service, window: c.window, at: c.at, text: c.text, text_en: '', mark: c.ticket.mark };
  }

  function renderNow() {
    var c = st.recent[0];
    document.getElementById('now').hidden = !c;
    document.getElementById('now-none').hidden = !!c;
    document.getElementById('now-number').textContent = c ? c.number : '';
    // An appointment's or a consultation's number is marked (预约, 已初审).
    document.getElementById('now-mark').textContent = c && c.mark ? HF.said(c.mark) : '';
    document.getElementById('now-window').textContent = c ? c.window : '';
    // The sentence is the server's; in English only when it sent one.
    document.getElementById('now-text').textContent = !c ? '' : (HF.lang === 'en' ? c.text_en : c.text) || '';
    var now = document.getElementById('now');
    now.setAttribute('data-ticket', c ? c.id : '');
  }

  function renderRecent() {
    var ol = HF.clear(document.getElementById('recent'));
    st.recent.slice(1, RECENT).forEach(function (c) {
      ol.appendChild(HF.el('li', { 'data-ticket': c.id }, [
        HF.el('span', { class: 'n', text: c.number }, c.mark ? [HF.el('small', { class: 'mark', text: HF.said(c.mark) })] : []),
        HF.el('span', { class: 'w' }, [HF.el('small', { text: HF.t('unit.windowpre') }), c.window, HF.el('small', { text: HF.t('unit.window') })]),
      ]));
    });
  }

  function renderWaits() {
    var ul = HF.clear(document.getElementById('waits'));
    // More services than a column holds beside the windows: two columns.
    ul.classList.toggle('many', st.services.length > 5);
    st.services.forEach(function (s) {
      ul.appendChild(HF.el('li', { 'data-service': s.code }, [
        HF.el('span', { class: 'c', text: s.code }),
        HF.el('span', { class: 'nm', text: HF.name(s) }),
        HF.el('span', { class: 'k' }, [HF.el('span', { class: 'count', text: String(s.waiting) }), HF.el('small', { text: HF.t('unit.people') })]),
      ]));
    });
  }

  // overtimeText is the server's notice (延时服务中), in English our own.
  function overtimeText(w) { return HF.lang === 'en' || !w.notice ? HF.t('state.overtime') : w.notice; }

  function renderWins() {
    var ul = HF.clear(document.getElementById('wins'));
    ul.classList.toggle('many', st.order.length > 8);
    st.order.forEach(function (id) {
      var w = st.windows[id];
      var label = w.state === 'paused' && w.pause_reason ? HF.t('state.paused.reason', w.pause_reason) : HF.t('state.' + w.state);
      if (w.overtime) label = overtimeText(w);
      ul.appendChild(HF.el('li', { class: w.state + (w.overtime ? ' overtime' : ''), 'data-window': id }, [
        HF.el('span', { class: 'id', text: id }),
        HF.el('span', { class: 'st', text: label }),
        HF.el('span', { class: 'cur', text: w.current ? w.current.number : '' }),
      ]));
    });
  }

  function renderIssuing() {
    var is = st.issuing || { open: true };
    var en = HF.lang === 'en';
    document.getElementById('issuing').hidden = is.open;
    document.getElementById('issuing-text').textContent = is.open ? '' : (en ? is.text_en : is.text) || '';
    document.getElementById('issuing-next').textContent = is.open ? '' : (en ? is.next_text_en : is.next_text) || '';
  }

  // A department's 咨询号 is answered by its staff, not at a window: the strip
  // says where each open one sends its holder, in the server's words.
  function renderConsults() {
    var list = st.consults || [];
    document.getElementById('consults').hidden = !list.length;
    var ul = HF.clear(document.getElementById('consult-list'));
    list.forEach(function (c) {
      ul.appendChild(HF.el('li', { 'data-number': c.number }, [
        HF.el('span', { class: 'n', text: c.number }),
        HF.el('span', { text: HF.lang === 'en' ? c.text_en : c.text }),
      ]));
    });
  }
  function dropConsult(number) { st.consults = (st.consults || []).filter(function (c) { return c.number !== number; }); }

  function render() { renderIssuing(); renderConsults(); renderNow(); renderRecent(); renderWaits(); renderWins(); }
  HF.onLang(render);

  function flash() {
    var el = document.getElementById('calling');
    el.classList.remove('flash');
    void el.offsetWidth; // restart the animation
    el.classList.add('flash');
  }

  HF.live({
    snapshot: function (h) {
      document.getElementById('hallname').textContent = HF.lang === 'en' && h.hall.name_en ? h.hall.name_en : h.hall.name;
      st.hallInfo = h.hall;
      st.services = h.services || [];
      st.windows = {};
      st.order = [];
      (h.windows || []).forEach(function (w) { st.windows[w.id] = w; st.order.push(w.id); });
      st.recent = (h.recent || []).map(fromCall);
      st.issuing = h.issuing;
      st.consults = h.consults || [];
      render();
    },
    event: function (m) {
      if (m.waiting) st.services.forEach(function (s) { if (m.waiting[s.code] !== undefined) s.waiting = m.waiting[s.code]; });
      if (m.window && st.windows[m.window.id]) st.windows[m.window.id] = m.window;
      if (m.issuing) st.issuing = m.issuing;
      if (m.consult) {
        var open = ['wait', 'coming', 'area', 'video', 'phone'].indexOf(m.consult.place) >= 0;
        var at = (st.consults || []).map(function (c) { return c.number; }).indexOf(m.consult.number);
        if (!open) dropConsult(m.consult.number);
        else if (at >= 0) st.consults[at] = m.consult;
        else st.consults = (st.consults || []).concat([m.consult]);
      }
      if (m.type === 'ticket.cancelled' && m.data.ticket) dropConsult(m.data.ticket.number);
      if (m.type === 'ticket.called' || m.type === 'ticket.recalled') {
        var t = m.data.ticket;
        st.recent = st.recent.filter(function (c) { return c.id !== t.id; });
        st.recent.unshift({ id: t.id, number: t.number, service: t.service, window: m.data.window, at: m.at, text: m.text, text_en: m.text_en, mark: m.mark });
        st.recent.length = Math.min(st.recent.length, 12);
        if (HF.since(m.at) < FRESH_S) {
          flash();
          HF.voice.say(m.speech, 2);
        }
      }
      render();
    },
  });
  HF.onLang(function () {
    if (st.hallInfo) document.getElementById('hallname').textContent = HF.lang === 'en' && st.hallInfo.name_en ? st.hallInfo.name_en : st.hallInfo.name;
  });
});
