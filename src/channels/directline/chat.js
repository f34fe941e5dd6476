/* global window, document, navigator, localStorage, sessionStorage, fetch, URL, setTimeout, setInterval, atob */
/**
 * The web chat page: Bot Framework Web Chat on this server's Direct Line API.
 *
 * - The conversation's token is kept in localStorage: a reload refreshes it and goes on in the
 *   same conversation (Web Chat reconnects with the conversation id and replays the transcript).
 *   A token that has expired (the page was closed a while) is presented to start again as the
 *   same user, so the coach still knows the user's stage and plan.
 * - A new conversation sends the `webchat/join` event once connected: the coach greets first.
 * - Chinese or English by the browser's languages, switchable in the header (the choice is kept,
 *   and the coach is told with a `webchat/lang` event).
 */
(function () {
  'use strict';

  var SESSION_KEY = 'coach.webchat.session';
  var LANG_KEY = 'coach.webchat.lang';
  var RELOAD_KEY = 'coach.webchat.reloadedAt';
  var API = window.location.origin + '/v3/directline';
  var REFRESH_MS = 10 * 60 * 1000;

  var TEXT = {
    zh: {
      title: '协商教练',
      other: 'EN',
      otherLabel: 'Switch to English',
      plan: '导出计划',
      planSaved: '计划已下载（coach-plan.md）。',
      failed: '暂时连不上教练，请稍后刷新页面再试。',
      locale: 'zh-CN',
      htmlLang: 'zh-CN',
      placeholder: '输入你的问题或情况…',
    },
    en: {
      title: 'Negotiation Coach',
      other: '中文',
      otherLabel: '切换到中文',
      plan: 'Export plan',
      planSaved: 'Your plan is downloaded (coach-plan.md).',
      failed: 'The coach cannot be reached right now. Please reload the page in a moment.',
      locale: 'en-US',
      htmlLang: 'en',
      placeholder: 'Type your question or situation…',
    },
  };

  function storageGet(store, key) {
    try {
      return store.getItem(key);
    } catch {
      return null;
    }
  }

  function storageSet(store, key, value) {
    try {
      store.setItem(key, value);
    } catch {
      // Private mode or storage full: the chat works, a reload starts over.
    }
  }

  /** zh or en: the first of the browser's languages that is one of them; another language alone means a visitor: en. */
  function browserLang() {
    var list = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
    for (var i = 0; i < list.length; i++) {
      if (/^zh\b/i.test(list[i] || '')) return 'zh';
      if (/^en\b/i.test(list[i] || '')) return 'en';
    }
    return list[0] ? 'en' : 'zh';
  }

  var lang = storageGet(localStorage, LANG_KEY);
  if (lang !== 'zh' && lang !== 'en') lang = browserLang();

  var notice = document.getElementById('notice');
  function say(text) {
    notice.textContent = text;
    notice.hidden = !text;
  }

  function paintHeader() {
    var t = TEXT[lang];
    document.documentElement.lang = t.htmlLang;
    document.getElementById('title').textContent = t.title;
    var button = document.getElementById('lang');
    button.textContent = t.other;
    button.setAttribute('aria-label', t.otherLabel);
    document.getElementById('plan').textContent = t.plan;
  }

  function loadSession() {
    try {
      var s = JSON.parse(storageGet(localStorage, SESSION_KEY) || 'null');
      if (s && typeof s.token === 'string' && typeof s.conversationId === 'string') return s;
    } catch {
      // A damaged entry is a new visitor.
    }
    return null;
  }

  function saveSession(session) {
    storageSet(
      localStorage,
      SESSION_KEY,
      JSON.stringify({ token: session.token, conversationId: session.conversationId, savedAt: Date.now() }),
    );
  }

  /** The user id inside the token (the server issued it; Web Chat sends it as from.id). */
  function tokenUser(token) {
    try {
      var part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(part)).user;
    } catch {
      return undefined;
    }
  }

  function post(path, token) {
    var headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    return fetch(API + path, { method: 'POST', headers: headers, body: '{}' }).then(function (res) {
      if (!res.ok) throw new Error(path + ': HTTP ' + res.status);
      return res.json();
    });
  }

  /** The conversation to show: the saved one (refreshed), that user again, or a new one. */
  function connect() {
    var saved = loadSession();
    if (!saved) return post('/conversations').then(fresh(null));
    return post('/tokens/refresh', saved.token)
      .then(function (r) {
        return { token: r.token, conversationId: r.conversationId, isNew: false };
      })
      .catch(function () {
        return post('/conversations', saved.token).then(fresh(saved), function () {
          return post('/conversations').then(fresh(null));
        });
      });
  }

  function fresh(saved) {
    return function (r) {
      return {
        token: r.token,
        conversationId: r.conversationId,
        isNew: !saved || saved.conversationId !== r.conversationId,
      };
    };
  }

  /** Reloads once in a while at most: a page whose token lapsed (a phone asleep) starts again. */
  function reloadSoon() {
    var last = Number(storageGet(sessionStorage, RELOAD_KEY) || 0);
    if (Date.now() - last < 60 * 1000) return;
    storageSet(sessionStorage, RELOAD_KEY, String(Date.now()));
    window.location.reload();
  }

  function styleOptions() {
    return {
      accent: '#1f6feb',
      backgroundColor: '#ffffff',
      bubbleBackground: '#f0f3f7',
      bubbleBorderRadius: 14,
      bubbleBorderWidth: 0,
      bubbleFromUserBackground: '#1f6feb',
      bubbleFromUserTextColor: '#ffffff',
      bubbleFromUserBorderRadius: 14,
      bubbleFromUserBorderWidth: 0,
      bubbleMaxWidth: 620,
      bubbleMinWidth: 0,
      hideUploadButton: true,
      primaryFont:
        "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Segoe UI', Roboto, sans-serif",
      rootHeight: '100%',
      rootWidth: '100%',
      sendBoxHeight: 48,
      suggestedActionLayout: 'flow',
      suggestedActionBorderRadius: 16,
      suggestedActionHeight: 36,
      transcriptOverlayButtonBackground: '#1f6feb',
      groupTimestamp: 300000,
    };
  }

  function start(session) {
    var WebChat = window.WebChat;
    var nonce = (document.querySelector('meta[name="csp-nonce"]') || {}).content;
    var current = { token: session.token, conversationId: session.conversationId };
    saveSession(current);
    var joined = !session.isNew;

    var store = WebChat.createStore({}, function (api) {
      return function (next) {
        return function (action) {
          if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED' && !joined) {
            joined = true;
            api.dispatch({
              type: 'WEB_CHAT/SEND_EVENT',
              payload: { name: 'webchat/join', value: { locale: TEXT[lang].locale } },
            });
          }
          // 3: the token expired (the phone slept through its refresh); 4: gave up reconnecting;
          // 5: the conversation is no longer kept. A reload starts again as the same user.
          if (action.type === 'DIRECT_LINE/UPDATE_CONNECTION_STATUS') {
            var status = action.payload && action.payload.connectionStatus;
            if (status === 3 || status === 4 || status === 5) setTimeout(reloadSoon, 1000);
          }
          return next(action);
        };
      };
    });

    var directLine = WebChat.createDirectLine({
      domain: API,
      token: session.token,
      conversationId: session.conversationId,
      webSocket: true,
    });

    var host = document.getElementById('webchat');
    host.textContent = '';
    function render() {
      WebChat.renderWebChat(
        {
          directLine: directLine,
          store: store,
          userID: tokenUser(session.token),
          locale: TEXT[lang].locale,
          nonce: nonce,
          styleOptions: styleOptions(),
          overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: TEXT[lang].placeholder },
        },
        host,
      );
    }
    render();

    // The saved token is kept fresh (directlinejs refreshes its own copy), so that a reload at any
    // time goes on in this conversation.
    function refresh() {
      post('/tokens/refresh', current.token).then(
        function (r) {
          current.token = r.token;
          saveSession(current);
        },
        function () {
          // Expired or ended: the next reload resumes with the old token.
        },
      );
    }
    setInterval(refresh, REFRESH_MS);
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState !== 'visible') return;
      var saved = loadSession();
      if (saved && Date.now() - (saved.savedAt || 0) > REFRESH_MS) refresh();
    });

    document.getElementById('lang').addEventListener('click', function () {
      lang = lang === 'zh' ? 'en' : 'zh';
      storageSet(localStorage, LANG_KEY, lang);
      paintHeader();
      render();
      store.dispatch({ type: 'WEB_CHAT/SEND_EVENT', payload: { name: 'webchat/lang', value: lang } });
    });

    document.getElementById('plan').addEventListener('click', function (event) {
      event.preventDefault();
      say('');
      fetch('/webchat/plan.md?lang=' + lang, { headers: { Authorization: 'Bearer ' + current.token } })
        .then(function (res) {
          if (!res.ok)
            return res.text().then(function (text) {
              say(text);
            });
          return res.blob().then(function (blob) {
            var url = URL.createObjectURL(blob);
            var link = document.createElement('a');
            link.href = url;
            link.download = 'coach-plan.md';
            document.body.appendChild(link);
            link.click();
            link.remove();
            setTimeout(function () {
              URL.revokeObjectURL(url);
            }, 10000);
            say(TEXT[lang].planSaved);
          });
        })
        .catch(function () {
          say(TEXT[lang].failed);
        });
    });
  }

  paintHeader();
  var ready = new Promise(function (resolve) {
    if (window.WebChat) resolve();
    else window.addEventListener('load', resolve);
  });
  Promise.all([connect(), ready])
    .then(function (results) {
      if (!window.WebChat) throw new Error('Web Chat did not load');
      start(results[0]);
    })
    .catch(function () {
      say(TEXT[lang].failed);
      document.getElementById('webchat').textContent = '';
    });
})();
