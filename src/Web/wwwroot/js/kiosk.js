// The sign-up kiosk: checks before sending, email typo hints, idle reset, and the offline queue
// (sign-ups the service worker kept while the network was down are sent again from here).
(() => {
  'use strict';
  const d = document, form = d.getElementById('signup');
  const fmt = (text, value) => text.replace('{0}', value);

  // --- The offline queue (IndexedDB; the service worker writes, this page sends) -------------
  const { withStore } = self.kioskQueue;
  const badge = d.getElementById('queue');
  const showWaiting = async () => {
    if (!badge || !window.indexedDB) return;
    const n = await withStore('readonly', s => s.count()).catch(() => 0);
    badge.hidden = n === 0;
    badge.textContent = n === 1 ? badge.dataset.one : fmt(badge.dataset.many, n);
  };
  let sending = false;
  const send = async () => {
    if (sending || !window.indexedDB) return;
    sending = true;
    try {
      const waiting = (await withStore('readonly', s => s.getAll())).sort((a, b) => a.queuedAt - b.queuedAt);
      if (waiting.length === 0) return;
      // The antiforgery cookie may be gone (browser restart): fetch a token with its cookie.
      const answer = await fetch('/?handler=token', { cache: 'no-store', credentials: 'same-origin' });
      if (!answer.ok) return;
      const { token } = await answer.json();
      for (const item of waiting) {
        const body = new URLSearchParams(item.body);
        body.set('__RequestVerificationToken', token);
        const r = await fetch(item.url, { method: 'POST', body, credentials: 'same-origin', redirect: 'manual', cache: 'no-store' });
        // Stored (or already stored: the submission id makes a replay harmless), or refused as invalid.
        if (r.type === 'opaqueredirect' || r.status === 422) await withStore('readwrite', s => s.delete(item.id));
        else if (r.status === 429 || r.status >= 500) break;
        await showWaiting();
      }
    } catch { /* still offline: the next try comes */ } finally {
      sending = false;
      showWaiting();
    }
  };
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready).then(() => {
      const ready = () => { d.documentElement.dataset.offline = 'ready'; };
      if (navigator.serviceWorker.controller) ready(); else navigator.serviceWorker.addEventListener('controllerchange', ready);
    }).catch(() => {});
    navigator.serviceWorker.addEventListener('message', e => { if (e.data === 'queued') showWaiting(); });
  }
  addEventListener('online', send);
  setInterval(send, 30000);
  send();

  // --- Thank-you screen ---------------------------------------------------------------------
  const thanks = d.querySelector('.thanks');
  if (thanks) {
    thanks.style.setProperty('--seconds', thanks.dataset.seconds + 's');
    setTimeout(() => location.replace(thanks.dataset.home), thanks.dataset.seconds * 1000);
  }
  if (!form) return;

  // A page restored from the back/forward cache could show the last shopper: load it fresh.
  addEventListener('pageshow', e => { if (e.persisted) location.replace(form.dataset.home); });

  // --- Checks before sending: the server checks again; these only save a round trip ----------
  const boxes = [...form.querySelectorAll('.field')];
  const setError = (box, message) => {
    const controls = box.querySelectorAll('input,select');
    let p = box.querySelector('.error');
    if (!message) {
      if (p) p.remove();
      controls.forEach(c => { c.removeAttribute('aria-invalid'); c.removeAttribute('aria-describedby'); });
      return;
    }
    if (!p) {
      p = d.createElement('p');
      p.className = 'error';
      p.id = (controls[0].id || controls[0].name.replace(/\W/g, '-')) + '-error';
      box.append(p);
    }
    p.textContent = message;
    controls.forEach(c => { c.setAttribute('aria-invalid', 'true'); c.setAttribute('aria-describedby', p.id); });
  };
  const problem = box => {
    if (box.dataset.group === 'required' && !box.querySelector(':checked')) return box.dataset.missing;
    for (const c of box.querySelectorAll('input,select')) {
      if (!c.checkValidity()) return c.validity.valueMissing ? box.dataset.missing : (box.dataset.invalid || box.dataset.missing);
    }
    return '';
  };
  const focusFirstError = () => {
    const first = form.querySelector('[aria-invalid=true]');
    if (first) { first.focus(); first.scrollIntoView({ block: 'center' }); }
  };
  form.addEventListener('submit', e => {
    boxes.forEach(box => { if (box.dataset.missing) setError(box, problem(box)); });
    if (form.querySelector('[aria-invalid=true]')) { e.preventDefault(); focusFirstError(); return; }
    form.elements['Command.FilledAt'].value = new Date().toISOString();
    setTimeout(() => { form.querySelector('.submit').disabled = true; }); // after the browser took the form: no double tap
  });
  form.addEventListener('input', e => {
    const box = e.target.closest('.field');
    if (box && box.querySelector('[aria-invalid=true]') && !problem(box)) setError(box, '');
  });
  focusFirstError();

  // --- "Did you mean …@gmail.com?" ----------------------------------------------------------
  const email = form.querySelector('input[type=email]'), hint = d.getElementById('email-suggest');
  if (email && hint) {
    const domains = hint.dataset.domains.split(' '), button = hint.querySelector('button');
    // Optimal string alignment distance: a swap of two letters ("gmial") counts as one edit.
    const distance = (a, b) => {
      const m = [];
      for (let i = 0; i <= a.length; i++) {
        m[i] = [i];
        for (let j = 1; j <= b.length; j++) {
          m[i][j] = i === 0 ? j : Math.min(m[i - 1][j] + 1, m[i][j - 1] + 1, m[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) m[i][j] = Math.min(m[i][j], m[i - 2][j - 2] + 1);
        }
      }
      return m[a.length][b.length];
    };
    let suggestion = '';
    const suggest = () => {
      const value = email.value.trim(), at = value.lastIndexOf('@'), domain = value.slice(at + 1).toLowerCase();
      suggestion = '';
      if (at > 0 && domain && !domains.includes(domain)) {
        let best = 3;
        for (const known of domains) {
          const n = distance(domain, known);
          if (n < best && n <= (known.length > 6 ? 2 : 1)) { best = n; suggestion = value.slice(0, at + 1) + known; }
        }
      }
      hint.hidden = !suggestion;
      button.textContent = fmt(button.dataset.text, suggestion);
    };
    button.addEventListener('click', () => { email.value = suggestion; hint.hidden = true; email.focus(); email.dispatchEvent(new Event('input', { bubbles: true })); });
    email.addEventListener('change', suggest);
    email.addEventListener('blur', suggest);
    if (email.value) suggest();
  }

  // --- Idle: a half-filled form warns, counts down, then clears itself -------------------------
  const idle = d.getElementById('idle'), idleText = d.getElementById('idle-text');
  const limit = +form.dataset.idle, warnFor = Math.min(10, Math.floor(limit / 3));
  let last = Date.now();
  const filled = () => [...form.elements].some(c => c.name && c.name !== 'website' && !c.name.startsWith('__') && c.type !== 'hidden'
    && ((c.type === 'checkbox' || c.type === 'radio') ? c.checked : c.value !== ''));
  const awake = () => { last = Date.now(); idle.hidden = true; };
  ['input', 'change', 'keydown', 'pointerdown', 'scroll'].forEach(t => addEventListener(t, awake, { capture: true, passive: true }));
  idle.querySelector('button').addEventListener('click', awake);
  setInterval(() => {
    if (!filled()) { last = Date.now(); return; }
    const left = limit - Math.floor((Date.now() - last) / 1000);
    if (left <= 0) { form.reset(); location.replace(form.dataset.home); return; }
    if (left <= warnFor) {
      idleText.textContent = fmt(idleText.dataset.text, left);
      if (idle.hidden) { idle.hidden = false; idle.querySelector('button').focus(); }
    }
  }, 1000);
})();
