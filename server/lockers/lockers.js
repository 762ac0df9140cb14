// Shared code of the lockers' pages: words in both languages, the JSON
// API and the hall's live feed (WebSocket, resumed after the last event
// seen). ES2017, no build step.
'use strict';

var LK = (function () {
  var LK = {};
  var words = {};
  LK.lang = 'zh';
  try { if (localStorage.getItem('hf.lang') === 'en') LK.lang = 'en'; } catch (e) { /* private mode */ }
  if (new URLSearchParams(location.search).get('lang') === 'en') LK.lang = 'en';

  // words: { key: ['中文', 'English'] }
  LK.words = function (w) { Object.keys(w).forEach(function (k) { words[k] = w[k]; }); };
  LK.t = function (key) {
    var w = words[key];
    var s = w ? (LK.lang === 'en' && w[1] ? w[1] : w[0]) : key;
    for (var i = 1; i < arguments.length; i++) s = s.split('{' + (i - 1) + '}').join(String(arguments[i]));
    return s;
  };
  LK.apply = function () {
    document.documentElement.lang = LK.lang === 'en' ? 'en' : 'zh-CN';
    document.querySelectorAll('[data-t]').forEach(function (el) { el.textContent = LK.t(el.getAttribute('data-t')); });
    document.querySelectorAll('[data-lang]').forEach(function (el) { el.textContent = LK.lang === 'en' ? '中文' : 'English'; });
  };
  LK.toggleLang = function () {
    LK.lang = LK.lang === 'en' ? 'zh' : 'en';
    try { localStorage.setItem('hf.lang', LK.lang); } catch (e) { /* private mode */ }
    LK.apply();
    if (LK.onLang) LK.onLang();
  };

  LK.el = function (tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), attrs[k]);
      else e.setAttribute(k, attrs[k]);
    });
    (kids || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  };

  // api answers the decoded body; an error answer is thrown with its code,
  // field, status and Retry-After.
  LK.api = async function (method, path, body, token) {
    var h = { 'Accept': 'application/json' };
    if (body !== undefined) h['Content-Type'] = 'application/json';
    if (token) h['Authorization'] = 'Bearer ' + token;
    var res;
    try {
      res = await fetch(path, { method: method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    } catch (e) {
      var ne = new Error(LK.t('err.network')); ne.code = 'network'; throw ne;
    }
    var data = null;
    try { data = await res.json(); } catch (e) { /* empty */ }
    if (!res.ok) {
      var er = (data && data.error) || {};
      var err = new Error(er.message || res.statusText);
      err.code = er.code || 'internal'; err.field = er.field || ''; err.status = res.status;
      err.retryAfter = parseInt(res.headers.get('Retry-After') || '0', 10);
      throw err;
    }
    return data;
  };

  // live follows the hall's events: onEvent(message) for each, in order;
  // after a drop it reconnects with back-off and resumes after the last.
  LK.live = function (onEvent, onState) {
    var seq = null, tries = 0;
    function state(s) {
      document.querySelectorAll('[data-conn]').forEach(function (el) {
        el.setAttribute('data-state', s);
        el.textContent = LK.t('conn.' + s);
      });
      if (onState) onState(s);
    }
    function connect() {
      var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws' + (seq !== null ? '?since=' + seq : '');
      var ws;
      try { ws = new WebSocket(url); } catch (e) { retry(); return; }
      ws.onmessage = function (ev) {
        var m; try { m = JSON.parse(ev.data); } catch (e) { return; }
        if (m.type === 'snapshot') { seq = m.seq; tries = 0; state('online'); onEvent(m); return; }
        if (typeof m.seq !== 'number' || (seq !== null && m.seq <= seq)) return;
        seq = m.seq;
        onEvent(m);
      };
      ws.onclose = function () { state('offline'); retry(); };
    }
    function retry() {
      var base = Math.min(15000, 500 * Math.pow(2, tries++));
      setTimeout(connect, base / 2 + Math.random() * base / 2);
    }
    state('connecting');
    connect();
  };

  LK.words({
    'conn.online': ['已连接', 'Online'], 'conn.offline': ['连接中断，正在重连…', 'Offline, reconnecting…'],
    'conn.connecting': ['正在连接…', 'Connecting…'], 'err.network': ['网络故障，请稍后再试', 'Network error, please try again'],
    'size.S': ['小', 'Small'], 'size.M': ['中', 'Medium'], 'size.L': ['大', 'Large'],
  });
  LK.start = function (fn) {
    var go = function () {
      document.querySelectorAll('[data-lang]').forEach(function (b) { b.addEventListener('click', LK.toggleLang); });
      LK.apply();
      fn();
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', go); else go();
  };
  return LK;
})();
