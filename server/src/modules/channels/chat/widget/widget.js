/*
 * CareDesk live chat widget. A website adds one tag:
 *
 *   <script src="https://care.example.com/widget.js" data-caredesk-lang="ar" async></script>
 *
 * Attributes (all optional): data-caredesk-lang (en | ar; default: the page's lang),
 * data-caredesk-group (a group id to route to), data-caredesk-open ("true": open at load),
 * data-caredesk-name and data-caredesk-email (the visitor, when the page already knows them:
 * the customer portal fills them in for a signed-in customer).
 * The widget lives in a shadow root, so the page's styles and its own never mix. It talks to
 * the CareDesk that served this file; that CareDesk must allow the page's origin
 * (CAREDESK_CHAT_ORIGINS). Messages are kept in an outbox until the server acknowledges them
 * and resent with the same id after a reconnect, so nothing is lost and nothing doubles.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__caredeskChat) return;
  window.__caredeskChat = true;
  var base = new URL(script.src).origin;
  var wsBase = base.replace(/^http/, 'ws');
  var groupId = script.getAttribute('data-caredesk-group') || undefined;
  var pageLang = (script.getAttribute('data-caredesk-lang') || document.documentElement.lang || navigator.language || 'en').slice(0, 2);
  var storeKey = 'caredesk-chat:' + base;

  var STRINGS = {
    en: {
      launcher: 'Chat with us',
      title: 'Chat with CareDesk',
      close: 'Close chat',
      language: 'عربي',
      languageLabel: 'Switch to Arabic',
      online: 'We are online. Tell us who you are and how we can help.',
      offline: 'No one is available right now. Leave a message and we will get back to you.',
      name: 'Your name',
      email: 'Email',
      phone: 'Phone',
      topic: 'How can we help?',
      message: 'Your message',
      start: 'Start chat',
      sendOffline: 'Send message',
      offlineDone: 'Thank you. Your request number is {n}. We will answer by email or phone.',
      needContact: 'Enter an email address or a phone number so we can reach you.',
      required: 'This field is required.',
      waiting: 'Waiting for an agent…',
      connected: '{name} is helping you',
      reconnecting: 'Reconnecting…',
      typing: '{name} is typing…',
      someone: 'The agent',
      you: 'You',
      placeholder: 'Type a message',
      send: 'Send',
      attach: 'Attach a file',
      sending: 'Sending…',
      failed: 'Not sent: {reason}',
      end: 'End chat',
      newChat: 'Start a new chat',
      agent_joined: '{name} joined the chat',
      transferred: 'The chat was transferred to {name}',
      ended: 'The chat has ended',
      error: 'Something went wrong. Try again.',
      tooLarge: 'The file is too large.',
    },
    ar: {
      launcher: 'تحدث معنا',
      title: 'المحادثة مع CareDesk',
      close: 'إغلاق المحادثة',
      language: 'English',
      languageLabel: 'التبديل إلى الإنجليزية',
      online: 'نحن متصلون الآن. عرّفنا بنفسك وكيف يمكننا مساعدتك.',
      offline: 'لا يوجد أحد متاح الآن. اترك رسالة وسنعود إليك.',
      name: 'اسمك',
      email: 'البريد الإلكتروني',
      phone: 'الهاتف',
      topic: 'كيف يمكننا مساعدتك؟',
      message: 'رسالتك',
      start: 'ابدأ المحادثة',
      sendOffline: 'إرسال الرسالة',
      offlineDone: 'شكراً لك. رقم طلبك {n}. سنرد عليك عبر البريد الإلكتروني أو الهاتف.',
      needContact: 'أدخل بريداً إلكترونياً أو رقم هاتف لنتمكن من التواصل معك.',
      required: 'هذا الحقل مطلوب.',
      waiting: 'في انتظار أحد الموظفين…',
      connected: '{name} يساعدك الآن',
      reconnecting: 'جارٍ إعادة الاتصال…',
      typing: '{name} يكتب…',
      someone: 'الموظف',
      you: 'أنت',
      placeholder: 'اكتب رسالة',
      send: 'إرسال',
      attach: 'إرفاق ملف',
      sending: 'جارٍ الإرسال…',
      failed: 'لم تُرسل: {reason}',
      end: 'إنهاء المحادثة',
      newChat: 'بدء محادثة جديدة',
      agent_joined: 'انضم {name} إلى المحادثة',
      transferred: 'حُوّلت المحادثة إلى {name}',
      ended: 'انتهت المحادثة',
      error: 'حدث خطأ ما. حاول مرة أخرى.',
      tooLarge: 'الملف كبير جداً.',
    },
  };
  var CLIP = '<svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true" style="vertical-align:-3px"><path d="M21.44 11.05l-9.19 9.19a6 6 0 0 1-8.49-8.49l9.19-9.19a4 4 0 0 1 5.66 5.66l-9.2 9.19a2 2 0 0 1-2.83-2.83l8.49-8.48"/></svg>';
  var lang = STRINGS[pageLang] ? pageLang : 'en';
  function t(key, params) {
    var s = STRINGS[lang][key] || STRINGS.en[key] || key;
    for (var k in params || {}) s = s.split('{' + k + '}').join(params[k]);
    return s;
  }

  // ---- state kept across page loads: the chat, the last message seen, unacknowledged messages
  var state = load();
  function load() {
    try {
      return JSON.parse(localStorage.getItem(storeKey)) || {};
    } catch (e) {
      return {};
    }
  }
  function save() {
    try {
      localStorage.setItem(storeKey, JSON.stringify(state));
    } catch (e) {
      /* private mode: the chat still works for this page */
    }
  }
  state.outbox = state.outbox || [];

  // ---- DOM
  var host = document.createElement('div');
  host.setAttribute('data-caredesk-chat', '');
  var root = host.attachShadow({ mode: 'open' });
  var css =
    ':host{all:initial}*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Tahoma,Arial,sans-serif}' +
    '.launcher{position:fixed;bottom:20px;inset-inline-end:20px;z-index:2147483000;background:#1c7ed6;color:#fff;border:0;border-radius:24px;padding:12px 18px;font-size:15px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}' +
    '.panel{position:fixed;bottom:20px;inset-inline-end:20px;z-index:2147483001;width:360px;max-width:calc(100vw - 24px);height:520px;max-height:calc(100vh - 40px);background:#fff;color:#212529;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);display:flex;flex-direction:column;overflow:hidden;font-size:14px}' +
    '.head{background:#1c7ed6;color:#fff;padding:10px 12px;display:flex;align-items:center;gap:8px}.head h2{font-size:15px;margin:0;flex:1}' +
    '.head button{background:transparent;color:#fff;border:1px solid rgba(255,255,255,.6);border-radius:6px;cursor:pointer;padding:3px 8px;font-size:13px}' +
    '.body{flex:1;overflow:auto;padding:12px;display:flex;flex-direction:column;gap:8px}' +
    'label{display:block;font-size:13px;margin-bottom:2px}input,textarea{width:100%;padding:7px 8px;border:1px solid #ced4da;border-radius:6px;font-size:14px}' +
    '.field{margin-bottom:8px}.err{color:#c92a2a;font-size:12px;margin-top:2px}.note{color:#495057;margin:0 0 8px}' +
    '.primary{background:#1c7ed6;color:#fff;border:0;border-radius:6px;padding:8px 14px;cursor:pointer;font-size:14px}.primary[disabled]{opacity:.6}' +
    '.msg{max-width:80%;padding:7px 10px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word;unicode-bidi:plaintext}' +
    '.msg.customer{align-self:flex-end;background:#d0ebff}.msg.agent{align-self:flex-start;background:#f1f3f5}.msg.system{align-self:center;background:none;color:#868e96;font-size:12px}' +
    '.msg .who{display:block;font-size:11px;color:#868e96;margin-bottom:2px}.msg .state{display:block;font-size:11px;color:#868e96}.msg a{color:#1864ab}' +
    '.status{font-size:12px;color:#495057;padding:4px 12px;border-top:1px solid #f1f3f5;min-height:22px}' +
    '.compose{display:flex;gap:6px;padding:8px;border-top:1px solid #dee2e6;align-items:flex-end}.compose textarea{resize:none;height:38px}' +
    '.icon{background:#f1f3f5;border:0;border-radius:6px;padding:8px;cursor:pointer}.hidden{display:none!important}';
  root.innerHTML = '<style>' + css + '</style>';
  var launcher = el('button', { class: 'launcher', 'data-testid': 'chat-launcher', type: 'button' });
  var panel = el('div', { class: 'panel hidden', role: 'dialog', 'data-testid': 'chat-panel' });
  root.appendChild(launcher);
  root.appendChild(panel);
  (document.body || document.documentElement).appendChild(host);
  launcher.onclick = function () {
    open();
  };

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  var view = 'closed';
  var messages = [];
  var sock = null;
  var connected = false;
  var status = state.status || 'queued';
  var agentName = state.agentName || null;
  var typingTimer = null;
  var typingName = null;
  var retry = 0;

  function applyDir() {
    panel.setAttribute('dir', lang === 'ar' ? 'rtl' : 'ltr');
    panel.setAttribute('lang', lang);
    launcher.setAttribute('dir', lang === 'ar' ? 'rtl' : 'ltr');
    launcher.textContent = t('launcher');
  }
  applyDir();

  function open() {
    launcher.classList.add('hidden');
    panel.classList.remove('hidden');
    if (state.token) {
      view = 'chat';
      render();
      connect();
    } else {
      view = 'loading';
      render();
      request('GET', '/api/v1/chat/widget/availability' + (groupId ? '?groupId=' + groupId : '')).then(
        function (r) {
          view = r.online ? 'prechat' : 'offline';
          render();
        },
        function () {
          view = 'offline';
          render();
        },
      );
    }
  }

  function request(method, path, body, extra) {
    var headers = { 'accept-language': lang };
    if (state.token) headers['x-caredesk-chat-token'] = state.token;
    if (body && !(body instanceof FormData)) headers['content-type'] = 'application/json';
    for (var k in extra || {}) headers[k] = extra[k];
    return fetch(base + path, { method: method, headers: headers, body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined }).then(function (res) {
      if (res.status === 204) return null;
      return res.text().then(function (text) {
        var data = text ? JSON.parse(text) : null;
        if (!res.ok) {
          var err = new Error((data && data.detail) || t('error'));
          err.status = res.status;
          err.code = data && data.code;
          err.errors = (data && data.errors) || [];
          throw err;
        }
        return data;
      });
    });
  }

  // ---- views
  function header() {
    var h = el('div', { class: 'head' });
    h.appendChild(el('h2', {}, t('title')));
    var sw = el('button', { type: 'button', 'aria-label': t('languageLabel'), 'data-testid': 'chat-language' }, t('language'));
    sw.onclick = function () {
      lang = lang === 'ar' ? 'en' : 'ar';
      applyDir();
      render();
    };
    var x = el('button', { type: 'button', 'aria-label': t('close') }, '×');
    x.onclick = function () {
      panel.classList.add('hidden');
      launcher.classList.remove('hidden');
    };
    h.appendChild(sw);
    h.appendChild(x);
    return h;
  }

  function render() {
    // Re-rendering must not take the half-typed message or the focus away from the visitor.
    var draft = textarea && textarea.isConnected ? textarea.value : '';
    var focused = textarea && root.activeElement === textarea;
    textarea = null;
    panel.textContent = '';
    panel.appendChild(header());
    var body = el('div', { class: 'body', 'data-testid': 'chat-body' });
    panel.appendChild(body);
    if (view === 'loading') body.appendChild(el('p', { class: 'note' }, '…'));
    if (view === 'prechat' || view === 'offline') renderForm(body, view === 'offline');
    if (view === 'offlineDone') body.appendChild(el('p', { class: 'note', 'data-testid': 'chat-offline-done' }, t('offlineDone', { n: state.offlineTicket })));
    if (view === 'chat') renderChat(body);
    if (textarea) {
      textarea.value = draft;
      if (focused) textarea.focus();
    }
  }

  function renderForm(body, offline) {
    body.appendChild(el('p', { class: 'note' }, offline ? t('offline') : t('online')));
    var form = el('form', { novalidate: '', 'data-testid': offline ? 'chat-offline-form' : 'chat-prechat-form' });
    var fields = [
      ['name', 'text', 'name'],
      ['email', 'email', 'email'],
      ['phone', 'tel', 'tel'],
      [offline ? 'message' : 'topic', 'textarea', 'off'],
    ];
    var inputs = {};
    var errors = {};
    fields.forEach(function (f) {
      var id = 'cd-' + f[0];
      var wrap = el('div', { class: 'field' });
      wrap.appendChild(el('label', { for: id }, t(f[0])));
      var input = f[1] === 'textarea' ? el('textarea', { id: id, name: f[0], rows: '3' }) : el('input', { id: id, name: f[0], type: f[1], autocomplete: f[2] });
      if (f[0] === 'email' || f[0] === 'phone') input.setAttribute('dir', 'ltr');
      var known = script.getAttribute('data-caredesk-' + f[0]);
      if (known && (f[0] === 'name' || f[0] === 'email')) input.value = known;
      wrap.appendChild(input);
      var err = el('div', { class: 'err', role: 'alert' });
      wrap.appendChild(err);
      inputs[f[0]] = input;
      errors[f[0]] = err;
      form.appendChild(wrap);
    });
    var general = el('div', { class: 'err', role: 'alert' });
    var submit = el('button', { class: 'primary', type: 'submit' }, offline ? t('sendOffline') : t('start'));
    form.appendChild(general);
    form.appendChild(submit);
    body.appendChild(form);
    form.onsubmit = function (ev) {
      ev.preventDefault();
      for (var k in errors) errors[k].textContent = '';
      general.textContent = '';
      var v = {};
      for (var k2 in inputs) v[k2] = inputs[k2].value.trim();
      var text = offline ? 'message' : 'topic';
      var bad = false;
      if (!v.name) (errors.name.textContent = t('required')), (bad = true);
      if (!v[text]) (errors[text].textContent = t('required')), (bad = true);
      if (!v.email && !v.phone) (errors.email.textContent = t('needContact')), (bad = true);
      if (bad) return;
      var payload = { name: v.name, language: lang };
      if (v.email) payload.email = v.email;
      if (v.phone) payload.phone = v.phone;
      if (groupId) payload.groupId = groupId;
      payload[text] = v[text];
      submit.disabled = true;
      request('POST', offline ? '/api/v1/chat/widget/offline' : '/api/v1/chat/widget/sessions', payload).then(
        function (r) {
          if (offline) {
            state.offlineTicket = r.ticketNumber;
            view = 'offlineDone';
          } else {
            state = { token: r.token, sessionId: r.sessionId, lastSeq: 0, outbox: [], status: r.status };
            save();
            view = 'chat';
            messages = [];
            connect();
          }
          render();
        },
        function (err) {
          submit.disabled = false;
          if (err.code === 'chat_offline') {
            view = 'offline';
            return render();
          }
          var shown = false;
          (err.errors || []).forEach(function (e) {
            var key = e.field.split('.').pop();
            if (errors[key]) (errors[key].textContent = e.message || t('required')), (shown = true);
          });
          if (!shown) general.textContent = err.message || t('error');
        },
      );
    };
  }

  var list, statusLine, textarea;
  function renderChat(body) {
    list = body;
    messages.forEach(function (m) {
      list.appendChild(bubble(m));
    });
    state.outbox.forEach(function (m) {
      list.appendChild(bubble({ author: 'customer', text: m.text, pending: m, files: m.files || [] }));
    });
    statusLine = el('div', { class: 'status', 'data-testid': 'chat-status', 'aria-live': 'polite' });
    panel.appendChild(statusLine);
    updateStatus();
    if (status === 'ended') {
      var again = el('button', { class: 'primary', type: 'button' }, t('newChat'));
      again.onclick = function () {
        if (sock) sock.close();
        state = { outbox: [] };
        save();
        messages = [];
        open();
      };
      var bar = el('div', { class: 'compose' });
      bar.appendChild(again);
      panel.appendChild(bar);
      scroll();
      return;
    }
    var compose = el('form', { class: 'compose' });
    textarea = el('textarea', { 'aria-label': t('placeholder'), placeholder: t('placeholder'), 'data-testid': 'chat-input' });
    var file = el('input', { type: 'file', class: 'hidden', 'data-testid': 'chat-file' });
    var attach = el('button', { type: 'button', class: 'icon', 'aria-label': t('attach'), title: t('attach') });
    attach.innerHTML = CLIP;
    var send = el('button', { type: 'submit', class: 'primary', 'data-testid': 'chat-send' }, t('send'));
    var end = el('button', { type: 'button', class: 'icon', 'data-testid': 'chat-end' }, t('end'));
    attach.onclick = function () {
      file.click();
    };
    file.onchange = function () {
      var f = file.files && file.files[0];
      if (!f) return;
      var fd = new FormData();
      fd.append('file', f, f.name);
      request('POST', '/api/v1/chat/widget/files', fd).then(
        function (r) {
          queue('', [r]);
        },
        function (err) {
          statusLine.textContent = err.status === 413 ? t('tooLarge') : err.message;
        },
      );
      file.value = '';
    };
    textarea.oninput = function () {
      if (connected) sock.send(JSON.stringify({ type: 'typing' }));
    };
    textarea.onkeydown = function (ev) {
      if (ev.key === 'Enter' && !ev.shiftKey) {
        ev.preventDefault();
        compose.requestSubmit();
      }
    };
    compose.onsubmit = function (ev) {
      ev.preventDefault();
      var text = textarea.value.trim();
      if (!text) return;
      textarea.value = '';
      queue(text, []);
    };
    end.onclick = function () {
      request('POST', '/api/v1/chat/widget/end').catch(function () {});
    };
    compose.appendChild(attach);
    compose.appendChild(file);
    compose.appendChild(textarea);
    compose.appendChild(send);
    panel.appendChild(compose);
    var tools = el('div', { class: 'status' });
    tools.appendChild(end);
    panel.appendChild(tools);
    scroll();
  }

  function bubble(m) {
    var b = el('div', { class: 'msg ' + m.author, 'data-testid': 'chat-message' });
    if (m.author === 'system') {
      b.textContent = t(m.code || 'ended', { name: m.name || '' });
      return b;
    }
    b.appendChild(el('span', { class: 'who' }, m.author === 'customer' ? t('you') : m.name || t('someone')));
    if (m.text) b.appendChild(document.createTextNode(m.text));
    (m.files || []).forEach(function (f) {
      var a = el('a', { href: '#', 'data-file': f.id }, ' ' + f.filename);
      a.insertAdjacentHTML('afterbegin', CLIP);
      a.onclick = function (ev) {
        ev.preventDefault();
        fetch(base + '/api/v1/chat/widget/files/' + f.id, { headers: { 'x-caredesk-chat-token': state.token } })
          .then(function (r) {
            return r.blob();
          })
          .then(function (blob) {
            var url = URL.createObjectURL(blob);
            var dl = el('a', { href: url, download: f.filename });
            root.appendChild(dl);
            dl.click();
            dl.remove();
          });
      };
      b.appendChild(el('br'));
      b.appendChild(a);
    });
    if (m.pending) b.appendChild(el('span', { class: 'state' }, m.pending.error ? t('failed', { reason: m.pending.error }) : t('sending')));
    return b;
  }

  function scroll() {
    if (list) list.scrollTop = list.scrollHeight;
  }

  function updateStatus() {
    if (!statusLine) return;
    if (typingName !== null) statusLine.textContent = t('typing', { name: typingName || t('someone') });
    else if (!connected && status !== 'ended') statusLine.textContent = t('reconnecting');
    else if (status === 'ended') statusLine.textContent = t('ended');
    else if (status === 'active' && agentName) statusLine.textContent = t('connected', { name: agentName });
    else statusLine.textContent = t('waiting');
  }

  function uid() {
    return 'w-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10);
  }

  function queue(text, files) {
    var m = { clientId: uid(), text: text, fileIds: files.map(function (f) { return f.id; }), files: files };
    state.outbox.push(m);
    save();
    flush();
    render();
  }

  function flush() {
    if (!connected) return;
    state.outbox.forEach(function (m) {
      sock.send(JSON.stringify({ type: 'message', clientId: m.clientId, text: m.text, fileIds: m.fileIds }));
    });
  }

  // ---- the socket: hello with the last seen id, replay, then live; resend what was not acknowledged
  function connect() {
    if (sock || !state.token) return;
    var ws = new WebSocket(wsBase + '/api/v1/chat/widget/ws');
    sock = ws;
    ws.onopen = function () {
      ws.send(JSON.stringify({ type: 'hello', token: state.token, lastSeq: messages.length ? state.lastSeq || 0 : 0 }));
    };
    ws.onmessage = function (ev) {
      var f = JSON.parse(ev.data);
      if (f.type === 'ready') {
        connected = true;
        retry = 0;
        status = f.status;
        agentName = f.agentName;
        flush();
        render();
      } else if (f.type === 'message') {
        var m = f.message;
        if (messages.some(function (x) { return x.seq === m.seq; })) return;
        messages.push(m);
        state.lastSeq = Math.max(state.lastSeq || 0, m.seq);
        state.outbox = state.outbox.filter(function (o) { return o.clientId !== m.clientId; });
        if (m.author === 'agent') typingName = null;
        save();
        render();
      } else if (f.type === 'ack') {
        state.outbox = state.outbox.filter(function (o) { return o.clientId !== f.clientId; });
        save();
      } else if (f.type === 'error' && f.clientId) {
        state.outbox.forEach(function (o) {
          if (o.clientId === f.clientId) o.error = f.code;
        });
        state.outbox = state.outbox.filter(function (o) { return !o.error || o.error !== 'chat_ended'; });
        save();
        render();
      } else if (f.type === 'error' && f.code === 'unauthorized') {
        state = { outbox: [] };
        save();
      } else if (f.type === 'typing') {
        typingName = f.name || '';
        updateStatus();
        clearTimeout(typingTimer);
        typingTimer = setTimeout(function () {
          typingName = null;
          updateStatus();
        }, 4000);
      } else if (f.type === 'status') {
        status = f.status;
        agentName = f.agentName;
        state.status = status;
        state.agentName = agentName;
        save();
        render();
      } else if (f.type === 'resync') {
        ws.close();
      }
    };
    ws.onclose = function () {
      sock = null;
      connected = false;
      updateStatus();
      if (!state.token || status === 'ended') return;
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 300 * Math.pow(2, retry - 1));
    };
  }

  if (state.token && script.getAttribute('data-caredesk-open') !== 'false') open();
  else if (script.getAttribute('data-caredesk-open') === 'true') open();
})();
