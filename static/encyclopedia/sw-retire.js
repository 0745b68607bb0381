/* Served as /sw.js under DEBUG, and the way to retire ImmunoRef's offline worker anywhere: no
   fetch handler (the network answers everything), and on activation it deletes what the offline
   worker kept and unregisters itself. */
"use strict";
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("immunoref-")) { await caches.delete(name); }
    }
    await self.registration.unregister();
  })());
});
