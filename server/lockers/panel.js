// The touch panel of one locker bank (/locker/{bank}): the applicant types
// the ID number and the code from the SMS on the keypad; the door that
// opens, and what the applicant should do next, follow the door sensor
// through the hall's live feed. Any wrong entry gets one and the same
// message; after too many the panel counts down the lockout. The words,
// the API and the live feed are the hall's shell (/static/hf.js).
'use strict';

HF.start(function () {
  var bank = decodeURIComponent(location.pathname.split('/').pop());
  var $ = function (id) { return document.getElementById(id); };
  var mode = 'pickup', focus = 'id', byTail = false, current = null, lockTimer = null, resetTimer = null;
  var bankName = '';
  var idIn = $('id'), codeIn = $('code');
  window.__locker = { bank: bank };

  function field() { return focus === 'id' ? idIn : codeIn; }
  function setFocus(f) {
    focus = f;
    idIn.classList.toggle('focus', f === 'id');
    codeIn.classList.toggle('focus', f === 'code');
  }
  function labels() {
    if (bankName) $('title').textContent = bankName + ' · ' + bank;
    $('id-row').hidden = mode !== 'pickup';
    $('id-label').textContent = HF.t(byTail ? 'panel.label.tail' : 'panel.label.id');
    idIn.maxLength = byTail ? 6 : 18;
    $('code-label').textContent = HF.t(mode === 'pickup' ? 'panel.label.code' : 'panel.label.dcode');
    $('hint').textContent = HF.t(mode === 'pickup' ? 'panel.hint.pickup' : 'panel.hint.dropoff');
    $('key-x').disabled = mode !== 'pickup' || focus !== 'id';
  }
  HF.onLang(function () { labels(); if (current && current.msg) showOpened(current.id, current.msg); });
  function error(e) { HF.showError($('error'), e); }
  function clear() { idIn.value = ''; codeIn.value = ''; error(null); setFocus(mode === 'pickup' ? 'id' : 'code'); labels(); }
  function setMode(m) {
    mode = m;
    $('tab-pickup').setAttribute('aria-pressed', String(m === 'pickup'));
    $('tab-dropoff').setAttribute('aria-pressed', String(m === 'dropoff'));
    clear();
  }
  $('tab-pickup').addEventListener('click', function () { setMode('pickup'); });
  $('tab-dropoff').addEventListener('click', function () { setMode('dropoff'); });
  idIn.addEventListener('click', function () { setFocus('id'); labels(); });
  codeIn.addEventListener('click', function () { setFocus('code'); labels(); });

  function key(k) {
    var f = field();
    error(null);
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
    else if (e.key === 'x' || e.key === 'X') { if (focus === 'id' && mode === 'pickup') key('X'); }
    else if (e.key === 'Backspace') key('back');
    else if (e.key === 'Enter') submit();
    else if (e.key === 'Tab') { e.preventDefault(); setFocus(focus === 'id' ? 'code' : 'id'); labels(); }
  });

  function lockout(secs) {
    var until = Date.now() + secs * 1000;
    $('lockout').hidden = false;
    $('submit').disabled = true;
    clearInterval(lockTimer);
    var tick = function () {
      var left = Math.max(0, Math.round((until - Date.now()) / 1000));
      var mm = Math.floor(left / 60), ss = left % 60;
      $('lockout').textContent = HF.t('panel.lockout', mm + ':' + (ss < 10 ? '0' : '') + ss);
      if (left <= 0) { clearInterval(lockTimer); $('lockout').hidden = true; $('submit').disabled = false; }
    };
    tick();
    lockTimer = setInterval(tick, 1000);
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
      clear();
    }, after);
  }

  var busy = false;
  async function submit() {
    if (busy || $('submit').disabled) return;
    var code = codeIn.value.trim(), id = idIn.value.trim();
    if (mode === 'pickup' && (!id || !code)) { error('panel.err.empty'); return; }
    if (mode === 'dropoff' && !code) { error('panel.err.dempty'); return; }
    busy = true;
    try {
      var path = '/api/v1/lockers/' + encodeURIComponent(bank) + '/' + (mode === 'pickup' ? 'pickup' : 'dropoff');
      var r = await HF.api('POST', path, mode === 'pickup' ? { id_number: id, code: code } : { code: code });
      current = { comp: r.bank + '/' + r.comp, id: r.comp, mode: mode };
      window.__locker.current = current.comp;
      idIn.value = ''; codeIn.value = '';
      showOpened(r.comp, 'panel.opening');
      reset(120000); // a door that never answers does not hold the panel
    } catch (e) {
      // One message for any wrong entry, so the panel never tells which
      // part was wrong; any other refusal is the hall's own sentence.
      if (e.status === 401) error(mode === 'pickup' ? 'panel.err.nomatch' : 'panel.err.dnomatch');
      else if (e.status === 403) { error(null); lockout(e.retryAfter || 900); }
      else if (e.status === 400) error(mode === 'pickup' ? 'panel.err.empty' : 'panel.err.dempty');
      else error(e);
      codeIn.value = '';
      setFocus(mode === 'pickup' && !id ? 'id' : 'code');
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

  HF.api('GET', '/api/v1/lockers').then(function (r) {
    byTail = !!r.pickup_by_last_six;
    (r.banks || []).forEach(function (b) { if (b.id === bank) bankName = b.name || b.id; });
    labels();
  }).catch(function () { /* the panel works with its defaults */ });
  setFocus('id');
  labels();
});
