// Live progress of a background job: polls the job's JSON status and updates the page in place.
// The status paragraph is an aria-live region; it is only rewritten when its text changes, so
// screen readers announce each step once.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url]");
  if (!box || box.getAttribute("data-finished") === "true" || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-job-status-url");
  var bar = box.querySelector("progress");
  var percent = box.querySelector(".job-percent");
  var message = box.querySelector("[role=status]");
  var download = box.querySelector(".job-download");
  var reload = box.querySelector(".job-reload");
  var retry = box.querySelector(".job-retry");
  var delay = 1000;

  function show(state) {
    bar.value = state.percent;
    bar.textContent = state.percent + " %";
    percent.textContent = state.percent + " %";
    if (message.textContent !== state.message) {
      message.textContent = state.message;
    }
    if (state.download_url) {
      download.querySelector("a").href = state.download_url;
      download.hidden = false;
    }
    if (retry) {
      retry.hidden = !state.can_retry;
    }
    if (state.finished && reload) {
      reload.hidden = true;
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        delay = 1000;
        if (!state.finished) {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        // A server restart or a network hiccup: keep trying, less often.
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
