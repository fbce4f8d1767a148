// Keeps an import's progress current: polls the page's JSON handler and, once the import is done,
// reloads the page for its report. Without script the page has a Refresh link instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) {
    return;
  }

  var url = box.getAttribute("data-progress-url");
  var bar = box.querySelector("progress");
  var text = box.querySelector(".progress-text");

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (progress) {
        bar.max = Math.max(progress.rowsTotal, 1);
        bar.value = progress.rowsDone;
        bar.textContent = progress.text;
        text.textContent = progress.text;
        if (progress.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
