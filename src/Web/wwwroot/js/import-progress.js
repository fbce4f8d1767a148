// Keeps an import's progress current: polls the page's JSON handler and, once the import is done,
// reloads the page for its report. Without script the page has a Refresh link instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) {
    return;
  }

  var bar = box.querySelector("progress");
  var text = box.querySelector(".progress-text");
  window.pollJson(box.getAttribute("data-progress-url"), function (progress) {
    bar.max = Math.max(progress.rowsTotal, 1);
    bar.value = progress.rowsDone;
    bar.textContent = progress.text;
    text.textContent = progress.text;
    return progress.finished;
  }, 1000);
})();
