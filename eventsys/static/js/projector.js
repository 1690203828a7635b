// Speed-networking projector: current round, countdown, who goes where.
// Keyboard: Space starts or pauses, ArrowRight goes to the next round, ArrowLeft to the previous.
// Without this file the page still shows one round, with links to the others.
(function () {
  "use strict";
  const root = document.getElementById("projector");
  if (!root) {
    return;
  }
  const total = parseInt(root.dataset.rounds, 10) || 0;
  if (!total) {
    return;
  }
  const roundSeconds = parseInt(root.dataset.roundSeconds, 10) || 600;
  const changeSeconds = parseInt(root.dataset.changeoverSeconds, 10) || 0;
  const title = document.getElementById("projector-round");
  const status = document.getElementById("projector-status");
  const clock = document.getElementById("projector-countdown");
  const toggle = document.getElementById("projector-toggle");
  const prev = document.getElementById("projector-prev");
  const next = document.getElementById("projector-next");
  const sections = Array.from(root.querySelectorAll(".projector-round"));

  // phase: "ready" (round not started), "running", "changeover", "finished"; paused applies to
  // running and changeover.
  const state = {
    round: Math.min(Math.max(parseInt(root.dataset.current, 10) || 1, 1), total),
    phase: "ready",
    paused: true,
    remaining: roundSeconds * 1000,
    deadline: 0,
  };
  let timer = null;

  function fill(template, n) {
    return template.replace("{n}", String(n));
  }

  function format(ms) {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    const m = Math.floor(seconds / 60);
    const s = seconds % 60;
    return String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
  }

  function left() {
    return state.paused ? state.remaining : state.deadline - Date.now();
  }

  function shownRound() {
    // During a changeover the screen already shows where people go next.
    return state.phase === "changeover" ? Math.min(state.round + 1, total) : state.round;
  }

  function statusText() {
    if (state.phase === "finished") {
      return root.dataset.statusFinished;
    }
    if (state.phase === "changeover") {
      return state.paused ? root.dataset.statusPaused : fill(root.dataset.statusChangeover, state.round + 1);
    }
    if (state.phase === "ready") {
      return root.dataset.statusReady;
    }
    return state.paused ? root.dataset.statusPaused : root.dataset.statusRunning;
  }

  function render() {
    const shown = shownRound();
    sections.forEach((section) => {
      section.hidden = parseInt(section.dataset.round, 10) !== shown;
    });
    title.textContent = fill(root.dataset.labelRound, shown);
    const text = statusText();
    if (status.textContent !== text) {
      status.textContent = text; // announced once per change (aria-live), not every second
    }
    clock.textContent = format(left());
    root.classList.toggle("is-running", !state.paused && state.phase !== "finished");
    root.classList.toggle("is-changeover", state.phase === "changeover");
    root.classList.toggle("is-finished", state.phase === "finished");
    toggle.textContent = state.paused ? root.dataset.buttonStart : root.dataset.buttonPause;
    toggle.setAttribute("aria-pressed", state.paused ? "false" : "true");
    prev.setAttribute("aria-disabled", shown <= 1 ? "true" : "false");
    next.setAttribute("aria-disabled", shown >= total ? "true" : "false");
  }

  function run(ms) {
    state.paused = false;
    state.deadline = Date.now() + ms;
  }

  function tick() {
    if (state.paused || state.phase === "finished") {
      return;
    }
    if (left() <= 0) {
      if (state.phase === "running") {
        if (state.round >= total) {
          state.phase = "finished";
          state.paused = true;
          state.remaining = 0;
        } else if (changeSeconds > 0) {
          state.phase = "changeover";
          run(changeSeconds * 1000);
        } else {
          state.round += 1;
          run(roundSeconds * 1000);
        }
      } else if (state.phase === "changeover") {
        state.round += 1;
        state.phase = "running";
        run(roundSeconds * 1000);
      }
    }
    render();
  }

  function startPause() {
    if (state.phase === "finished") {
      return;
    }
    if (state.paused) {
      if (state.phase === "ready") {
        state.phase = "running";
      }
      run(state.remaining);
    } else {
      state.remaining = left();
      state.paused = true;
    }
    render();
  }

  function go(step) {
    const target = shownRound() + step;
    if (target < 1 || target > total) {
      return;
    }
    const wasRunning = !state.paused && state.phase !== "finished";
    state.round = target;
    state.remaining = roundSeconds * 1000;
    if (wasRunning) {
      state.phase = "running";
      run(state.remaining);
    } else {
      state.phase = "ready";
      state.paused = true;
    }
    render();
  }

  toggle.hidden = false;
  toggle.addEventListener("click", startPause);
  prev.addEventListener("click", (event) => {
    event.preventDefault();
    go(-1);
  });
  next.addEventListener("click", (event) => {
    event.preventDefault();
    go(1);
  });
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      return;
    }
    if (event.key === " " || event.code === "Space") {
      // A focused button would also "click" on Space: handle it once, here.
      event.preventDefault();
      startPause();
    } else if (event.key === "ArrowRight") {
      event.preventDefault();
      go(1);
    } else if (event.key === "ArrowLeft") {
      event.preventDefault();
      go(-1);
    }
  });
  // Space on a focused button fires "click" on keyup; keydown already handled it.
  toggle.addEventListener("keyup", (event) => {
    if (event.key === " ") {
      event.preventDefault();
    }
  });
  timer = window.setInterval(tick, 250);
  window.addEventListener("pagehide", () => window.clearInterval(timer));
  render();
})();
