// The Switchboard Jakarta chat client: one JSON object per WebSocket message.
// From the server: hello {room}, welcome {room, nickname, online}, joined {nickname},
//   left {nickname}, message {from, text}, error {reason}.
// To the server: join {nickname}, say {text}.
// The room is the page's ?room= (default "lobby"); the socket is /jakarta-chat/<room>.
// User text only ever reaches the page through textContent, never as HTML.
'use strict';

(function () {
  const MIN_DELAY = 500;
  const MAX_DELAY = 8000;

  const stateEl = document.getElementById('state');
  const roomNameEl = document.getElementById('room-name');
  const roomForm = document.getElementById('room-form');
  const roomInput = document.getElementById('room');
  const logEl = document.getElementById('log');
  const nickForm = document.getElementById('nick-form');
  const nickInput = document.getElementById('nick');
  const sendForm = document.getElementById('send-form');
  const messageInput = document.getElementById('message');
  const sendButton = document.getElementById('send');

  const room = new URLSearchParams(location.search).get('room') || 'lobby';
  let socket = null;
  let delay = MIN_DELAY;
  let nickname = '';   // the nickname the server last welcomed
  let joined = false;

  function chatUrl() {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    return scheme + location.host + '/jakarta-chat/' + encodeURIComponent(room);
  }

  function setState(state, text) {
    stateEl.dataset.state = state;
    stateEl.textContent = text || state;
  }

  function setJoined(value) {
    joined = value;
    messageInput.disabled = !value;
    sendButton.disabled = !value;
    nickInput.disabled = value;
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

  function send(command) {
    socket.send(JSON.stringify(command));
  }

  function receive(event) {
    switch (event.type) {
      case 'hello':
        setJoined(false);
        if (nickname) {
          send({type: 'join', nickname: nickname});   // rejoin after a reconnect, under the same name
        } else {
          log('local', 'Pick a nickname to join.');
          nickInput.focus();
        }
        break;
      case 'welcome':
        nickname = event.nickname;
        nickInput.value = nickname;
        setJoined(true);
        log('notice', '* you are ' + event.nickname + '; online: ' + event.online.join(', '));
        break;
      case 'joined':
        log('notice', '* ' + event.nickname + ' joined');
        break;
      case 'left':
        log('notice', '* ' + event.nickname + ' left');
        break;
      case 'message':
        log('message', event.from + ': ' + event.text);
        break;
      case 'error':
        log('error', '! ' + event.reason);
        break;
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
    ws.onmessage = function (message) {
      if (typeof message.data === 'string') {
        receive(JSON.parse(message.data));
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

  roomForm.addEventListener('submit', function (event) {
    event.preventDefault();
    const name = roomInput.value.trim();
    if (name && name !== room) {
      location.search = '?room=' + encodeURIComponent(name);
    }
  });

  nickForm.addEventListener('submit', function (event) {
    event.preventDefault();
    const name = nickInput.value.trim();
    if (socket && socket.readyState === WebSocket.OPEN && name && !joined) {
      send({type: 'join', nickname: name});
    }
  });

  sendForm.addEventListener('submit', function (event) {
    event.preventDefault();
    const text = messageInput.value;
    if (socket && socket.readyState === WebSocket.OPEN && joined && text.trim()) {
      send({type: 'say', text: text});
      messageInput.value = '';
      messageInput.focus();
    }
  });

  roomNameEl.textContent = room;
  roomInput.value = room;
  connect();
}());
