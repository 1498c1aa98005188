// The Switchboard echo client: connects to /echo on the page's own host, sends what the user
// types as text messages and lists each echo. The state shows connecting, open, closing, or
// closed with the close code and reason; after a close, Reconnect opens a new connection.
// Text only ever reaches the page through textContent, never as HTML.
'use strict';

(function () {
  const urlEl = document.getElementById('url');
  const stateEl = document.getElementById('state');
  const connectButton = document.getElementById('connect');
  const disconnectButton = document.getElementById('disconnect');
  const sendForm = document.getElementById('send-form');
  const messageInput = document.getElementById('message');
  const sendButton = document.getElementById('send');
  const logEl = document.getElementById('log');

  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/echo';
  let socket = null;

  function setState(state, text) {
    const open = state === 'open';
    stateEl.dataset.state = state;
    stateEl.textContent = text || state;
    messageInput.disabled = !open;
    sendButton.disabled = !open;
    disconnectButton.disabled = !open;
    connectButton.disabled = state !== 'closed';
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

  function connect() {
    setState('connecting');
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    socket = ws;
    ws.onopen = function () {
      setState('open');
      messageInput.focus();
    };
    ws.onmessage = function (event) {
      // The page sends only text, so binary comes back only from another client of this socket.
      log('echo', typeof event.data === 'string' ? event.data : '[' + event.data.byteLength + ' bytes of binary]');
    };
    ws.onclose = function (event) {
      if (socket !== ws) {
        return;
      }
      socket = null;
      // 1006 is the browser's own code for a connection that ended without a close frame.
      const text = 'closed: ' + event.code + (event.reason ? ' ' + event.reason : '');
      setState('closed', text);
      log('notice', text);
    };
  }

  connectButton.addEventListener('click', connect);

  disconnectButton.addEventListener('click', function () {
    if (socket) {
      setState('closing');
      socket.close(1000, 'closed by the page');
    }
  });

  sendForm.addEventListener('submit', function (event) {
    event.preventDefault();
    const text = messageInput.value;
    if (!socket || socket.readyState !== WebSocket.OPEN || text === '') {
      return;
    }
    socket.send(text);
    log('sent', text);
    messageInput.value = '';
    messageInput.focus();
  });

  urlEl.textContent = url;
  connect();
}());
