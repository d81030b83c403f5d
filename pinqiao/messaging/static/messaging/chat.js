/* 聘桥 chat client (hand-written, no dependencies).
 * Opens /ws/chat/, asks for everything after the last sequence number it shows, appends
 * pushed messages in order (text only through textContent, never innerHTML), reports what was
 * read, and reconnects with back-off, asking again for what came after its last number.
 * Close codes 4401 (no or expired session) and 4408 (forced logout) stop reconnecting. */
(function () {
  "use strict";
  var thread = document.getElementById("chat-thread");
  var statusEl = document.getElementById("chat-status");
  var receipt = document.getElementById("chat-read-receipt");
  var conversation = thread ? parseInt(thread.dataset.conversation, 10) : null;
  var side = thread ? thread.dataset.side : "";
  var lastSeq = thread ? parseInt(thread.dataset.lastSeq, 10) || 0 : 0;
  var socket = null;
  var retry = 0;
  var stopped = false;

  function say(text) { if (statusEl) { statusEl.textContent = text; } }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }

  function render(m) {
    var li = el("li", "chat-msg" + (m.side === side ? " mine" : ""));
    li.dataset.seq = String(m.seq);
    li.appendChild(el("div", "chat-meta", m.sender + " · " + m.at));
    var bubble = el("div", "chat-bubble");
    if (m.kind === "image" && m.image_url) {
      var img = el("img", "chat-image");
      img.src = m.image_url;
      img.alt = "聊天图片";
      bubble.appendChild(img);
    } else if (m.kind === "interview" && m.interview) {
      bubble.textContent = "面试邀请：" + m.interview.title + "（" + m.interview.status + "）";
    } else {
      bubble.textContent = m.body;
    }
    li.appendChild(bubble);
    if (m.tip) {
      var tip = el("p", "chat-tip", m.tip);
      tip.setAttribute("role", "note");
      li.appendChild(tip);
    }
    return li;
  }

  function markRead() {
    if (socket && socket.readyState === WebSocket.OPEN && lastSeq > 0) {
      socket.send(JSON.stringify({type: "read", conversation: conversation, seq: lastSeq}));
    }
  }

  function bumpHeader() {
    var badge = document.getElementById("chat-unread");
    var link = document.getElementById("chat-header-link");
    if (!badge && link) {
      badge = el("span", "badge", "0");
      badge.id = "chat-unread";
      link.appendChild(document.createTextNode(" "));
      link.appendChild(badge);
    }
    if (badge) { badge.textContent = String((parseInt(badge.textContent, 10) || 0) + 1); }
  }

  function accept(m) {
    if (m.conversation !== conversation) {
      if (m.side !== side) { bumpHeader(); }
      return;
    }
    if (m.seq <= lastSeq) { return; }            /* already shown */
    if (m.seq > lastSeq + 1) {                   /* a gap: ask for what is missing */
      socket.send(JSON.stringify({type: "sync", conversation: conversation, after: lastSeq}));
      return;
    }
    thread.appendChild(render(m));
    lastSeq = m.seq;
    thread.dataset.lastSeq = String(lastSeq);
    if (receipt) { receipt.textContent = ""; }
    if (m.side !== side) { markRead(); }
    thread.lastElementChild.scrollIntoView({block: "end"});
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws/chat/");
    socket.onopen = function () {
      retry = 0;
      say("");
      if (conversation) {
        socket.send(JSON.stringify({type: "sync", conversation: conversation, after: lastSeq}));
        markRead();
      }
    };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "message") { accept(data); }
      else if (data.type === "messages" && data.conversation === conversation) {
        data.items.forEach(accept);
      } else if (data.type === "read" && data.conversation === conversation &&
                 data.side !== side && receipt && data.seq >= lastSeq) {
        receipt.textContent = "对方已读";
      } else if (data.type === "error" && data.message) { say(data.message); }
    };
    socket.onclose = function (event) {
      if (event.code === 4401 || event.code === 4408) {
        stopped = true;
        say(event.code === 4408 ? "您已被强制下线，请重新登录。" : "登录已失效，请重新登录后继续沟通。");
        return;
      }
      if (stopped) { return; }
      retry = Math.min(retry + 1, 6);
      say("连接已断开，正在重新连接…");
      window.setTimeout(connect, 500 * retry);
    };
  }

  document.body.addEventListener("htmx:afterSwap", function () {
    var text = document.getElementById("chat-text");
    if (text) { text.focus(); }
  });

  if (window.WebSocket) { connect(); }
}());
