// Polls a page's JSON handler until the page has something new to show, then reloads it: shared by
// the import's progress and the billing return page. `read(value)` updates the page and answers true
// when it is time to reload; a failed request is tried again after five seconds.
(function () {
  "use strict";
  window.pollJson = function (url, read, every) {
    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("status " + response.status);
          }
          return response.json();
        })
        .then(function (value) {
          if (read(value)) {
            window.location.reload();
          } else {
            window.setTimeout(poll, every);
          }
        })
        .catch(function () {
          window.setTimeout(poll, 5000);
        });
    }

    window.setTimeout(poll, 1000);
  };
})();
