// The form builder's live preview: a change in the editor is saved as the draft (the same POST as
// the "update preview" button, with the antiforgery token the form carries) and the preview frame
// reloads. Without this script the button does the same with a page load.
(function () {
  'use strict';
  var form = document.getElementById('form-editor');
  var frame = document.getElementById('preview');
  if (!form || !frame || !window.fetch || !window.FormData) {
    return;
  }

  document.documentElement.classList.add('js');
  // Saves count against the store's POST rate limits (shared with its kiosks): at most one every
  // few seconds, however fast the Manager types.
  var quietMs = 1200;
  var spacingMs = 4000;
  var timer = 0;
  var saving = null;
  var again = false;
  var lastSave = 0;

  function save() {
    if (saving) {
      again = true;
      return;
    }

    var wait = lastSave + spacingMs - Date.now();
    if (wait > 0) {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, wait);
      return;
    }

    lastSave = Date.now();
    var body = new FormData(form);
    body.delete('Editor.Action');
    var headers = {};
    headers[form.dataset.header] = '1';
    saving = fetch(form.dataset.save, { method: 'POST', body: body, headers: headers, credentials: 'same-origin', redirect: 'manual' })
      .then(function (response) {
        if (response.status === 204) {
          frame.contentWindow.location.replace(frame.src.split('#')[0]);
        }
      })
      .catch(function () { /* offline or signed out: the buttons still work */ })
      .then(function () {
        saving = null;
        if (again) {
          again = false;
          save();
        }
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, quietMs);
  }

  form.addEventListener('input', later);
  form.addEventListener('change', later);
})();
