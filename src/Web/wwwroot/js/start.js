// The sign-up page's live subdomain check: asks the server 300 ms after the last keystroke and
// says "available" or why not, in a polite live region. The server checks again on submit.
(function () {
  "use strict";
  var input = document.querySelector("[data-availability]");
  var output = document.getElementById("subdomain-check");
  if (!input || !output || !window.fetch) { return; }
  var timer = null;
  var asked = 0;

  function show(text, ok) {
    output.textContent = text;
    output.className = "availability " + (ok ? "ok" : "taken");
    input.setAttribute("aria-invalid", ok ? "false" : "true");
  }

  function check() {
    var value = input.value.trim();
    if (value === "") { output.textContent = ""; input.removeAttribute("aria-invalid"); return; }
    var mine = ++asked;
    fetch(input.dataset.availability + "&subdomain=" + encodeURIComponent(value), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (mine !== asked || !answer) { return; }
        show(answer.available ? output.dataset.available || answer.message : answer.message, answer.available);
      })
      .catch(function () { /* offline or limited: the submit decides */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  });
})();
