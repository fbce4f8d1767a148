// The offline queue's storage, shared by the page (kiosk.js) and the service worker (sw.js, via
// importScripts): sign-ups waiting to be sent, in IndexedDB, keyed by their submission id.
self.kioskQueue = (() => {
  'use strict';
  const DB = 'customerinfo-queue', STORE = 'signups';
  const withStore = (mode, work) => new Promise((resolve, reject) => {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'id' });
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result, tx = db.transaction(STORE, mode), request = work(tx.objectStore(STORE));
      tx.oncomplete = () => { db.close(); resolve(request && request.result); };
      tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
    };
  });
  return { withStore };
})();
