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
  var timer = 0;
  var saving = null;
  var again = false;

  function save() {
    if (saving) {
      again = true;
      return;
    }

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
    timer = window.setTimeout(save, 700);
  }

  form.addEventListener('input', later);
  form.addEventListener('change', later);
})();
