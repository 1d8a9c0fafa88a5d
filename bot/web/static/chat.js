// The practitioners' chat: talks to the assistant over socket.io and keeps the
// conversation in this tab's sessionStorage, so it survives a reload but not the tab.
(function () {
  "use strict";

  var STORE = "safeguarding-chat";
  // An answer shows what to do now first: its opening lines, up to the first blank line and at most
  // LEAD_LINES; its detail and its "Source: ... Last reviewed ..." footer are folded away below.
  // Lines about immediate danger, or about local values and guidance not confirmed, are never folded.
  var LEAD_LINES = 4;
  var FOOTER = /^\s*Sources?:/i;
  var ALWAYS_SHOWN = /999|due for review|not yet confirmed|not (been |yet )?set up/i;
  var EMOJI = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\uFE0F\u200D\u20E3]/gu;
  var EMOJI_WORDS = { "👍": "Helpful", "👎": "Not helpful", "✅": "Yes", "❌": "No" };
  var ENDED = "This choice has ended";

  var list = document.getElementById("messages");
  var form = document.getElementById("ask");
  var input = document.getElementById("message");
  var status = document.getElementById("status");
  var restart = document.getElementById("restart");

  var state = load();
  var pending = [];
  // Whether the server has confirmed the session on this connection. A message emitted before that would be
  // ignored (the assistant answers a connection only for the session it confirmed to it), and socket.io sends
  // messages buffered while disconnected before the "connect" handler can ask for the session again.
  var confirmed = false;
  var held = null;        // the first parts of an answer whose last part, with its buttons, is on its way
  var heldTimer = null;
  var replying = false;   // a question was asked, so new answers are scrolled to
  var replyStart = null;  // the first message of the answer to the latest question
  var touch = window.matchMedia("(pointer: coarse)").matches;
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

  // The lines of an answer in runs of consecutive lines: {shown: [[line, ...], ...], more: [...]}.
  function fold(text) {
    var lines = text.split(/\r?\n/);
    if (!lines.some(function (line) { return FOOTER.test(line); })) return { shown: [lines], more: [] };
    var blank = lines.findIndex(function (line) { return !line.trim(); });
    var lead = Math.min(blank < 0 ? lines.length : blank, LEAD_LINES);
    var runs = { shown: [], more: [] };
    var side = null;
    lines.forEach(function (line, i) {
      var here = ALWAYS_SHOWN.test(line) || (i < lead && !FOOTER.test(line)) ? "shown" : "more";
      if (here !== side) runs[here].push([]);
      runs[here][runs[here].length - 1].push(line);
      side = here;
    });
    return runs;
  }

  // Each run is its own Markdown, so a numbered list split by a folded line keeps its numbers.
  function markdown(runs) {
    return DOMPurify.sanitize(runs.map(function (run) { return marked.parse(run.join("\n")); }).join(""));
  }

  function answer(text) {
    var body = document.createElement("div");
    var runs = fold(text);
    body.innerHTML = markdown(runs.shown);
    var detail = markdown(runs.more);
    if (detail.trim()) {
      var more = document.createElement("details");
      more.className = "more";
      var summary = document.createElement("summary");
      summary.textContent = "More detail and sources";
      var content = document.createElement("div");
      content.innerHTML = detail;
      more.append(summary, content);
      body.appendChild(more);
    }
    return body;
  }

  // A button's name without its emoji; a button that is only an emoji gets words.
  function label(choice) {
    var words = choice.title.replace(EMOJI, "").replace(/\s+/g, " ").trim();
    if (words) return words;
    return EMOJI_WORDS[choice.title.replace(/[\s\uFE0F]/g, "")] ||
      choice.payload.replace(/^\//, "").replace(/[{[].*$/, "").replace(/_/g, " ").trim() || "Choose";
  }

  function choiceButton(choice) {
    var button = document.createElement("button");
    var name = label(choice);
    button.type = "button";
    button.textContent = choice.title.replace(EMOJI, "").trim() ? choice.title : choice.title + " " + name;
    if (name !== choice.title) button.setAttribute("aria-label", name);
    button.addEventListener("click", function (event) {
      if (button.disabled) return;
      send(choice.payload, choice.title, event.detail === 0 || !touch);
    });
    return button;
  }

  // Once the conversation moves on, earlier choices cannot be pressed again.
  function endChoices() {
    list.querySelectorAll(".choices:not(.ended)").forEach(function (choices) {
      choices.classList.add("ended");
      choices.setAttribute("aria-label", "Choices that have ended");
      choices.querySelectorAll("button").forEach(function (button) {
        button.disabled = true;
        button.title = ENDED;
      });
    });
  }

  function render(message, index) {
    if (message.from === "user") {
      endChoices();
      replying = true;
      replyStart = null;
    }
    var item = document.createElement("div");
    item.className = "message " + message.from;
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = message.from === "user" ? "You said: " : "Assistant: ";
    item.appendChild(who);
    var body;
    if (message.from === "bot") {
      body = answer(message.text || "");
    } else {
      body = document.createElement("div");
      body.textContent = message.text;
    }
    item.appendChild(body);
    if (message.buttons && message.buttons.length) {
      var choices = document.createElement("ul");
      choices.className = "choices";
      choices.setAttribute("aria-label", "Choices");
      message.buttons.forEach(function (choice) {
        var entry = document.createElement("li");
        entry.appendChild(choiceButton(choice));
        choices.appendChild(entry);
      });
      item.appendChild(choices);
    }
    item.dataset.index = String(index);
    list.appendChild(item);
    reveal(item, message);
  }

  // A question goes to the foot of the page, above the question box; an answer is read from its start.
  function reveal(item, message) {
    if (message.from === "user") {
      window.scrollTo(0, document.documentElement.scrollHeight);
    } else if (replying) {
      replyStart = replyStart || item;
      replyStart.scrollIntoView({ block: "start" });
    }
  }

  function add(message) {
    state.messages.push(message);
    save();
    render(message, state.messages.length - 1);
  }

  function send(text, shown, refocus) {
    text = (text || "").trim();
    if (!text) return;
    add({ from: "user", text: shown || text });
    setStatus("Waiting for the answer…");
    pending.push(text);
    flush();
    // a pressed choice is now disabled; but a tap must not bring a phone's keyboard over the answer to come
    if (refocus !== false) input.focus();
  }

  // The assistant ignores messages on a connection whose session it has not confirmed, so hold them until then.
  function flush() {
    while (confirmed && socket.connected && state.sessionId && pending.length) {
      socket.emit("user_uttered", { message: pending.shift(), session_id: state.sessionId });
    }
  }

  function release() {
    if (held) add(held);
    held = null;
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
    if (held) {
      clearTimeout(heldTimer);
      text = held.text + (text ? "\n\n" + text : "");
      held = null;
    }
    if (!text && !buttons.length) return;
    setStatus("");
    // Rasa's socket.io channel splits an answer with buttons at its blank lines and sends the buttons
    // with the last part, the others with none: join the parts again into one answer.
    if (Array.isArray(data.quick_replies) && !data.quick_replies.length) {
      held = { from: "bot", text: text, buttons: [] };
      heldTimer = setTimeout(release, 1500);
      return;
    }
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

  // A phone's on-screen keyboard that covers the page without resizing it: lift the question box above it.
  function fitKeyboard() {
    var view = window.visualViewport;
    var covered = view.scale > 1.01 ? 0 : Math.max(0, window.innerHeight - view.height - view.offsetTop);
    document.documentElement.style.setProperty("--keyboard", Math.round(covered) + "px");
  }

  socket.on("connect", function () {
    confirmed = false;
    setStatus(pending.length ? "Waiting for the answer…" : "");
    socket.emit("session_request", { session_id: state.sessionId });
  });
  socket.on("session_confirm", function (sessionId) {
    state.sessionId = typeof sessionId === "string" ? sessionId : (sessionId && sessionId.session_id);
    confirmed = true;
    save();
    flush();
  });
  socket.on("bot_uttered", fromAssistant);
  socket.on("disconnect", function () {
    confirmed = false;
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
    clearTimeout(heldTimer);
    held = null;
    replying = false;
    replyStart = null;
    list.innerHTML = "";
    window.scrollTo(0, 0);
    socket.emit("session_request", { session_id: null });
    welcome();
    input.focus();
  });

  if (window.visualViewport) {
    window.visualViewport.addEventListener("resize", fitKeyboard);
    window.visualViewport.addEventListener("scroll", fitKeyboard);
  }
  state.messages.forEach(render);
  if (state.messages.length === 0) welcome();
})();
