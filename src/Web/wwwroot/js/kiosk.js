// The sign-up kiosk: checks before sending, email typo hints, idle reset, and the offline queue
// (sign-ups the service worker kept while the network was down are sent again from here).
(() => {
  'use strict';
  const d = document, form = d.getElementById('signup');
  const fmt = (text, value) => text.replace('{0}', value);

  // --- The offline queue (IndexedDB; the service worker writes, this page sends) -------------
  // An entry the server refuses (422) is not dropped: it is kept as "held", with the server's
  // messages, until staff correct and send it (same submission id) or discard it.
  const { withStore } = self.kioskQueue;
  const all = () => withStore('readonly', s => s.getAll()).catch(() => []);
  const put = item => withStore('readwrite', s => s.put(item));
  const drop = id => withStore('readwrite', s => s.delete(id));
  const el = (tag, text, className) => { const e = d.createElement(tag); if (text) e.textContent = text; if (className) e.className = className; return e; };
  const button = (text, className, click) => { const b = el('button', text, 'button ' + className); b.type = 'button'; b.addEventListener('click', click); return b; };
  const count = (n, one, many) => n === 1 ? one : fmt(many, n);
  const when = time => new Date(time).toLocaleString(d.documentElement.lang, { dateStyle: 'medium', timeStyle: 'short' });
  const queue = d.getElementById('queue'), panel = d.getElementById('queue-panel'), t = panel ? panel.dataset : {};

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
    if (b.get('Command.Location')) q.set('loc', b.get('Command.Location'));
    q.set('held', item.id);
    return '/?' + q;
  };
  const filledAt = item => fieldsOf(item).get('Command.FilledAt') || item.queuedAt;

  // "Discard this sign-up? [Yes, discard] [Keep it]", in place of the buttons that asked.
  const askDiscard = (box, id, done) => {
    const before = [...box.childNodes], keep = button(t.keep, 'secondary', () => { box.replaceChildren(...before); before[before.length - 1].focus(); });
    box.replaceChildren(el('p', t.question, 'question'), button(t.yes, 'danger', async () => { await drop(id); done(); }), keep);
    keep.focus();
  };

  const fillPanel = items => {
    const held = items.filter(i => i.held), waiting = items.length - held.length;
    const w = panel.querySelector('.waiting');
    w.hidden = !waiting;
    w.textContent = count(waiting, t.waitingOne, t.waitingMany);
    panel.querySelector('.intro').hidden = !held.length;
    panel.querySelector('.held-list').replaceChildren(...held.sort((a, b) => a.queuedAt - b.queuedAt).map(item => {
      const b = fieldsOf(item), li = el('li'), actions = el('div', null, 'actions');
      li.append(el('strong', [b.get('Command.FirstName'), b.get('Command.LastName')].filter(Boolean).join(' ') || t.noName),
        el('span', [b.get('Command.Email'), b.get('Command.Phone')].filter(Boolean).join(' · '), 'contact'),
        el('span', fmt(t.filled, when(filledAt(item))), 'when'));
      const problems = el('ul', null, 'problems');
      [...item.errors.map(e => e.message), ...item.notes].forEach(m => problems.append(el('li', m)));
      actions.append(button(t.open, 'primary', () => location.assign(heldUrl(item))), button(t.discard, 'secondary', () => askDiscard(actions, item.id, showWaiting)));
      li.append(problems, actions);
      return li;
    }));
  };

  const showWaiting = async () => {
    if (!queue || !window.indexedDB) return;
    const items = await all(), held = items.filter(i => i.held).length, waiting = items.length - held, text = queue.dataset;
    queue.hidden = !items.length;
    queue.classList.toggle('has-held', held > 0);
    queue.firstElementChild.textContent = [waiting && count(waiting, text.one, text.many), held && count(held, text.heldOne, text.heldMany)].filter(Boolean).join(' · ');
    if (panel.open) { if (items.length) fillPanel(items); else panel.close(); }
  };
  if (queue) {
    queue.firstElementChild.addEventListener('click', async () => { fillPanel(await all()); panel.showModal(); });
    panel.querySelector('.close').addEventListener('click', () => panel.close());
  }

  let sending = false;
  const send = async () => {
    if (sending || !window.indexedDB) return;
    sending = true;
    try {
      const waiting = (await all()).filter(i => !i.held).sort((a, b) => a.queuedAt - b.queuedAt);
      if (waiting.length === 0) return;
      // The antiforgery cookie may be gone (browser restart): fetch a token with its cookie.
      const answer = await fetch('/?handler=token', { cache: 'no-store', credentials: 'same-origin' });
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
  const heldId = new URLSearchParams(location.search).get('held'), note = d.getElementById('held');
  const reopen = item => {
    const b = fieldsOf(item), version = form.elements['Command.FormVersion'];
    // The consents were given to the text of the form the shopper saw; a changed form asks again.
    const sameForm = b.get('Command.FormVersion') === version.value;
    for (const c of form.elements) {
      if (!c.name || c.name.startsWith('__') || c === version || /^Command\.(Language|Location)$/.test(c.name) || (!sameForm && /Consent$/.test(c.name))) continue;
      const values = b.getAll(c.name);
      if (c.type === 'checkbox' || c.type === 'radio') c.checked = values.includes(c.value);
      else if (values.length) c.value = values[0];
    }
    form.dataset.held = item.id;
    const general = item.notes.slice();
    for (const e of item.errors) {
      const c = e.name && form.querySelector(`[name="${CSS.escape(e.name)}"]`), box = c && c.closest('.field');
      if (box) setError(box, e.message); else general.push(e.message);
    }
    const text = note.querySelector('.when');
    text.textContent = fmt(text.dataset.text, when(filledAt(item)));
    note.querySelector('.changed').hidden = sameForm;
    note.querySelector('.notes').replaceChildren(...general.map(m => el('li', m)));
    const actions = note.querySelector('.actions');
    actions.firstElementChild.addEventListener('click', () => askDiscard(actions, item.id, () => location.replace(form.dataset.home)));
    note.hidden = false;
    if (email) email.dispatchEvent(new Event('change'));
    focusFirstError();
  };
  if (heldId && note && window.indexedDB) {
    withStore('readonly', s => s.get(heldId)).then(item => {
      if (item && item.held) reopen(item); else history.replaceState(null, '', form.dataset.home);
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
    if (left <= 0) { form.reset(); location.replace(form.dataset.home); return; }
    if (left <= warnFor) {
      idleText.textContent = fmt(idleText.dataset.text, left);
      if (idle.hidden) { idle.hidden = false; idle.querySelector('button').focus(); }
    }
  }, 1000);
})();
