// Staff scan page: handheld scanner (keyboard wedge), camera (BarcodeDetector or the vendored
// jsQR), search by name, undo, counters, sounds, and an offline queue synced when the network
// returns. Every scan carries a random nonce: the server counts a nonce once, so a retry or a
// queued scan sent twice is never counted twice. Texts come from data-msg-* attributes
// (translated by the server); no inline script or style (CSP).
(function () {
  "use strict";

  const app = document.getElementById("scan-app");
  if (!app) {
    return;
  }
  const data = app.dataset;
  const $ = (id) => document.getElementById(id);
  const msg = (name, values) => {
    let text = data["msg" + name.replace(/(^|-)([a-z])/g, (_m, _d, c) => c.toUpperCase())] || "";
    Object.entries(values || {}).forEach(([key, value]) => {
      text = text.split("{" + key + "}").join(String(value));
    });
    return text;
  };
  // A sentence about a number of things: the page gives its "one" and "other" forms
  // (data-msg-NAME-one, data-msg-NAME-other), the page language's plural rule picks one
  // (in French 0 and 1 are "one", in English only 1).
  const plural = new Intl.PluralRules(document.documentElement.lang || undefined);
  const countMsg = (name, count) =>
    msg(name + (plural.select(count) === "one" ? "-one" : "-other"), { count: count });

  const els = {
    result: $("scan-result"),
    title: $("result-title"),
    name: $("result-name"),
    detail: $("result-detail"),
    form: $("scan-form"),
    input: $("scan-input"),
    countIn: $("count-in"),
    countExpected: $("count-expected"),
    network: $("network-state"),
    queue: $("queue-state"),
    undo: $("undo-last"),
    cameraToggle: $("camera-toggle"),
    cameraBox: $("camera-box"),
    video: $("camera-video"),
    searchForm: $("search-form"),
    searchInput: $("search-input"),
    searchStatus: $("search-status"),
    searchResults: $("search-results"),
  };

  const session = data.session ? parseInt(data.session, 10) : null;
  const queueKey = "eventsys-scan-queue:" + data.event;
  const deskKey = "eventsys-scan-desk";
  let lastScan = null; // {nonce, queued}
  let syncing = false;

  // ------------------------------------------------------------------ helpers

  function newNonce() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function loadQueue() {
    try {
      const items = JSON.parse(window.localStorage.getItem(queueKey) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (_error) {
      return [];
    }
  }

  function saveQueue(items) {
    try {
      window.localStorage.setItem(queueKey, JSON.stringify(items));
    } catch (_error) {
      // Storage full or disabled: the scans stay in memory for this page.
    }
    memoryQueue = items;
    showQueue();
  }

  let memoryQueue = loadQueue();

  function showQueue() {
    const count = memoryQueue.length;
    els.queue.hidden = count === 0;
    els.queue.textContent = count ? msg("queue-count", { count: count }) : "";
  }

  function setNetwork(online) {
    els.network.textContent = online ? msg("online") : msg("offline");
    els.network.className = online ? "network-online" : "network-offline";
  }

  // ------------------------------------------------------------------ sound

  let audio = null;
  function beep(kind) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const tones = kind === "ok" ? [[880, 0, 0.12]] : kind === "warn" ? [[520, 0, 0.15], [520, 0.2, 0.15]] : [[220, 0, 0.18], [180, 0.24, 0.3]];
      tones.forEach(([freq, start, length]) => {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.frequency.value = freq;
        osc.type = kind === "ok" ? "sine" : "square";
        gain.gain.value = 0.15;
        osc.connect(gain);
        gain.connect(audio.destination);
        const t = audio.currentTime + start;
        osc.start(t);
        osc.stop(t + length);
      });
    } catch (_error) {
      // No sound available: the coloured text says it all.
    }
  }

  // ------------------------------------------------------------------ result display

  function roleLabel(role) {
    return role ? msg("role-" + role) || role : "";
  }

  function formatTime(iso) {
    if (!iso) {
      return "";
    }
    const date = new Date(iso);
    return date.toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" });
  }

  function show(kind, title, name, detail) {
    els.result.className = "scan-result result-" + kind;
    els.title.textContent = title;
    els.name.textContent = name || "";
    els.detail.textContent = detail || "";
  }

  function showAnswer(answer) {
    const person = answer.attendee;
    const name = person ? [person.first_name, person.last_name].join(" ") : "";
    const extra = person ? [person.organisation, roleLabel(person.role)].filter(Boolean).join(" · ") : "";
    switch (answer.result) {
      case "ok":
        show("ok", session ? msg("ok-session") : msg("ok"), name, extra);
        beep("ok");
        break;
      case "already_checked_in":
        show("warn", msg("already", { time: formatTime(answer.checked_in_at) }), name, extra);
        beep("warn");
        break;
      case "wrong_event":
        show("error", msg("wrong-event"), "", msg("wrong-event-help"));
        beep("error");
        break;
      case "cancelled":
        show("error", msg("cancelled"), name, msg("cancelled-help"));
        beep("error");
        break;
      case "not_confirmed":
        if (answer.reason === "session") {
          show("error", msg("not-in-session"), name, extra);
        } else {
          show("error", msg("not-confirmed"), name, msg("not-confirmed-help"));
        }
        beep("error");
        break;
      default:
        show("error", msg("invalid"), "", msg("invalid-" + String(answer.reason || "malformed").replace(/_/g, "-")) || msg("invalid-malformed"));
        beep("error");
    }
    if (answer.counters) {
      setCounters(answer.counters);
    }
  }

  function setCounters(counters) {
    els.countIn.textContent = counters.in;
    els.countExpected.textContent = counters.expected;
  }

  function showAccessError(code, message) {
    const known = { staff_token_expired: "token-expired", staff_token_revoked: "token-revoked" };
    show("error", known[code] ? msg(known[code]) : msg("access-denied"), "", message || "");
    beep("error");
  }

  // ------------------------------------------------------------------ talking to the server

  function post(url, body) {
    return window.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": data.csrf, Accept: "application/json" },
      body: JSON.stringify(body),
    });
  }

  // Resolves to {kind: "answer", answer} | {kind: "network"} | {kind: "auth", code, message} | {kind: "error", message}
  async function send(item) {
    let response;
    try {
      response = await post(data.checkinUrl, item);
    } catch (_error) {
      return { kind: "network" };
    }
    let body = null;
    try {
      body = await response.json();
    } catch (_error) {
      body = null;
    }
    if (response.ok && body && body.result) {
      return { kind: "answer", answer: body };
    }
    if (response.status >= 500 || response.status === 0 || body === null) {
      return { kind: "network" }; // a proxy's error page or a restarting server: keep it and retry
    }
    const error = (body && body.error) || {};
    if (response.status === 401 || response.status === 403 || error.code === "csrf_failed") {
      return { kind: "auth", code: error.code, message: error.message };
    }
    return { kind: "error", code: error.code, message: error.message || msg("error") };
  }

  function desk() {
    try {
      return window.localStorage.getItem(deskKey) || data.desk || "";
    } catch (_error) {
      return data.desk || "";
    }
  }

  async function scan(item) {
    item.nonce = newNonce();
    item.device = desk();
    item.at = new Date().toISOString();
    if (session) {
      item.session = session;
    }
    if (memoryQueue.length) {
      // Keep the order: queued scans go first, this one joins the queue.
      saveQueue(memoryQueue.concat([item]));
      lastScan = { nonce: item.nonce, queued: true };
      await sync();
      if (memoryQueue.some((queued) => queued.nonce === item.nonce)) {
        show("warn", msg("queued"), "", "");
        beep("warn");
      }
      return;
    }
    const outcome = await send(item);
    handle(item, outcome, true);
  }

  function handle(item, outcome, interactive) {
    if (outcome.kind === "answer") {
      lastScan = { nonce: item.nonce, queued: false };
      if (interactive) {
        showAnswer(outcome.answer);
      } else if (outcome.answer.counters) {
        setCounters(outcome.answer.counters);
      }
      setNetwork(true);
      return true;
    }
    if (outcome.kind === "network" || outcome.kind === "auth") {
      if (!memoryQueue.some((queued) => queued.nonce === item.nonce)) {
        saveQueue(memoryQueue.concat([item]));
      }
      lastScan = { nonce: item.nonce, queued: true };
      if (outcome.kind === "network") {
        setNetwork(false);
        if (interactive) {
          show("warn", msg("queued"), "", msg("queue-count", { count: memoryQueue.length }));
          beep("warn");
        }
      } else {
        showAccessError(outcome.code, outcome.message);
      }
      return false;
    }
    // A request the server refused (e.g. a nonce reused): nothing to retry.
    if (interactive) {
      show("error", msg("error"), "", outcome.message || "");
      beep("error");
    }
    return true;
  }

  async function sync() {
    if (syncing || !memoryQueue.length) {
      return;
    }
    syncing = true;
    let sent = 0;
    try {
      while (memoryQueue.length) {
        const item = memoryQueue[0];
        const outcome = await send(item);
        if (outcome.kind === "network" || outcome.kind === "auth") {
          if (outcome.kind === "auth") {
            showAccessError(outcome.code, outcome.message);
          } else {
            setNetwork(false);
          }
          break;
        }
        saveQueue(memoryQueue.slice(1));
        sent += 1;
        if (lastScan && lastScan.nonce === item.nonce) {
          lastScan.queued = false;
          if (outcome.kind === "answer") {
            showAnswer(outcome.answer);
          }
        } else if (outcome.kind === "answer" && outcome.answer.counters) {
          setCounters(outcome.answer.counters);
        }
        setNetwork(true);
      }
    } finally {
      syncing = false;
    }
    if (sent && !memoryQueue.length && !(lastScan && !lastScan.queued && sent === 1)) {
      els.detail.textContent = countMsg("synced", sent);
    }
  }

  async function refreshCounters() {
    try {
      const response = await window.fetch(data.countersUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.ok) {
        setCounters(await response.json());
        setNetwork(true);
      }
    } catch (_error) {
      setNetwork(false);
    }
  }

  // ------------------------------------------------------------------ undo

  async function undo() {
    if (!lastScan) {
      show("idle", msg("undo-empty"), "", "");
      return;
    }
    if (lastScan.queued) {
      const nonce = lastScan.nonce;
      saveQueue(memoryQueue.filter((item) => item.nonce !== nonce));
      lastScan = null;
      show("idle", msg("undone"), "", "");
      return;
    }
    let response;
    try {
      response = await post(data.undoUrl, { nonce: lastScan.nonce });
    } catch (_error) {
      setNetwork(false);
      show("warn", msg("queued"), "", "");
      return;
    }
    const body = await response.json().catch(() => null);
    if (response.ok && body) {
      lastScan = null;
      show("idle", body.undone ? msg("undone") : msg("undo-nothing"), "", "");
      if (body.counters) {
        setCounters(body.counters);
      }
    } else if (response.status === 401 || response.status === 403) {
      showAccessError(body && body.error && body.error.code, body && body.error && body.error.message);
    } else {
      show("error", msg("error"), "", (body && body.error && body.error.message) || "");
    }
  }

  // ------------------------------------------------------------------ search by name

  async function search(text) {
    els.searchResults.textContent = "";
    if (text.trim().length < 2) {
      els.searchStatus.textContent = msg("search-short");
      return;
    }
    let body;
    try {
      const url = data.searchUrl + (data.searchUrl.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(text);
      const response = await window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      body = await response.json();
      if (!response.ok) {
        showAccessError(body.error && body.error.code, body.error && body.error.message);
        return;
      }
    } catch (_error) {
      setNetwork(false);
      els.searchStatus.textContent = msg("offline");
      return;
    }
    const items = body.items || [];
    els.searchStatus.textContent = items.length ? "" : msg("no-result");
    items.forEach((person) => {
      const li = document.createElement("li");
      const label = document.createElement("span");
      label.className = "search-person";
      const name = [person.first_name, person.last_name].join(" ");
      label.textContent = [name, person.organisation, person.status_label].filter(Boolean).join(" · ") + (person.checked_in ? " · " + msg("present") : "");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button small";
      button.textContent = msg("check-in-person");
      button.setAttribute("aria-label", msg("check-in-person") + " : " + name);
      button.addEventListener("click", () => {
        scan({ registration: person.id }).then(() => els.result.focus());
      });
      li.appendChild(label);
      li.appendChild(button);
      els.searchResults.appendChild(li);
    });
  }

  // ------------------------------------------------------------------ camera

  let stream = null;
  let detector = null;
  let canvas = null;
  let lastText = "";
  let lastTextAt = 0;
  let busy = false;

  function cameraAvailable() {
    return Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia && (window.BarcodeDetector || window.jsQR));
  }

  async function decodeFrame() {
    const video = els.video;
    if (!video.videoWidth) {
      return null;
    }
    if (detector) {
      try {
        const codes = await detector.detect(video);
        if (codes.length) {
          return codes[0].rawValue;
        }
        return null;
      } catch (_error) {
        detector = null; // fall back to jsQR
      }
    }
    if (!window.jsQR) {
      return null;
    }
    canvas = canvas || document.createElement("canvas");
    const scale = Math.min(1, 800 / Math.max(video.videoWidth, video.videoHeight));
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    return code ? code.data : null;
  }

  async function tick() {
    if (!stream) {
      return;
    }
    if (!busy) {
      busy = true;
      try {
        const text = await decodeFrame();
        const now = Date.now();
        // A badge held in front of the camera is read many times a second: scan it once.
        if (text && (text !== lastText || now - lastTextAt > 4000)) {
          lastText = text;
          lastTextAt = now;
          await scan({ qr: text });
        } else if (text) {
          lastTextAt = now;
        }
      } finally {
        busy = false;
      }
    }
    window.setTimeout(tick, 120);
  }

  async function startCamera() {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (_error) {
      stream = null;
      show("error", msg("camera-error"), "", "");
      return;
    }
    if (window.BarcodeDetector) {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        detector = formats.indexOf("qr_code") >= 0 ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
      } catch (_error) {
        detector = null;
      }
    }
    els.video.srcObject = stream;
    els.cameraBox.hidden = false;
    await els.video.play().catch(() => {});
    els.cameraToggle.textContent = msg("stop-camera");
    els.cameraToggle.setAttribute("aria-pressed", "true");
    show("idle", msg("camera-on"), "", "");
    tick();
  }

  function stopCamera() {
    if (stream) {
      stream.getTracks().forEach((track) => track.stop());
    }
    stream = null;
    els.video.srcObject = null;
    els.cameraBox.hidden = true;
    els.cameraToggle.textContent = msg("start-camera");
    els.cameraToggle.setAttribute("aria-pressed", "false");
    show("idle", msg("camera-off"), "", "");
  }

  // ------------------------------------------------------------------ wiring

  els.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = els.input.value;
    els.input.value = "";
    if (text.trim()) {
      scan({ qr: text }).then(() => els.input.focus());
    }
  });
  els.undo.addEventListener("click", () => {
    undo().then(() => els.input.focus());
  });
  els.searchForm.addEventListener("submit", (event) => {
    event.preventDefault();
    search(els.searchInput.value);
  });
  if (cameraAvailable()) {
    els.cameraToggle.hidden = false;
    els.cameraToggle.setAttribute("aria-pressed", "false");
    els.cameraToggle.addEventListener("click", () => (stream ? stopCamera() : startCamera()));
  }
  window.addEventListener("online", () => {
    setNetwork(true);
    sync();
  });
  window.addEventListener("offline", () => setNetwork(false));
  window.setInterval(() => {
    if (memoryQueue.length) {
      sync();
    } else {
      refreshCounters();
    }
  }, 15000);

  showQueue();
  setNetwork(navigator.onLine !== false);
  app.classList.add("scan-ready");
  if (memoryQueue.length) {
    sync();
  }
})();
