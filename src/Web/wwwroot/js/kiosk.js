// The sign-up kiosk: checks before sending, email typo hints, idle reset, and the offline queue
// (sign-ups the service worker kept while the network was down are sent again from here).
(() => {
  'use strict';
  const d = document, form = d.getElementById('signup');
  const fmt = (text, ...values) => text.replace(/\{(\d)\}/g, (_, i) => values[i]);

  // --- The offline queue (IndexedDB; the service worker writes, this page sends) -------------
  // An entry the server refuses (422), or can never take as it is (400, 413), is not dropped: it is
  // kept as "held" until staff correct and send it (same submission id) or discard it. Shoppers'
  // details are shown only after the staff PIN, and every entry is deleted after the expiry days.
  const { withStore } = self.kioskQueue;
  const all = () => withStore('readonly', s => s.getAll()).catch(() => []);
  const put = item => withStore('readwrite', s => s.put(item));
  const drop = id => withStore('readwrite', s => s.delete(id));
  const el = (tag, text, className) => { const e = d.createElement(tag); if (text) e.textContent = text; if (className) e.className = className; return e; };
  const button = (text, className, click) => { const b = el('button', text, 'button ' + className); b.type = 'button'; b.addEventListener('click', click); return b; };
  const count = (n, one, many, ...more) => fmt(n === 1 ? one : many, n, ...more);
  const when = time => new Date(time).toLocaleString(d.documentElement.lang, { dateStyle: 'medium', timeStyle: 'short' });
  const queue = d.getElementById('queue'), panel = d.getElementById('queue-panel'), t = panel ? panel.dataset : {};
  const days = +t.expiryDays || 7, pin = (t.pin || '').split('.'), hasPin = pin.length === 3;
  // Outside IndexedDB only numbers are kept: how many sign-ups expired, and the PIN's lock-out.
  const EXPIRED = 'kiosk-expired', LOCK = 'kiosk-pin-lock', OPENED = 'kiosk-held-opened', TRIES = 5, LOCKED_MINUTES = 5;
  const storage = session => session ? sessionStorage : localStorage;
  const read = (key, session) => { try { return JSON.parse(storage(session).getItem(key)); } catch { return null; } };
  const write = (key, value, session) => { try { if (value === null) storage(session).removeItem(key); else storage(session).setItem(key, JSON.stringify(value)); } catch { /* storage blocked: nothing kept */ } };
  const expiredCount = () => +read(EXPIRED) || 0;

  // "Open and correct" lets this tab show that one held sign-up (a reload too); any other page ends it.
  const heldId = new URLSearchParams(location.search).get('held');
  if (!heldId || read(OPENED, true) !== heldId) write(OPENED, null, true);

  // Expired entries are deleted, not hidden: they hold personal data nobody will send any more.
  // One look at a time, or two overlapping looks would both count the same expired entry.
  let looking = Promise.resolve([]);
  const current = () => (looking = looking.catch(() => []).then(async () => {
    const items = await all(), old = items.filter(i => Date.now() - i.queuedAt > days * 864e5);
    if (old.length) await withStore('readwrite', s => old.forEach(i => s.delete(i.id))).then(() => write(EXPIRED, expiredCount() + old.length), () => {});
    return items.filter(i => !old.includes(i));
  }));

  // What the server said, read from the form it sent back: each marked answer's field and message.
  const refusal = html => {
    const page = new DOMParser().parseFromString(html, 'text/html');
    const errors = [...page.querySelectorAll('#signup .error')].map(p => {
      const c = p.closest('.field') && p.closest('.field').querySelector('[name]');
      return { name: c ? c.name : '', message: p.textContent.trim() };
    });
    return { errors, notes: [...page.querySelectorAll('.summary p')].slice(1).map(p => p.textContent.trim()) };
  };
  const fieldsOf = item => new URLSearchParams(item.body);
  const heldUrl = item => {
    const b = fieldsOf(item), q = new URLSearchParams({ lang: b.get('Command.Language') || '' });
    q.set('held', item.id);
    return '/?' + q;
  };
  const filledAt = item => fieldsOf(item).get('Command.FilledAt') || item.queuedAt;
  const problemsOf = item => [...(item.errors || []).map(e => e.message), ...(item.notes || []), ...(item.reason === 413 ? [t.tooLarge] : item.reason === 400 ? [t.unreadable] : item.reason === 410 ? [t.revoked] : [])];

  // "Discard this sign-up? [Yes, discard] [Keep it]", in place of the buttons that asked.
  const askDiscard = (box, id, done) => {
    const before = [...box.childNodes], keep = button(t.keep, 'secondary', () => { box.replaceChildren(...before); before[before.length - 1].focus(); });
    box.replaceChildren(el('p', t.question, 'question'), button(t.yes, 'danger', async () => { await drop(id); done(); }), keep);
    keep.focus();
  };

  // --- The staff PIN: checked here against the hash the page came with, so it works offline ---
  let unlocked = false, relock = 0;
  const unlock = panel && panel.querySelector('.unlock'), pinInput = d.getElementById('staff-pin'), pinError = d.getElementById('staff-pin-error');
  const bytes = b64 => Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const matches = async value => {
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(value), 'PBKDF2', false, ['deriveBits']);
    const bits = new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: bytes(pin[1]), iterations: +pin[0] }, key, 256)), want = bytes(pin[2]);
    return bits.length === want.length && bits.every((b, i) => b === want[i]);
  };
  const sayPin = message => {
    pinError.textContent = message;
    if (message) pinInput.setAttribute('aria-invalid', 'true'); else pinInput.removeAttribute('aria-invalid');
  };
  const lockedFor = () => Math.max(0, ((read(LOCK) || {}).until || 0) - Date.now());
  // An unlocked panel left alone closes itself, and closing always locks it again.
  const idleMs = (form ? +form.dataset.idle : 60) * 1000;
  const stayOpen = () => { clearTimeout(relock); if (unlocked) relock = setTimeout(() => panel.close(), idleMs); };

  const fillPanel = items => {
    const held = items.filter(i => i.held), waiting = items.length - held.length, expired = expiredCount(), secret = held.length > 0 || expired > 0;
    const line = (selector, n, one, many) => { const p = panel.querySelector(selector); p.hidden = !n; p.textContent = n ? count(n, one, many, days) : ''; };
    line('.waiting', waiting, t.waitingOne, t.waitingMany);
    line('.held-count', held.length, t.heldOne, t.heldMany);
    line('.expired', expired, t.expiredOne, t.expiredMany);
    panel.querySelector('.no-pin').hidden = hasPin || !secret;
    unlock.hidden = !hasPin || unlocked || !secret;
    panel.querySelector('.unlocked').hidden = !unlocked;
    panel.querySelector('.intro').hidden = !held.length;
    panel.querySelector('.dismiss').hidden = !expired;
    // Shoppers' details enter the page only after the PIN.
    panel.querySelector('.held-list').replaceChildren(...(unlocked ? held : []).sort((a, b) => a.queuedAt - b.queuedAt).map(item => {
      const b = fieldsOf(item), li = el('li'), actions = el('div', null, 'actions');
      li.append(el('strong', [b.get('Command.FirstName'), b.get('Command.LastName')].filter(Boolean).join(' ') || t.noName),
        el('span', [b.get('Command.Email'), b.get('Command.Phone')].filter(Boolean).join(' · '), 'contact'),
        el('span', fmt(t.filled, when(filledAt(item))), 'when'));
      const problems = el('ul', null, 'problems');
      problemsOf(item).forEach(m => problems.append(el('li', m)));
      actions.append(button(t.open, 'primary', () => { write(OPENED, item.id, true); location.assign(heldUrl(item)); }),
        button(t.discard, 'secondary', () => askDiscard(actions, item.id, showWaiting)));
      li.append(problems, actions);
      return li;
    }));
  };

  const showWaiting = async () => {
    if (!queue || !window.indexedDB) return;
    const items = await current(), held = items.filter(i => i.held).length, waiting = items.length - held, expired = expiredCount(), text = queue.dataset;
    queue.hidden = !items.length && !expired;
    queue.classList.toggle('has-held', held > 0);
    queue.firstElementChild.textContent = [waiting && count(waiting, text.one, text.many), held && count(held, text.heldOne, text.heldMany),
      expired && count(expired, text.expiredOne, text.expiredMany)].filter(Boolean).join(' · ');
    if (panel.open) { if (items.length || expired) fillPanel(items); else panel.close(); }
  };
  if (queue) {
    queue.firstElementChild.addEventListener('click', async () => {
      fillPanel(await current());
      sayPin(lockedFor() ? fmt(t.pinLocked, Math.ceil(lockedFor() / 6e4)) : '');
      panel.showModal();
      if (!unlock.hidden) pinInput.focus();
    });
    panel.querySelector('.close').addEventListener('click', () => panel.close());
    panel.addEventListener('close', () => { unlocked = false; clearTimeout(relock); pinInput.value = ''; panel.querySelector('.held-list').replaceChildren(); });
    ['pointerdown', 'keydown', 'input'].forEach(type => panel.addEventListener(type, stayOpen));
    panel.querySelector('.dismiss button').addEventListener('click', () => { write(EXPIRED, null); showWaiting(); });
    unlock.addEventListener('submit', async e => {
      e.preventDefault();
      if (lockedFor()) { sayPin(fmt(t.pinLocked, Math.ceil(lockedFor() / 6e4))); return; }
      const value = pinInput.value;
      if (!value) { sayPin(t.pinMissing); pinInput.focus(); return; }
      const right = await matches(value).catch(() => false); // no WebCrypto (not a secure context): stays locked
      pinInput.value = '';
      if (right) {
        write(LOCK, null);
        sayPin('');
        unlocked = true;
        fillPanel(await current());
        stayOpen();
        ([...panel.querySelectorAll('.unlocked button')].find(b => b.offsetParent) || panel.querySelector('.close')).focus();
        return;
      }
      const lock = read(LOCK) || {}, fails = (lock.until ? 0 : lock.fails || 0) + 1;
      write(LOCK, fails >= TRIES ? { until: Date.now() + LOCKED_MINUTES * 6e4 } : { fails });
      sayPin(fails >= TRIES ? fmt(t.pinLocked, LOCKED_MINUTES) : t.pinWrong);
      pinInput.focus();
    });
  }

  // A closed store (403) is asked again later, each sign-up on its own backoff: 1, 2, 4 … 64 minutes.
  const later = item => { const tries = (item.tries || 0) + 1; return { ...item, tries, nextAt: Date.now() + 2 ** Math.min(tries - 1, 6) * 6e4 }; };
  const round = async () => {
    if (!window.indexedDB) return;
    try {
      const waiting = (await current()).filter(i => !i.held && !(i.nextAt > Date.now())).sort((a, b) => a.queuedAt - b.queuedAt);
      if (waiting.length === 0) return;
      // The antiforgery cookie may be gone (browser restart): fetch a token with its cookie.
      const answer = await fetch('/?handler=token', { cache: 'no-store', credentials: 'same-origin' });
      if (answer.status === 403) { for (const item of waiting) await put(later(item)); return; }
      if (!answer.ok) return;
      const { token } = await answer.json();
      for (const item of waiting) {
        const body = new URLSearchParams(item.body);
        body.set('__RequestVerificationToken', token);
        const r = await fetch(item.url, { method: 'POST', body, credentials: 'same-origin', redirect: 'manual', cache: 'no-store' });
        // Stored (or already stored: the submission id makes a replay harmless).
        if (r.type === 'opaqueredirect') await drop(item.id);
        // Refused as invalid: kept for staff, with what the server said.
        else if (r.status === 422) await put({ ...item, held: true, ...refusal(await r.text()) });
        // Unreadable or too large even with a fresh token: sending it again cannot help, staff can.
        else if (r.status === 400 || r.status === 410 || r.status === 413) await put({ ...item, held: true, reason: r.status });
        else if (r.status === 403) await put(later(item));
        else if (r.status === 429 || r.status >= 500) break;
        await showWaiting();
      }
    } catch { /* still offline: the next try comes */ } finally {
      await showWaiting();
    }
  };
  // One round at a time. A call during a round (an 'online' while the last offline try is still
  // failing) gets one more round after it instead of being dropped until the 30-second timer.
  let sending = Promise.resolve(), next = null;
  const send = () => next || (next = sending.catch(() => {}).then(() => { next = null; return (sending = round()); }));
  self.kioskQueue.send = send; // what 'online' does, for a test to await
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready).then(() => {
      const ready = () => { d.documentElement.dataset.offline = 'ready'; };
      if (navigator.serviceWorker.controller) ready(); else navigator.serviceWorker.addEventListener('controllerchange', ready);
    }).catch(() => {});
    navigator.serviceWorker.addEventListener('message', e => { if (e.data === 'queued') showWaiting(); });
  }
  addEventListener('online', () => send());
  setInterval(() => send(), 30000);
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
    if (!form.dataset.held) form.elements['Command.FilledAt'].value = new Date().toISOString();
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

  // --- A held sign-up opened by staff (/?held=id): what the shopper typed, and the server's messages -----
  const note = d.getElementById('held');
  const reopen = item => {
    const b = fieldsOf(item), version = form.elements['Command.FormVersion'];
    // The consents were given to the text of the form the shopper saw; a changed form cannot carry them.
    const sameForm = b.get('Command.FormVersion') === version.value;
    let withheld = false;
    for (const c of form.elements) {
      if (!c.name || c.name.startsWith('__') || c === version || /^Command\.(Language|KioskToken)$/.test(c.name)) continue;
      const values = b.getAll(c.name);
      if (/Consent$/.test(c.name)) {
        // Staff may withdraw a consent the shopper gave, never give one: it would be stored as the shopper's.
        c.checked = sameForm && values.includes(c.value);
        c.disabled = !c.checked;
        if (c.disabled) { withheld = true; c.setAttribute('aria-describedby', sameForm ? 'held-consent' : 'held-changed'); }
      } else if (c.type === 'checkbox' || c.type === 'radio') c.checked = values.includes(c.value);
      else if (values.length) c.value = values[0];
    }
    form.dataset.held = item.id;
    const general = problemsOf({ ...item, errors: [] });
    for (const e of item.errors || []) {
      const c = e.name && form.querySelector(`[name="${CSS.escape(e.name)}"]`), box = c && c.closest('.field');
      if (box) setError(box, e.message); else general.push(e.message);
    }
    const text = note.querySelector('.when');
    text.textContent = fmt(text.dataset.text, when(filledAt(item)));
    note.querySelector('.changed').hidden = sameForm;
    note.querySelector('.consent-locked').hidden = !sameForm || !withheld;
    note.querySelector('.notes').replaceChildren(...general.map(m => el('li', m)));
    const actions = note.querySelector('.actions');
    actions.firstElementChild.addEventListener('click', () => askDiscard(actions, item.id, () => location.replace(form.dataset.home)));
    note.hidden = false;
    if (email) email.dispatchEvent(new Event('change'));
    focusFirstError();
  };
  if (heldId && note && window.indexedDB) {
    // Only from "Open and correct" after the PIN: an address from the history opens nothing.
    const opened = read(OPENED, true) === heldId;
    withStore('readonly', s => s.get(heldId)).then(item => {
      if (opened && item && item.held) reopen(item); else history.replaceState(null, '', form.dataset.home);
    }).catch(() => {});
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
    if (left <= 0) { form.reset(); write(OPENED, null, true); location.replace(form.dataset.home); return; }
    if (left <= warnFor) {
      idleText.textContent = fmt(idleText.dataset.text, left);
      if (idle.hidden) { idle.hidden = false; idle.querySelector('button').focus(); }
    }
  }, 1000);
})();
