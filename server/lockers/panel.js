// The touch panel of one locker bank (/locker/{bank}): the applicant types
// the ID number and the code from the SMS on the keypad; the door that
// opens, and what the applicant should do next, follow the door sensor
// through the hall's live feed. Any wrong entry gets one and the same
// message; after too many the panel counts down the lockout.
'use strict';

LK.words({
  'tab.pickup': ['取件', 'Collect'], 'tab.dropoff': ['投递材料', 'Drop off papers'],
  'label.id': ['身份证号', 'ID number'], 'label.tail': ['身份证号后六位', 'Last six of the ID number'],
  'label.code': ['取件码', 'Pickup code'], 'label.dcode': ['投递码', 'Drop-off code'],
  'hint.pickup': ['请输入身份证号和短信中的 6 位取件码', 'Enter your ID number and the 6-digit code from the SMS'],
  'hint.dropoff': ['请输入工作人员给您的 6 位投递码', 'Enter the 6-digit drop-off code the clerk gave you'],
  'btn.open': ['开柜', 'Open'],
  'err.nomatch': ['身份证号或取件码不正确', 'The ID number or the code is not right'],
  'err.dnomatch': ['投递码不正确', 'The drop-off code is not right'],
  'err.empty': ['请输入身份证号和取件码', 'Enter the ID number and the code'],
  'err.dempty': ['请输入投递码', 'Enter the drop-off code'],
  'err.other': ['暂时无法开柜：{0}', 'The locker cannot open now: {0}'],
  'lockout': ['输错次数过多，请 {0} 后再试', 'Too many wrong entries; try again in {0}'],
  'opening': ['正在开锁…', 'Unlocking…'],
  'comp': ['{0} 号格口', 'Compartment {0}'],
  'take': ['柜门已打开，请取出物品并关好柜门', 'The door is open: please take your item and close the door'],
  'leave': ['柜门已打开，请放入材料并关好柜门', 'The door is open: please put the papers in and close the door'],
  'done.pickup': ['取件完成，谢谢！', 'Collected. Thank you!'],
  'done.dropoff': ['投递完成，工作人员已收到通知', 'Dropped off; the clerk has been told'],
  'unconfirmed': ['柜门未打开，请重试或联系工作人员', 'The door did not open; try again or ask a member of staff'],
});

LK.start(function () {
  var bank = decodeURIComponent(location.pathname.split('/').pop());
  var $ = function (id) { return document.getElementById(id); };
  var mode = 'pickup', focus = 'id', byTail = false, current = null, lockTimer = null, resetTimer = null;
  var idIn = $('id'), codeIn = $('code');
  window.__locker = { bank: bank };

  function field() { return focus === 'id' ? idIn : codeIn; }
  function setFocus(f) {
    focus = f;
    idIn.classList.toggle('focus', f === 'id');
    codeIn.classList.toggle('focus', f === 'code');
  }
  function labels() {
    $('id-row').hidden = mode !== 'pickup';
    $('id-label').textContent = LK.t(byTail ? 'label.tail' : 'label.id');
    idIn.maxLength = byTail ? 6 : 18;
    $('code-label').textContent = LK.t(mode === 'pickup' ? 'label.code' : 'label.dcode');
    $('hint').textContent = LK.t(mode === 'pickup' ? 'hint.pickup' : 'hint.dropoff');
    $('key-x').disabled = mode !== 'pickup' || focus !== 'id';
  }
  LK.onLang = labels;
  function error(msg) { $('error').textContent = msg || ''; }
  function clear() { idIn.value = ''; codeIn.value = ''; error(''); setFocus(mode === 'pickup' ? 'id' : 'code'); labels(); }
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
    error('');
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
      $('lockout').textContent = LK.t('lockout', mm + ':' + (ss < 10 ? '0' : '') + ss);
      if (left <= 0) { clearInterval(lockTimer); $('lockout').hidden = true; $('submit').disabled = false; }
    };
    tick();
    lockTimer = setInterval(tick, 1000);
  }

  function showOpened(comp, msg) {
    $('entry').hidden = true; $('keypad').hidden = true;
    $('opened').hidden = false;
    $('opened-comp').textContent = LK.t('comp', comp);
    $('opened-msg').textContent = msg;
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
    if (mode === 'pickup' && (!id || !code)) { error(LK.t('err.empty')); return; }
    if (mode === 'dropoff' && !code) { error(LK.t('err.dempty')); return; }
    busy = true;
    try {
      var path = '/api/v1/lockers/' + encodeURIComponent(bank) + '/' + (mode === 'pickup' ? 'pickup' : 'dropoff');
      var r = await LK.api('POST', path, mode === 'pickup' ? { id_number: id, code: code } : { code: code });
      current = { comp: r.bank + '/' + r.comp, id: r.comp, mode: mode };
      window.__locker.current = current.comp;
      idIn.value = ''; codeIn.value = '';
      showOpened(r.comp, LK.t('opening'));
      reset(120000); // a door that never answers does not hold the panel
    } catch (e) {
      if (e.status === 401) error(LK.t(mode === 'pickup' ? 'err.nomatch' : 'err.dnomatch'));
      else if (e.status === 403) { error(''); lockout(e.retryAfter || 900); }
      else if (e.status === 400) error(LK.t(mode === 'pickup' ? 'err.empty' : 'err.dempty'));
      else error(LK.t('err.other', e.message));
      codeIn.value = '';
      setFocus(mode === 'pickup' && !id ? 'id' : 'code');
    } finally {
      busy = false;
    }
  }
  $('submit').addEventListener('click', submit);
  $('entry').addEventListener('submit', function (e) { e.preventDefault(); submit(); });

  LK.live(function (m) {
    if (!current || !m.data || m.data.comp !== current.comp) return;
    switch (m.type) {
      case 'locker.door_opened':
        showOpened(current.id, LK.t(current.mode === 'pickup' ? 'take' : 'leave'));
        break;
      case 'locker.picked_up':
        showOpened(current.id, LK.t('done.pickup')); reset(6000); break;
      case 'locker.dropoff_received':
        showOpened(current.id, LK.t('done.dropoff')); reset(6000); break;
      case 'locker.unconfirmed':
        showOpened(current.id, LK.t('unconfirmed')); reset(8000); break;
    }
  });

  LK.api('GET', '/api/v1/lockers').then(function (r) {
    byTail = !!r.pickup_by_last_six;
    (r.banks || []).forEach(function (b) { if (b.id === bank) $('title').textContent = (b.name || b.id) + ' · ' + b.id; });
    labels();
  }).catch(function () { /* the panel works with its defaults */ });
  setFocus('id');
  labels();
});
