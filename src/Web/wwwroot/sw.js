// The kiosk's service worker. It keeps the empty form and thank-you page, with their css, js and
// the store's logo (addresses that change with their content), for when the network is gone, and
// when sending a sign-up fails it saves it in IndexedDB (with its submission id and the time it was
// filled in) and shows the thank-you; kiosk.js sends it once the network is back.
'use strict';
importScripts('/js/queue-store.js');
const CACHE = 'kiosk-v2';
const PAGES = ['/', '/thanks'];

const { withStore } = self.kioskQueue;

const uuid = () => {
  if (self.crypto.randomUUID) return self.crypto.randomUUID();
  const b = self.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
  const h = [...b].map(x => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

// Gives up on a network that does not answer (store Wi-Fi that is up but goes nowhere).
const within = (ms, promise) => Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);

const keep = async (cache, url, response) => {
  const html = await response.clone().text();
  await cache.put(url, response);
  const assets = [...html.matchAll(/(?:href|src|srcset)="(\/(?:css|js|brand)\/[^" ]+)/g)].map(m => m[1]);
  await Promise.all(assets.map(async a => { if (!(await cache.match(a))) await cache.add(a); }));
};

self.addEventListener('install', event => event.waitUntil((async () => {
  const cache = await caches.open(CACHE);
  for (const url of PAGES) {
    const response = await fetch(url, { cache: 'no-store', credentials: 'same-origin' });
    if (response.ok) await keep(cache, url, response);
  }
  await self.skipWaiting();
})()));

self.addEventListener('activate', event => event.waitUntil((async () => {
  for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
  await self.clients.claim();
})()));

// An empty form or thank-you page: from the network, else the last one kept. A kept form gets a
// new submission id each time, or every sign-up made offline would carry the same one.
// A closed store (403) counts as offline here: its tablet keeps taking sign-ups, which wait on the
// device until the store opens again or they expire (ADR 7). A browser without a kept copy shows the 403.
const page = async request => {
  const cache = await caches.open(CACHE), path = new URL(request.url).pathname;
  let closed;
  try {
    const response = await within(6000, fetch(request));
    if (response.ok) keep(cache, path, response.clone()).catch(() => {});
    if (response.status !== 403) return response;
    closed = response;
  } catch { /* offline or too slow: the kept copy */ }
  const kept = await cache.match(path);
  if (!kept) return closed || Response.error();
  const html = (await kept.text()).replace(/(name="Command\.SubmissionId" value=")[^"]*/, `$1${uuid()}`);
  return new Response(html, { headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } });
};

const tell = async () => { for (const client of await self.clients.matchAll()) client.postMessage('queued'); };

// A sign-up: sent as usual; if the network fails or the server cannot take it now, kept for later.
// Once the server stored it (a redirect), a copy kept on this device (a corrected held one) is done with.
// Either way the shopper sees the thank-you unless there is something for them to correct (422).
const submit = async (request, event) => {
  const fields = await request.clone().formData();
  const id = fields.get('Command.SubmissionId');
  let kept = {};
  try {
    const response = await within(15000, fetch(request));
    if (response.type === 'opaqueredirect' && id) event.waitUntil(withStore('readwrite', s => s.delete(id)).then(tell).catch(() => {}));
    // The store is closed for now: kept, and asked again with backoff (kiosk.js) until it opens or the sign-up expires.
    if (response.status === 403) kept = { tries: 1, nextAt: Date.now() + 6e4 };
    // Too large ever to be taken, or typed at a kiosk link revoked since: held for staff, with why.
    else if (response.status === 413 || response.status === 410) kept = { held: true, reason: response.status };
    // Unreadable (400) is most often the stale antiforgery token of a form kept offline: kept, and
    // kiosk.js sends it again with a fresh token; refused then too, it is held for staff.
    else if (response.status !== 400 && response.status !== 429 && response.status < 500) return response;
  } catch { /* offline: keep it */ }
  fields.delete('__RequestVerificationToken');
  if (!id) return Response.error();
  // Sent again after a correction: the sign-up keeps its first queuing time, which its expiry counts from.
  const before = await withStore('readonly', s => s.get(id)).catch(() => undefined);
  await withStore('readwrite', s => s.put({ id, url: request.url, body: new URLSearchParams(fields).toString(), queuedAt: before ? before.queuedAt : Date.now(), ...kept }));
  await tell();
  const query = new URLSearchParams({ lang: fields.get('Command.Language') || '' });
  return Response.redirect(`/thanks?${query}`, 303);
};

self.addEventListener('fetch', event => {
  const request = event.request, url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (request.mode === 'navigate' && request.method === 'POST' && url.pathname === '/') event.respondWith(submit(request, event));
  else if (request.mode === 'navigate' && request.method === 'GET' && PAGES.includes(url.pathname)) event.respondWith(page(request));
  else if (request.method === 'GET' && /^\/(css|js|brand)\//.test(url.pathname)) event.respondWith(caches.match(request).then(hit => hit || fetch(request)));
});
