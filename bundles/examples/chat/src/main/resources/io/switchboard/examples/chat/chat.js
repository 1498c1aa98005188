// The Switchboard chat client. Protocol (one line per WebSocket message), from the server:
//   "? ..." pick a nickname   "+ name" you are name   "* ..." notice   "! ..." error
//   "name: text" a chat message.
// To the server: a nickname (first message) or "/nick name", then chat text.
// User text only ever reaches the page through textContent, never as HTML.
'use strict';

(function () {
  const MIN_DELAY = 500;
  const MAX_DELAY = 8000;

  const stateEl = document.getElementById('state');
  const logEl = document.getElementById('log');
  const nickForm = document.getElementById('nick-form');
  const nickInput = document.getElementById('nick');
  const joinButton = document.getElementById('join');
  const sendForm = document.getElementById('send-form');
  const messageInput = document.getElementById('message');
  const sendButton = document.getElementById('send');

  let socket = null;
  let delay = MIN_DELAY;
  let nickname = '';   // the nickname the server last confirmed
  let joined = false;

  function chatUrl() {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    return scheme + location.host + '/chat';
  }

  function setState(state, text) {
    stateEl.dataset.state = state;
    stateEl.textContent = text || state;
  }

  function setJoined(value) {
    joined = value;
    messageInput.disabled = !value;
    sendButton.disabled = !value;
    joinButton.textContent = value ? 'Rename' : 'Join';
  }

  function log(kind, text) {
    const item = document.createElement('li');
    item.className = kind;
    item.textContent = text;
    const atBottom = logEl.scrollHeight - logEl.scrollTop - logEl.clientHeight < 8;
    logEl.appendChild(item);
    if (atBottom) {
      logEl.scrollTop = logEl.scrollHeight;
    }
  }

  function receive(line) {
    switch (line.charAt(0)) {
      case '?':
        setJoined(false);
        if (nickname && socket) {
          socket.send(nickname);   // rejoin after a reconnect, under the same name
        } else {
          log('local', 'Pick a nickname to join.');
          nickInput.focus();
        }
        break;
      case '+':
        nickname = line.substring(2);
        nickInput.value = nickname;
        setJoined(true);
        break;
      case '*':
        log('notice', line);
        break;
      case '!':
        log('error', line);
        break;
      default:
        log('message', line);
    }
  }

  function connect() {
    setState('connecting');
    const ws = new WebSocket(chatUrl());
    socket = ws;
    ws.onopen = function () {
      delay = MIN_DELAY;
      setState('open');
    };
    ws.onmessage = function (event) {
      if (typeof event.data === 'string') {
        receive(event.data);
      }
    };
    ws.onclose = function (event) {
      if (socket !== ws) {
        return;
      }
      socket = null;
      setJoined(false);
      const wait = delay + Math.floor(Math.random() * delay / 2);
      delay = Math.min(delay * 2, MAX_DELAY);
      setState('closed', 'closed, reconnecting in ' + Math.ceil(wait / 1000) + ' s');
      log('local', 'Disconnected (' + event.code + '); reconnecting in ' + Math.ceil(wait / 1000) + ' s.');
      setTimeout(connect, wait);
    };
  }

  nickForm.addEventListener('submit', function (event) {
    event.preventDefault();
    const name = nickInput.value.trim();
    if (!socket || socket.readyState !== WebSocket.OPEN || !name) {
      return;
    }
    socket.send(joined ? '/nick ' + name : name);
  });

  sendForm.addEventListener('submit', function (event) {
    event.preventDefault();
    const text = messageInput.value;
    if (!socket || socket.readyState !== WebSocket.OPEN || !joined || !text.trim()) {
      return;
    }
    // A leading "/" would be read as a command: double it to send it as text.
    socket.send(text.startsWith('/') && !text.startsWith('/nick ') ? '/' + text : text);
    messageInput.value = '';
    messageInput.focus();
  });

  connect();
}());
