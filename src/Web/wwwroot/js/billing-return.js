// Waits for Stripe's webhook: polls the return page's JSON status and reloads the page, which then
// says the subscription is active. Without script the page has a "Check again" link instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (box) {
    window.pollJson(box.getAttribute("data-status-url"), function (status) { return status.active; }, 1500);
  }
})();
