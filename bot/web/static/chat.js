// The practitioners' chat: talks to the assistant over socket.io and keeps the
// conversation in this tab's sessionStorage, so it survives a reload but not the tab.
(function () {
  "use strict";

  var STORE = "safeguarding-chat";
  var list = document.getElementById("messages");
  var form = document.getElementById("ask");
  var input = document.getElementById("message");
  var status = document.getElementById("status");
  var restart = document.getElementById("restart");

  var state = load();
  var pending = [];
  var socket = io({ path: "/socket.io/" });

  marked.setOptions({ breaks: true, gfm: true });
  DOMPurify.addHook("afterSanitizeAttributes", function (node) {
    if (node.tagName === "A") {
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer");
    }
  });

  function load() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(STORE) || "null");
      if (saved && Array.isArray(saved.messages)) return saved;
    } catch (error) { /* a damaged store starts a new conversation */ }
    return { sessionId: null, messages: [] };
  }

  function save() {
    sessionStorage.setItem(STORE, JSON.stringify(state));
  }

  function setStatus(text) {
    status.textContent = text;
  }

  function render(message, index) {
    var item = document.createElement("div");
    item.className = "message " + message.from;
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = message.from === "user" ? "You said: " : "Assistant: ";
    item.appendChild(who);
    var body = document.createElement("div");
    if (message.from === "bot") {
      body.innerHTML = DOMPurify.sanitize(marked.parse(message.text || ""));
    } else {
      body.textContent = message.text;
    }
    item.appendChild(body);
    if (message.buttons && message.buttons.length) {
      var choices = document.createElement("ul");
      choices.className = "choices";
      choices.setAttribute("aria-label", "Choices");
      message.buttons.forEach(function (choice) {
        var entry = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = choice.title;
        button.addEventListener("click", function () {
          send(choice.payload, choice.title);
        });
        entry.appendChild(button);
        choices.appendChild(entry);
      });
      item.appendChild(choices);
    }
    item.dataset.index = String(index);
    list.appendChild(item);
    item.scrollIntoView({ block: "nearest" });
  }

  function add(message) {
    state.messages.push(message);
    save();
    render(message, state.messages.length - 1);
  }

  function send(text, shown) {
    text = (text || "").trim();
    if (!text) return;
    add({ from: "user", text: shown || text });
    setStatus("Waiting for the answer…");
    pending.push(text);
    flush();
    input.focus();
  }

  // The assistant ignores messages without a session id, so hold them until it confirms one.
  function flush() {
    while (state.sessionId && pending.length) {
      socket.emit("user_uttered", { message: pending.shift(), session_id: state.sessionId });
    }
  }

  function fromAssistant(data) {
    if (!data || typeof data !== "object") return;
    var buttons = (data.quick_replies || data.buttons || []).map(function (button) {
      return { title: String(button.title), payload: String(button.payload) };
    });
    var text = typeof data.text === "string" ? data.text : "";
    if (data.attachment && data.attachment.payload && data.attachment.payload.src) {
      text += (text ? "\n\n" : "") + "[Attachment](" + data.attachment.payload.src + ")";
    }
    if (!text && !buttons.length) return;
    setStatus("");
    add({ from: "bot", text: text, buttons: buttons });
  }

  function welcome() {
    fetch("/chat/welcome.json")
      .then(function (response) { return response.json(); })
      .then(function (message) {
        if (state.messages.length === 0) add({ from: "bot", text: message.text, buttons: message.buttons });
      })
      .catch(function () { setStatus("Could not load the welcome message. You can still ask a question."); });
  }

  socket.on("connect", function () {
    setStatus("");
    socket.emit("session_request", { session_id: state.sessionId });
  });
  socket.on("session_confirm", function (sessionId) {
    state.sessionId = typeof sessionId === "string" ? sessionId : (sessionId && sessionId.session_id);
    save();
    flush();
  });
  socket.on("bot_uttered", fromAssistant);
  socket.on("disconnect", function () {
    setStatus("Connection lost. Reconnecting…");
  });
  socket.on("connect_error", function () {
    setStatus("Cannot reach the assistant just now. Retrying… If a child is in immediate danger, call 999.");
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    input.value = "";
    send(text);
  });

  restart.addEventListener("click", function () {
    sessionStorage.removeItem(STORE);
    state = { sessionId: null, messages: [] };
    pending = [];
    list.innerHTML = "";
    socket.emit("session_request", { session_id: null });
    welcome();
    input.focus();
  });

  state.messages.forEach(render);
  if (state.messages.length === 0) welcome();
})();
