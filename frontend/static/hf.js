// hallfloor's shared page code: language, the API, the live connection and
// the voice. Written for the plain browsers hall screens run (no build step,
// no framework, ES2017 so older Android WebViews cope).
'use strict';

var HF = (function () {
  var HF = {};

  // ---- a hall of a city ------------------------------------------------------

  // A city serves each of its halls under /h/{hall id}/, its pages, API and
  // WebSocket alike; HF.base is that prefix ('' for a hall alone, at /). The
  // pages name the API as /api/v1/…, their links as /kiosk…, the socket as
  // /ws: under a prefix each is sent to the hall's own, so no page needs to
  // know which hall of which city it is. /static/ is the city's, shared.
  HF.base = (location.pathname.match(/^\/h\/[^\/]+(?=\/|$)/) || [''])[0];
  HF.under = function (u) {
    if (!HF.base || typeof u !== 'string' || u.charAt(0) !== '/' || u.charAt(1) === '/') return u;
    if (u === HF.base || u.indexOf(HF.base + '/') === 0 || u.indexOf('/static/') === 0 || u.indexOf('/qr?') === 0) return u;
    return HF.base + u;
  };
  if (HF.base) {
    var ownFetch = window.fetch.bind(window);
    window.fetch = function (u, o) { return ownFetch(HF.under(u), o); };
    var OwnWebSocket = window.WebSocket;
    var HallWebSocket = function (u, p) {
      var at = new URL(u, location.href);
      if (at.host === location.host) at.pathname = HF.under(at.pathname);
      return p === undefined ? new OwnWebSocket(at.href) : new OwnWebSocket(at.href, p);
    };
    HallWebSocket.prototype = OwnWebSocket.prototype;
    ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach(function (k) { HallWebSocket[k] = OwnWebSocket[k]; });
    window.WebSocket = HallWebSocket;
    var ownOpen = XMLHttpRequest.prototype.open;
    XMLHttpRequest.prototype.open = function (m, u) {
      var args = Array.prototype.slice.call(arguments);
      args[1] = HF.under(u);
      return ownOpen.apply(this, args);
    };
    var underLink = function (ev) {
      var a = ev.target && ev.target.closest ? ev.target.closest('a[href]') : null;
      if (a) a.setAttribute('href', HF.under(a.getAttribute('href')));
    };
    document.addEventListener('click', underLink, true);
    document.addEventListener('auxclick', underLink, true);
    document.addEventListener('contextmenu', underLink, true);
    var ownReplace = history.replaceState.bind(history);
    history.replaceState = function (st, t, u) { return ownReplace(st, t, HF.under(u)); };
    var ownPush = history.pushState.bind(history);
    history.pushState = function (st, t, u) { return ownPush(st, t, HF.under(u)); };
  }

  // ---- language ----------------------------------------------------------

  // The words come from hf-words.js, loaded before this file; one setting,
  // localStorage 'hf.lang', chooses the language on every face.
  var DICT = window.HF_WORDS || { zh: {}, en: {} };
  var LANG_KEY = 'hf.lang';

  function pickLang() {
    var q = new URLSearchParams(location.search).get('lang');
    if (q === 'en' || q === 'zh') return q;
    try { var s = localStorage.getItem(LANG_KEY); if (s === 'en' || s === 'zh') return s; } catch (e) { /* private mode */ }
    return 'zh';
  }
  HF.lang = pickLang();
  var langListeners = [];

  HF.t = function (key) {
    var s = DICT[HF.lang][key];
    if (s === undefined) s = DICT.zh[key] !== undefined ? DICT.zh[key] : key;
    for (var i = 1; i < arguments.length; i++) s = s.split('{' + (i - 1) + '}').join(String(arguments[i]));
    return s;
  };

  HF.applyI18n = function (root) {
    root = root || document;
    document.documentElement.lang = HF.lang === 'en' ? 'en' : 'zh-CN';
    root.querySelectorAll('[data-i18n]').forEach(function (el) { el.textContent = HF.t(el.getAttribute('data-i18n')); });
    root.querySelectorAll('[data-i18n-ph]').forEach(function (el) { el.setAttribute('placeholder', HF.t(el.getAttribute('data-i18n-ph'))); });
    root.querySelectorAll('[data-i18n-aria]').forEach(function (el) { el.setAttribute('aria-label', HF.t(el.getAttribute('data-i18n-aria'))); });
    root.querySelectorAll('[data-lang-toggle]').forEach(function (el) {
      el.textContent = HF.t('lang.switch');
      el.setAttribute('aria-label', HF.t('lang.switch.aria'));
    });
    root.querySelectorAll('[data-conn]').forEach(function (el) {
      el.textContent = HF.t('conn.' + (el.getAttribute('data-state') || 'connecting'));
    });
    root.querySelectorAll('[data-hf-error]').forEach(function (el) { el.textContent = errorWords(el.hfError); });
  };

  HF.onLang = function (fn) { langListeners.push(fn); };

  HF.setLang = function (lang) {
    HF.lang = lang;
    try { localStorage.setItem(LANG_KEY, lang); } catch (e) { /* private mode */ }
    HF.applyI18n();
    langListeners.forEach(function (fn) { fn(); });
  };

  // term words a code the server sends (a device's status, an SMS's
  // purpose) from the dictionary entry prefix + code, or shows the code
  // itself when the dictionary has none: a new code must not show blank.
  HF.term = function (prefix, code) {
    var key = prefix + code;
    return DICT.zh[key] !== undefined ? HF.t(key) : String(code === undefined || code === null ? '' : code);
  };

  // said picks words the server sent as {zh, en} in the page's language.
  HF.said = function (w) {
    if (!w) return '';
    return HF.lang === 'en' && w.en ? w.en : w.zh;
  };

  HF.locale = function () { return HF.lang === 'en' ? 'en-GB' : 'zh-CN'; };

  // name picks the name in the page's language, falling back to Chinese.
  HF.name = function (o) {
    if (!o) return '';
    return HF.lang === 'en' && o.name_en ? o.name_en : o.name;
  };

  // ---- formatting ----------------------------------------------------------

  HF.fmtWait = function (s) {
    if (!s || s <= 0) return HF.t('wait.none');
    if (s < 60) return HF.t('wait.under');
    return HF.t('wait.about', Math.round(s / 60));
  };

  // fmtRange words the forecast's range, 约 10–15 分钟 (s: an older server's one figure).
  HF.fmtRange = function (w, s) {
    if (!w || !w.high_s) return HF.fmtWait(s);
    return HF.t('wait.about', Math.floor(w.low_s / 60) + '–' + Math.ceil(w.high_s / 60)) + (w.uncertain ? ' · ' + HF.t('wait.uncertain') : '');
  };

  // fmtDur shows a length of time as m:ss, or h:mm:ss past an hour.
  HF.fmtDur = function (s) {
    s = Math.max(0, Math.floor(s || 0));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    var mm = (h && m < 10 ? '0' : '') + m, ss = (sec < 10 ? '0' : '') + sec;
    return (h ? h + ':' : '') + mm + ':' + ss;
  };

  // Every time a page shows is in the hall's zone, in the Chinese form
  // (24 h, month-day), whatever the zone or locale of the browser: the
  // server names its zone on every answer and in the hall's snapshot.
  HF.zone = '';
  var zoneWatchers = [];
  HF.setZone = function (z) {
    if (!z || z === HF.zone) return;
    try { new Intl.DateTimeFormat('zh-CN', { timeZone: z }); } catch (e) { return; /* not a zone this browser knows */ }
    HF.zone = z;
    zoneWatchers.forEach(function (fn) { fn(); });
  };
  var partsFmt = {};
  // parts are the fields of a moment in the hall's zone, or null.
  HF.timeParts = function (iso) {
    var d = iso instanceof Date ? iso : new Date(iso);
    if (iso === '' || iso === null || iso === undefined || isNaN(d)) return null;
    var key = HF.zone || '-';
    if (!partsFmt[key]) {
      var o = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
      if (HF.zone) o.timeZone = HF.zone;
      partsFmt[key] = new Intl.DateTimeFormat('zh-CN', o);
    }
    var p = {};
    partsFmt[key].formatToParts(d).forEach(function (x) { p[x.type] = x.value; });
    return p;
  };
  // fmtTime is 16:41; fmtClock 16:41:40; fmtDay 12-08 16:41; fmtDateTime 2026-12-08 16:41.
  HF.fmtTime = function (iso) { var p = HF.timeParts(iso); return p ? p.hour + ':' + p.minute : ''; };
  HF.fmtClock = function (iso) { var p = HF.timeParts(iso); return p ? p.hour + ':' + p.minute + ':' + p.second : ''; };
  HF.fmtDay = function (iso) { var p = HF.timeParts(iso); return p ? p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute : ''; };
  HF.fmtDateTime = function (iso) { var p = HF.timeParts(iso); return p ? p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute : ''; };

  // serverNow is the server's clock as best known, so ages ("waited 12
  // min") do not depend on a screen box whose clock has drifted.
  var skew = 0;
  HF.serverNow = function () { return Date.now() + skew; };
  function learnSkew(res) {
    HF.setZone(res.headers.get('X-Hall-Time-Zone'));
    var d = Date.parse(res.headers.get('Date') || '');
    if (!isNaN(d)) skew = d - Date.now();
  }

  HF.since = function (iso) {
    var t = Date.parse(iso);
    return isNaN(t) ? 0 : Math.max(0, (HF.serverNow() - t) / 1000);
  };

  HF.el = function (tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), attrs[k]);
      else if (attrs[k] !== undefined && attrs[k] !== null && attrs[k] !== false) e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  };

  HF.clear = function (e) { while (e.firstChild) e.removeChild(e.firstChild); return e; };

  HF.startClock = function (el) {
    if (!el) return;
    var tick = function () {
      var d = new Date(HF.serverNow());
      el.textContent = HF.fmtTime(d);
      el.setAttribute('datetime', d.toISOString());
    };
    tick();
    zoneWatchers.push(tick); // the first tick may precede the hall's word on its zone
    setInterval(tick, 5000);
  };

  // debounce runs fn once after a burst of calls has settled.
  HF.debounce = function (fn, ms) {
    var timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  };

  // ---- refusals --------------------------------------------------------------

  // refusal turns an error answer into an Error carrying what the server
  // said: code and reason, the field, the status, Retry-After, and the
  // message in both languages (message is Chinese, message_en English;
  // a server that sends no message_en has its message shown in both).
  function refusal(res, data) {
    var er = (data && data.error) || {};
    var err = new Error(er.message || '');
    err.code = er.code || 'internal';
    err.reason = er.reason || '';
    err.field = er.field || '';
    err.messageEN = er.message_en || '';
    err.status = res.status;
    err.retryAfter = parseInt(res.headers.get('Retry-After') || '0', 10) || 0;
    return err;
  }
  HF.refusal = async function (res) {
    var data = null;
    try { data = await res.json(); } catch (e) { /* no JSON body */ }
    return refusal(res, data);
  };

  // errorWords is what a page shows for e: a dictionary key, or a refusal
  // in the page's language. The pages never wrap a server's sentence in
  // their own: the server words its refusals.
  function errorWords(e) {
    if (!e) return '';
    if (typeof e === 'string') return HF.t(e);
    if (e.code === 'network') return HF.t('err.network');
    var text = HF.lang === 'en' && e.messageEN ? e.messageEN : e.message;
    return text || HF.t('err.unknown'); // an answer without the API's error (a proxy's, say)
  }
  HF.errorText = errorWords;

  // deskSignIn is a staff page's sign-in: the member kept in sessionStorage
  // under key (it ends with the tab), the form (#signin with #staff,
  // #password, #signin-error), the desk (#desk), #signout and #who.
  // changed(member) is told each time it changes, null when signed out;
  // api calls the API with the member's token (a fresh Idempotency-Key for
  // a POST), and a lapsed sign-in signs the page out. Call set(me) once
  // the page is ready, to show it as the member left it.
  HF.deskSignIn = function (key, changed) {
    var $ = function (id) { return document.getElementById(id); };
    var desk = { me: null };
    try { desk.me = JSON.parse(sessionStorage.getItem(key) || 'null'); } catch (e) { desk.me = null; }
    desk.set = function (m) {
      desk.me = m;
      try { if (m) sessionStorage.setItem(key, JSON.stringify(m)); else sessionStorage.removeItem(key); } catch (e) { /* private mode */ }
      $('signin').hidden = !!m;
      $('desk').hidden = !m;
      $('signout').hidden = !m;
      $('who').textContent = m ? (m.name || m.staff) : '';
      changed(m);
    };
    desk.api = async function (method, path, body) {
      try {
        return await HF.api(method, path, body, { token: desk.me && desk.me.token, key: method === 'POST' ? HF.key() : undefined });
      } catch (e) {
        if (e.status === 401) { desk.set(null); HF.showError($('signin-error'), e); }
        throw e;
      }
    };
    $('signin').addEventListener('submit', async function (ev) {
      ev.preventDefault();
      var who = await HF.signIn($('staff'), $('password'), $('signin-error'));
      if (who) desk.set({ token: who.token, staff: who.staff, name: who.name });
    });
    $('signout').addEventListener('click', async function () {
      if (desk.me) { try { await HF.api('POST', '/api/v1/logout', {}, { token: desk.me.token }); } catch (e) { /* ended already */ } }
      desk.set(null);
    });
    return desk;
  };

  // showError shows e in el (nothing for null) and words it again when the
  // language changes.
  // signIn signs a staff member in from a page's form: the staff number and
  // password inputs, and where to show a refusal. With a role, an account of
  // another role is refused on the page before anything is shown to it (the
  // server refuses its actions anyway). Answers the sign-in, or null; the
  // password field is emptied either way.
  HF.signIn = async function (staffEl, passwordEl, errorEl, role) {
    HF.showError(errorEl, null);
    var who;
    try {
      who = await HF.api('POST', '/api/v1/login', { staff: staffEl.value.trim(), password: passwordEl.value });
    } catch (e) {
      HF.showError(errorEl, e.status === 401 ? 'err.login' : e);
      return null;
    } finally {
      passwordEl.value = '';
    }
    if (role && who.role !== role) {
      HF.showError(errorEl, { manager: 'err.manager' }[role] || 'err.login');
      return null;
    }
    return who;
  };

  HF.showError = function (el, e) {
    if (!el) return;
    el.hfError = e || null;
    if (e) el.setAttribute('data-hf-error', '');
    else el.removeAttribute('data-hf-error');
    el.textContent = errorWords(e);
  };

  // ---- the hall's nodes -----------------------------------------------------

  // A hall run on several nodes names them (GET /api/v1/nodes); a page's
  // API calls and its live connection move along that list when their
  // node cannot be reached or has no leader. The page itself stays at its
  // own origin, whose sessionStorage holds the sign-in (any node takes a
  // token, the nodes sharing the hall's secret key); the nodes let each
  // other's pages call them.
  var nodes = { list: [], at: -1, learned: null }; // at: index in list of the API's node; -1 the page's own
  HF.nodes = nodes;
  function learnNodes() {
    if (!nodes.learned) {
      nodes.learned = fetch('/api/v1/nodes', { cache: 'no-store' }).then(function (res) {
        return res.ok ? res.json() : null;
      }).then(function (n) {
        if (n && Array.isArray(n.nodes)) nodes.list = n.nodes;
      }).catch(function () { nodes.learned = null; /* the page's node down: ask again next time */ });
    }
    return nodes.learned || Promise.resolve();
  }
  function nodeBase(i) { return i < 0 || i >= nodes.list.length ? '' : nodes.list[i].replace(/\/+$/, ''); }
  // nextNode is the index after i, starting from the page's own node,
  // passing over a node that could not be reached in the last few seconds
  // (a paused one holds a call for the whole timeout) unless all are such:
  // a node answering no_leader is there, and will have a leader soon.
  var downUntil = {};
  function nextNode(i) {
    var n = nodes.list.length;
    if (n < 2) return i;
    if (i < 0) i = Math.max(0, nodes.list.indexOf(location.protocol + '//' + location.host));
    for (var k = 1; k <= n; k++) {
      var j = (i + k) % n;
      if (!(downUntil[j] > Date.now()) || k === n) return j;
    }
    return (i + 1) % n;
  }

  // reconnecting shows "reconnecting" while no node answers the API (the
  // live connection says the same while it is down), and takes it back at
  // the first answer.
  var apiDown = false;
  function reconnecting(on) {
    if (apiDown === on) return;
    apiDown = on;
    var live = window.__hf && window.__hf.live;
    if (live) {
      if (on) live.setState('offline');
      else if (live.ws && live.opened && live.seq !== null) live.setState('online');
      return;
    }
    document.body.classList.toggle('offline', on);
  }

  // ---- API -------------------------------------------------------------------

  // failover is how long a call that may be repeated (a read, or a command
  // with its Idempotency-Key, which any node answers with its first answer)
  // keeps trying the hall's nodes: past a takeover at the longest lease.
  var failover = 20000;

  // api calls the JSON API; an error answer is thrown as the server's
  // refusal (see refusal), a failed network as code 'network'. On a hall
  // of several nodes, a node that cannot be reached or answers 503
  // no_leader sends this call and the next ones to the next node; a read or
  // a keyed command is tried again there, anything else is refused to its
  // page, whose person tries again (a command without a key cannot be
  // known not to have been taken).
  HF.api = async function (method, path, body, opts) {
    opts = opts || {};
    var repeatable = method === 'GET' || method === 'HEAD' || !!opts.key;
    var until = Date.now() + failover;
    learnNodes();
    for (var tries = 0; ; tries++) {
      var at = nodes.at;
      try {
        var data = await callNode(nodeBase(at), method, path, body, opts);
        reconnecting(false);
        return data;
      } catch (e) {
        var moveOn = e.code === 'network' || (e.status === 503 && e.reason === 'no_leader');
        if (!moveOn) { reconnecting(false); throw e; }
        await learnNodes();
        if (nodes.list.length < 2) {
          if (e.code !== 'network') reconnecting(true); // the hall is changing over to another node
          throw e;
        }
        if (e.code === 'network') downUntil[at < 0 ? Math.max(0, nodes.list.indexOf(location.protocol + '//' + location.host)) : at] = Date.now() + 5000;
        if (nodes.at === at) nodes.at = nextNode(at); // unless another call moved on already
        reconnecting(true);
        if (!repeatable || Date.now() > until) throw e;
        // Each node once at once, then every half second.
        var pause = tries + 1 < nodes.list.length ? 50 : 500;
        await new Promise(function (ok) { setTimeout(ok, pause); });
      }
    }
  };

  async function callNode(base, method, path, body, opts) {
    var headers = { 'Accept': 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (opts.token) headers['Authorization'] = 'Bearer ' + opts.token;
    if (opts.key) headers['Idempotency-Key'] = opts.key;
    // A node that was paused (a frozen VM) takes the connection and
    // answers nothing: on several nodes, past a while the next one is asked.
    var ctl = nodes.list.length > 1 && window.AbortController ? new AbortController() : null;
    var timer = ctl ? setTimeout(function () { ctl.abort(); }, 10000) : null;
    var res;
    try {
      res = await fetch(base + path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', signal: ctl ? ctl.signal : undefined });
    } catch (e) {
      var ne = new Error(HF.t('err.network'));
      ne.code = 'network';
      throw ne;
    } finally {
      clearTimeout(timer);
    }
    learnSkew(res);
    var data = null;
    try { data = await res.json(); } catch (e) { /* empty body */ }
    if (!res.ok) throw refusal(res, data);
    return data;
  }

  // HF.cardReader is the mode of the 居民身份证 reader at place (kiosk:K1,
  // locker:L1), or null; a serial reader's reads (masked, with the token to
  // send as card) are handed to onRead for as long as the page lives.
  HF.cardReader = async function (place, onRead) {
    var mode = null;
    try { mode = (await HF.api('GET', '/api/v1/card-readers/' + place)).mode; } catch (e) { return null; }
    (async function () {
      for (var seq = 0; mode === 'serial';) {
        try {
          var c = await HF.api('GET', '/api/v1/card-readers/' + place + '/read?after=' + seq);
          if (c) { seq = c.seq; onRead(c); } // else none within the wait: ask again
        } catch (e) { await new Promise(function (ok) { setTimeout(ok, 5000); }); }
      }
    })();
    return mode;
  };

  HF.key = function () {
    var a = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
  };

  // names: the hall's names in both languages, loaded once per page.
  HF.names = { hall: {}, services: {}, windows: {}, windowList: [], lockerList: [] };
  HF.loadNames = async function () {
    var n = await HF.api('GET', '/api/v1/hall/names');
    HF.names.hall = n.hall;
    HF.names.windowList = n.windows;
    HF.names.lockerList = n.lockers || [];
    HF.names.pauseReasons = n.pause_reasons || [];
    n.services.forEach(function (s) { HF.names.services[s.id] = s; });
    n.windows.forEach(function (w) { HF.names.windows[w.id] = w; });
    return HF.names;
  };
  HF.serviceName = function (code) { return HF.name(HF.names.services[code]) || code; };
  HF.windowName = function (id) { return HF.name(HF.names.windows[id]) || ''; };

  // ---- 好差评 ---------------------------------------------------------------

  // levelButtons lays out the five levels, best first, as the server names
  // them, so the evaluator and the ticket page offer the same choice.
  // The buttons are built once per set of levels and language: a redraw on
  // every event in the hall would replace a button under a finger mid-tap.
  HF.levelButtons = function (box, levels, pick) {
    box._pick = pick;
    var sig = HF.lang + JSON.stringify(levels || []);
    if (box.dataset.built === sig && box.childElementCount) return;
    box.dataset.built = sig;
    HF.clear(box);
    (levels || []).forEach(function (l) {
      box.appendChild(HF.el('button', { type: 'button', class: 'lvl lvl-' + l.level, 'data-level': l.level, onclick: function () { box._pick(l.level); } }, [
        HF.el('b', { text: String(l.level) }), HF.el('span', { text: HF.name(l) }),
      ]));
    });
  };

  // reasonPicker offers the hall's reasons for a 差评 as toggles beside a
  // free-text field; value() is what was chosen and typed.
  HF.reasonPicker = function (box, input, reasons) {
    var chosen = '';
    HF.clear(box);
    (reasons || []).forEach(function (r) {
      box.appendChild(HF.el('button', { type: 'button', class: 'btn reason', 'aria-pressed': 'false', text: r, onclick: function () {
        chosen = chosen === r ? '' : r;
        box.querySelectorAll('button').forEach(function (x) { x.setAttribute('aria-pressed', String(x.textContent === chosen)); });
      } }));
    });
    input.value = '';
    return { value: function () { var typed = input.value.trim(); return chosen && typed ? HF.t('eval.reason.join', chosen, typed) : chosen || typed; } };
  };

  // ---- live connection -----------------------------------------------------

  // Live keeps one WebSocket to the hall. It remembers the last sequence
  // number it applied and, after any drop, reconnects with back-off and asks
  // to resume after it (/ws?since=N); the server answers with what was
  // missed or a fresh snapshot. A frame at or below the last number is a
  // repeat and is ignored. A frame whose prev (the seq sent before it) is
  // past the last number on a live connection means the server skipped
  // frames this screen needed, so it starts again from
  // a snapshot rather than trust what it holds; a new day (day.started)
  // does too, since the numbering and lines start afresh. Test hooks read
  // window.__hf.
  //
  // A seq counts in one journal's history, its epoch, which the snapshot
  // and the resume frame name: a resume says the epoch too, and a node of
  // another history answers with a fresh snapshot. A hall run on several
  // nodes names them (/api/v1/nodes); a screen whose node cannot be
  // reached tries the next, and resumes there.
  function Live(handlers) {
    this.h = handlers;
    this.seq = null;
    this.epoch = '';
    this.nodes = [];
    this.node = -1; // index in nodes of the node connected to; -1 is the page's own
    this.opened = false;
    this.ws = null;
    this.tries = 0;
    this.state = 'connecting';
    this.stats = { snapshots: 0, events: 0, connects: 0, gaps: 0, urls: [] };
    window.__hf = window.__hf || {};
    window.__hf.live = this;
    var self = this;
    document.addEventListener('visibilitychange', function () {
      if (!document.hidden && self.state === 'offline') self.connectNow();
    });
    window.addEventListener('online', function () { self.connectNow(); });
    // A dropped network does not always close a socket; a failed health
    // check does, so the screen notices within seconds.
    setInterval(function () { self.check(); }, 15000);
    this.learnNodes();
    this.connect();
  }

  Live.prototype.learnNodes = async function () {
    await learnNodes();
    this.nodes = nodes.list;
  };

  // base is the node connected to, as http(s)://host, or '' for the page's own.
  Live.prototype.base = function () {
    return this.node < 0 || this.node >= this.nodes.length ? '' : this.nodes[this.node].replace(/\/+$/, '');
  };

  // nextNode moves to the next of the hall's nodes after a node failed.
  Live.prototype.nextNode = function () {
    if (this.nodes.length < 2) return;
    if (this.node < 0) {
      var own = location.protocol + '//' + location.host;
      this.node = Math.max(0, this.nodes.indexOf(own));
    }
    this.node = (this.node + 1) % this.nodes.length;
  };

  Live.prototype.setState = function (s) {
    this.state = s;
    document.body.classList.toggle('offline', s === 'offline');
    document.body.classList.toggle('online', s === 'online');
    document.querySelectorAll('[data-conn]').forEach(function (el) {
      el.textContent = HF.t('conn.' + s);
      el.setAttribute('data-state', s);
    });
    if (this.h.state) this.h.state(s);
  };

  Live.prototype.connect = function () {
    var self = this;
    clearTimeout(this.timer);
    var base = this.base();
    var url = base ? base.replace(/^http/, 'ws') + '/ws'
      : (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
    if (this.seq !== null) url += '?since=' + this.seq + (this.epoch ? '&epoch=' + encodeURIComponent(this.epoch) : '');
    this.opened = false;
    this.stats.urls.push(url);
    this.stats.connects++;
    var ws;
    try { ws = new WebSocket(url); } catch (e) { this.retry(); return; }
    this.ws = ws;
    ws.onopen = function () { if (self.ws === ws) self.opened = true; };
    ws.onmessage = function (ev) {
      if (self.ws !== ws) return; // a socket this screen has let go of
      var m;
      try { m = JSON.parse(ev.data); } catch (e) { return; }
      self.receive(m);
    };
    ws.onclose = function () {
      if (self.ws !== ws) return;
      self.ws = null;
      // A node that could not be reached at all: try the next one.
      if (!self.opened) self.nextNode();
      self.setState('offline');
      self.retry();
    };
    ws.onerror = function () { try { ws.close(); } catch (e) { /* closing */ } };
  };

  Live.prototype.receive = function (m) {
    if (m.type === 'resume') {
      // The node says the history it resumes in; another is a fresh start.
      if ((m.epoch || '') !== this.epoch) this.resync();
      return;
    }
    if (m.type === 'snapshot') {
      this.tries = 0;
      this.seq = m.seq;
      this.epoch = m.epoch || '';
      this.stats.snapshots++;
      this.setState('online');
      if (m.hall && m.hall.hall) HF.setZone(m.hall.hall.time_zone);
      if (this.h.snapshot) this.h.snapshot(m.hall, true);
      return;
    }
    if (typeof m.seq !== 'number') return;
    if (this.seq !== null && m.seq <= this.seq) return;
    // prev is the event sent before this one; the seqs between were
    // private events no screen is sent, so only a prev past ours is a gap.
    var prev = typeof m.prev === 'number' ? m.prev : m.seq - 1;
    if (this.seq !== null && prev > this.seq) {
      this.stats.gaps++;
      this.resync();
      return;
    }
    this.tries = 0;
    if (this.state !== 'online') this.setState('online');
    this.seq = m.seq;
    this.stats.events++;
    if (this.h.event) this.h.event(m);
    if (m.type === 'day.started') this.resync();
  };

  Live.prototype.retry = function () {
    var self = this;
    // 0.5 s, 1 s, 2 s … up to 15 s, with jitter so a hall of screens does
    // not reconnect in step after the server restarts.
    var base = Math.min(15000, 500 * Math.pow(2, this.tries));
    this.tries++;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.connect(); }, base / 2 + Math.random() * base / 2);
  };

  Live.prototype.connectNow = function () {
    if (this.ws) return;
    this.tries = 0;
    this.connect();
  };

  Live.prototype.reconnect = function () {
    if (this.ws) { var ws = this.ws; this.ws = null; try { ws.close(); } catch (e) { /* closing */ } }
    this.setState('offline');
    this.retry();
  };

  // resync drops what the page knows and starts again from a snapshot.
  Live.prototype.resync = function () {
    this.seq = null;
    this.reconnect();
  };

  Live.prototype.check = async function () {
    if (this.state !== 'online' || this.base()) return; // another node's health is its socket's
    var ctl = window.AbortController ? new AbortController() : null;
    var t = setTimeout(function () { if (ctl) ctl.abort(); }, 5000);
    try {
      var res = await fetch('/healthz', { cache: 'no-store', signal: ctl ? ctl.signal : undefined });
      learnSkew(res);
      if (!res.ok) throw new Error('health');
    } catch (e) {
      this.reconnect();
    } finally {
      clearTimeout(t);
    }
  };

  HF.live = function (handlers) { return new Live(handlers); };

  // ---- voice -----------------------------------------------------------------

  // Voice says calls one at a time, in order, each twice as halls do; a new
  // call waits for the one being said. When the speech engine is missing or
  // never reports the end of an utterance, a timer moves the queue on, so one
  // stuck call cannot silence the screen.
  var Voice = {
    queue: [], busy: false, enabled: true, log: [],
    say: function (text, times) {
      if (!text) return;
      for (var i = 0; i < (times || 1); i++) this.queue.push(text);
      this.next();
    },
    next: function () {
      var self = this;
      if (this.busy || !this.queue.length) return;
      var text = this.queue.shift();
      if (!this.enabled) { this.queue = []; return; }
      this.busy = true;
      this.log.push(text);
      var done = false;
      var finish = function () {
        if (done) return;
        done = true;
        clearTimeout(guard);
        // A short breath between announcements.
        setTimeout(function () { self.busy = false; self.next(); }, 600);
      };
      var guard = setTimeout(finish, 1500 + text.length * 350);
      var synth = window.speechSynthesis;
      if (!synth || !window.SpeechSynthesisUtterance) return;
      try {
        var u = new SpeechSynthesisUtterance(text);
        u.lang = 'zh-CN';
        u.rate = 0.9;
        var voices = synth.getVoices();
        for (var i = 0; i < voices.length; i++) if (/^zh(-|_)?CN/i.test(voices[i].lang)) { u.voice = voices[i]; break; }
        u.onend = finish;
        u.onerror = finish;
        synth.speak(u);
      } catch (e) { finish(); }
    },
  };
  HF.voice = Voice;
  window.__hf = window.__hf || {};
  window.__hf.voice = Voice;

  // ---- page start --------------------------------------------------------------

  // start runs a page's code once its document is there, after the shell
  // has worded the page, wired the language toggle and added the offline
  // banner (shown while body has class offline).
  HF.start = function (fn) {
    var go = function () {
      if (!document.querySelector('.offline-banner')) {
        document.body.appendChild(HF.el('div', { class: 'offline-banner', role: 'alert', 'data-i18n': 'conn.offline' }));
      }
      HF.applyI18n();
      document.querySelectorAll('[data-lang-toggle]').forEach(function (b) {
        b.addEventListener('click', function () { HF.setLang(HF.lang === 'zh' ? 'en' : 'zh'); });
      });
      fn();
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', go);
    else go();
  };

  return HF;
})();
