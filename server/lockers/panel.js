// The touch panel of one locker bank (/locker/{bank}): the applicant types
// the ID number and the code from the SMS (or the drop-off code the clerk
// gave) on the keypad; the door that opens, and what the applicant should
// do next, follow the door sensor through the hall's live feed. Any wrong
// entry gets one and the same message. A lockout is the ID number's alone:
// the panel says how long that ID must wait and is at once ready for the
// next person. Nothing personal stays on the panel: the fields are cleared
// after every answer and after a short time without input, and the panel
// returns to Chinese after each person. The words, the API and the live
// feed are the hall's shell (/static/hf.js). The bank's 居民身份证 reader
// fills the ID number: a keyboard reader types it (and Enter, which moves
// on to the code); a serial reader's read comes from the server masked,
// with a token the pickup sends as card instead of the number.
'use strict';

HF.start(function () {
  var bank = decodeURIComponent(location.pathname.split('/').pop());
  var $ = function (id) { return document.getElementById(id); };
  var mode = 'pickup', focus = 'id', byTail = false, current = null, resetTimer = null;
  var idleTimer = null, noticeTimer = null, noticeTick = null;
  var bankName = '', card = null;
  var idIn = $('id'), codeIn = $('code');
  // idleMs: how long a half-typed entry stays without input; noticeMs: how
  // long a lockout is shown before the panel is the next person's. Tests
  // may shorten them.
  window.__locker = { bank: bank, idleMs: 30000, noticeMs: 10000 };

  function setFocus(f) {
    focus = f;
    idIn.classList.toggle('focus', f === 'id');
    codeIn.classList.toggle('focus', f === 'code');
  }
  function field() { return focus === 'id' ? idIn : codeIn; }
  function labels() {
    if (bankName) $('title').textContent = bankName + ' · ' + bank;
    $('id-label').textContent = HF.t(byTail ? 'panel.label.tail' : 'panel.label.id');
    idIn.maxLength = byTail ? 6 : 18;
    $('code-label').textContent = HF.t(mode === 'pickup' ? 'panel.label.code' : 'panel.label.dcode');
    $('hint').textContent = HF.t(mode === 'pickup' ? 'panel.hint.pickup' : 'panel.hint.dropoff');
    $('key-x').disabled = focus !== 'id';
  }
  HF.onLang(function () { labels(); if (current && current.msg) showOpened(current.id, current.msg); });
  function error(e) { HF.showError($('error'), e); }

  // forget clears what the person typed.
  function forget() {
    card = null;
    idIn.value = ''; codeIn.value = '';
    setFocus('id');
    labels();
  }
  function clear() { forget(); error(null); }
  // nextPerson makes the panel the next person's: nothing typed, no
  // message, pickup, in Chinese.
  function nextPerson() {
    clearTimeout(idleTimer); clearTimeout(noticeTimer); clearInterval(noticeTick);
    $('lockout').hidden = true;
    setMode('pickup');
    if (HF.lang !== 'zh') HF.setLang('zh');
  }
  // touched notes input: a half-typed entry is forgotten after idleMs.
  function touched() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(function () { if (!current) nextPerson(); }, window.__locker.idleMs);
  }

  function setMode(m) {
    mode = m;
    $('tab-pickup').setAttribute('aria-pressed', String(m === 'pickup'));
    $('tab-dropoff').setAttribute('aria-pressed', String(m === 'dropoff'));
    clear();
  }
  function begin() {
    // A person starting while a lockout is shown is the next person.
    if (!$('lockout').hidden) nextPerson();
  }
  $('tab-pickup').addEventListener('click', function () { begin(); setMode('pickup'); touched(); });
  $('tab-dropoff').addEventListener('click', function () { begin(); setMode('dropoff'); touched(); });
  idIn.addEventListener('click', function () { begin(); setFocus('id'); labels(); touched(); });
  codeIn.addEventListener('click', function () { begin(); setFocus('code'); labels(); touched(); });

  function key(k) {
    begin();
    touched();
    var f = field();
    error(null);
    if (f === idIn && card) { card = null; f.value = ''; } // typing over a card read
    if (k === 'back') { f.value = f.value.slice(0, -1); return; }
    if (f.value.length >= f.maxLength) return;
    f.value += k;
    // Move on to the code once the ID is complete.
    if (f === idIn && f.value.length === f.maxLength) { setFocus('code'); labels(); }
  }
  document.querySelectorAll('#keypad [data-k]').forEach(function (b) {
    b.addEventListener('click', function () { key(b.getAttribute('data-k')); });
  });
  // A hardware keyboard (or a scanner) works too.
  document.addEventListener('keydown', function (e) {
    if (/^[0-9]$/.test(e.key)) key(e.key);
    else if (e.key === 'x' || e.key === 'X') { if (focus === 'id') key('X'); }
    else if (e.key === 'Backspace') key('back');
    else if (e.key === 'Enter') { if (focus === 'id' || codeIn.value || !idIn.value) submit(); }
    else if (e.key === 'Tab') { e.preventDefault(); setFocus(focus === 'id' ? 'code' : 'id'); labels(); touched(); }
  });

  // wait words a number of seconds as a duration: 14分59秒, 14 min 59 s.
  function wait(secs) {
    var m = Math.floor(secs / 60), s = secs % 60;
    return m ? HF.t('panel.wait.ms', m, s) : HF.t('panel.wait.s', s);
  }
  // lockedOut tells the person at the panel how long their ID must wait,
  // counting down while it is shown; then the panel is the next person's.
  function lockedOut(secs) {
    var until = Date.now() + secs * 1000;
    clearInterval(noticeTick);
    var tick = function () {
      var left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      $('lockout').textContent = HF.t('panel.lockout', wait(left));
    };
    tick();
    $('lockout').hidden = false;
    noticeTick = setInterval(tick, 1000);
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(nextPerson, window.__locker.noticeMs);
  }

  // showOpened shows the open compartment and what to do now (msg is a
  // dictionary key, so a change of language words it again).
  function showOpened(comp, msg) {
    if (current) current.msg = msg;
    $('entry').hidden = true; $('keypad').hidden = true;
    $('opened').hidden = false;
    $('opened-comp').textContent = HF.t('panel.comp', comp);
    $('opened-msg').textContent = HF.t(msg);
  }
  function reset(after) {
    clearTimeout(resetTimer);
    resetTimer = setTimeout(function () {
      current = null;
      $('opened').hidden = true; $('entry').hidden = false; $('keypad').hidden = false;
      nextPerson();
    }, after);
  }

  var busy = false;
  async function submit() {
    if (busy) return;
    begin();
    var code = codeIn.value.trim(), id = idIn.value.trim(), token = card && card.token;
    if (!id || !code) { error(mode === 'pickup' ? 'panel.err.empty' : 'panel.err.dempty'); return; }
    busy = true;
    // What was typed is gone from the screen whatever the answer.
    forget();
    try {
      var path = '/api/v1/lockers/' + encodeURIComponent(bank) + '/' + (mode === 'pickup' ? 'pickup' : 'dropoff');
      var r = await HF.api('POST', path, token && mode === 'pickup' ? { card: token, code: code } : { id_number: id, code: code });
      clearTimeout(idleTimer);
      current = { comp: r.bank + '/' + r.comp, id: r.comp, mode: mode };
      window.__locker.current = current.comp;
      error(null);
      showOpened(r.comp, 'panel.opening');
      reset(120000); // a door that never answers does not hold the panel
    } catch (e) {
      // One message for any wrong entry, so the panel never tells which
      // part was wrong; any other refusal is the hall's own sentence.
      if (e.status === 401) error(mode === 'pickup' ? 'panel.err.nomatch' : 'panel.err.dnomatch');
      else if (e.status === 403) { error(null); lockedOut(e.retryAfter || 900); }
      else if (e.status === 400) error(mode === 'pickup' ? 'panel.err.empty' : 'panel.err.dempty');
      else error(e);
      touched();
    } finally {
      busy = false;
    }
  }
  $('submit').addEventListener('click', submit);
  $('entry').addEventListener('submit', function (e) { e.preventDefault(); submit(); });

  HF.live({
    event: function (m) {
      if (!current || !m.data || m.data.comp !== current.comp) return;
      switch (m.type) {
        case 'locker.door_opened':
          showOpened(current.id, current.mode === 'pickup' ? 'panel.take' : 'panel.leave');
          break;
        case 'locker.picked_up':
          showOpened(current.id, 'panel.done.pickup'); reset(6000); break;
        case 'locker.dropoff_received':
          showOpened(current.id, 'panel.done.dropoff'); reset(6000); break;
        case 'locker.unconfirmed':
          showOpened(current.id, 'panel.unconfirmed'); reset(8000); break;
      }
    },
  });

  HF.cardReader('locker:' + encodeURIComponent(bank), function (c) {
    if (current || busy) return;
    begin();
    if (mode !== 'pickup') setMode('pickup');
    card = c;
    idIn.value = c.masked;
    setFocus('code'); labels();
    $('hint').textContent = HF.t('panel.card.read');
    touched();
  });

  HF.api('GET', '/api/v1/lockers').then(function (r) {
    byTail = !!r.pickup_by_last_six;
    (r.banks || []).forEach(function (b) { if (b.id === bank) bankName = b.name || b.id; });
    labels();
  }).catch(function () { /* the panel works with its defaults */ });
  setFocus('id');
  labels();
});
