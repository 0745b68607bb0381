/* ImmunoRef's service worker, served at /sw.js (scope /) with Cache-Control: no-cache, so a new
   version is picked up on the next visit. Reading offline:
   - pages a reader visits are kept (at most MAX_VISITED, the oldest dropped first), and, when the
     reader asks for it on /offline/, a small core set;
   - only successful same-origin GET page loads of HTML that carry the site's ETag are kept: not
     redirects, not what a hospital's login portal answers, never a POST, a query string, search,
     the reader-signal endpoints or the API;
   - offline, a kept page is shown with a note saying so and when it was saved;
   - when the ETag shows a new content version, the kept copies are fetched again and replaced;
   - the reader can remove everything kept (/offline/).
   To retire it, ship a sw.js without a fetch handler: browsers then go to the network again
   (the one served under DEBUG also deletes what this one kept and unregisters itself). */
"use strict";

const PAGES = "immunoref-pages-v1";
const ASSETS = "immunoref-assets-v1";
const MAX_VISITED = 100;
const MAX_ASSETS = 60;
const SITE_ETAG = /^(?:W\/)?"([0-9a-z]{6,64})\.[A-Za-z0-9._-]+"$/i; // "<content version>.<release>"
const NEVER_KEPT = /^\/(?:search|signals|api|infobutton|sw\.js|manifest\.webmanifest)(?:\/|$)|^\/entries\/[^/]+\/feedback\//;
const SAVED_AT = "X-ImmunoRef-Saved-At";
const VERSION = "X-ImmunoRef-Version";
const CORE = "X-ImmunoRef-Core";

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("immunoref-") && name !== PAGES && name !== ASSETS) { await caches.delete(name); }
    }
    await self.clients.claim();
  })());
});

function keptPath(url) {
  return url.origin === self.location.origin && !url.search && !NEVER_KEPT.test(url.pathname) &&
    !url.pathname.startsWith("/static/");
}

function siteVersion(response) {
  const match = SITE_ETAG.exec(response.headers.get("ETag") || "");
  return match ? match[1] : "";
}

function keepable(response) {
  return response.status === 200 && response.type === "basic" && !response.redirected &&
    (response.headers.get("Content-Type") || "").startsWith("text/html") && siteVersion(response) !== "" &&
    !/no-store|private/i.test(response.headers.get("Cache-Control") || "");
}

async function store(url, response, core) {
  const headers = new Headers(response.headers);
  headers.set(SAVED_AT, new Date().toISOString());
  headers.set(VERSION, siteVersion(response));
  const cache = await caches.open(PAGES);
  const previous = await cache.match(url);
  if (core || (previous && previous.headers.get(CORE))) { headers.set(CORE, "1"); }
  await cache.put(url, new Response(await response.blob(), { status: 200, headers: headers }));
  await refreshIfNewVersion(siteVersion(response));
  await trim();
}

let refreshing = null;
async function refreshIfNewVersion(version) {
  if (refreshing) { return refreshing; }
  refreshing = (async () => {
    const cache = await caches.open(PAGES);
    for (const request of await cache.keys()) {
      const old = await cache.match(request);
      if (!old || old.headers.get(VERSION) === version) { continue; }
      try {
        const fresh = await fetch(request.url, { credentials: "same-origin", cache: "no-cache" });
        if (keepable(fresh) && siteVersion(fresh) === version) {
          const headers = new Headers(fresh.headers);
          headers.set(SAVED_AT, new Date().toISOString());
          headers.set(VERSION, version);
          if (old.headers.get(CORE)) { headers.set(CORE, "1"); }
          await cache.put(request, new Response(await fresh.blob(), { status: 200, headers: headers }));
        }
      } catch (error) { /* offline again: keep the copy we have */ }
    }
  })().finally(() => { refreshing = null; });
  return refreshing;
}

async function trim() {
  const cache = await caches.open(PAGES);
  const visited = [];
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    if (response && !response.headers.get(CORE)) { visited.push([response.headers.get(SAVED_AT) || "", request]); }
  }
  visited.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [, request] of visited.slice(0, Math.max(0, visited.length - MAX_VISITED))) { await cache.delete(request); }
}

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[ch]));
}

function dateText(iso) {
  try {
    return new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
  } catch (error) { return iso; }
}

async function fromOfflineCopy(cached) {
  let html = await cached.text();
  const reviewed = /Last reviewed <time datetime="[^"]*">([^<]+)<\/time>/.exec(html);
  const note = '<div class="offline-note" id="offline-note" role="status"><p><strong>You are offline.</strong> ' +
    "This is a copy saved on this device on " + escapeHtml(dateText(cached.headers.get(SAVED_AT) || "")) + "." +
    (reviewed ? " The page was last reviewed on " + escapeHtml(reviewed[1]) + "." : "") +
    " It may have changed since. For anything urgent, call your care team.</p></div>";
  html = html.replace(/(<main\b[^>]*>)/, "$1" + note);
  const headers = new Headers(cached.headers);
  headers.delete("Content-Length");
  return new Response(html, { status: 200, headers: headers });
}

function offlinePage() {
  const html = '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline · ImmunoRef</title></head>' +
    '<body><main><h1>You are offline</h1><p>This page has not been saved on this device. ' +
    'Pages you have read before, and the pages saved for offline reading, can still be opened.</p>' +
    '<p><a href="/offline/">Pages saved for offline reading</a></p>' +
    "<p>If you feel unwell, call your care team, or your local emergency number.</p></main></body></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

async function page(event) {
  const url = new URL(event.request.url);
  try {
    const response = await fetch(event.request);
    if (keptPath(url) && keepable(response)) { event.waitUntil(store(url.href, response.clone(), false)); }
    return response;
  } catch (error) {
    const cached = keptPath(url) ? await (await caches.open(PAGES)).match(url.href) : undefined;
    return cached ? fromOfflineCopy(cached) : offlinePage();
  }
}

async function asset(request) {
  const cache = await caches.open(ASSETS);
  const cached = await cache.match(request);
  if (cached) { return cached; }
  const response = await fetch(request);
  if (response.status === 200 && response.type === "basic") {
    await cache.put(request, response.clone());
    const keys = await cache.keys();
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_ASSETS))) { await cache.delete(old); }
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") { event.respondWith(page(event)); return; }
  if (url.pathname.startsWith("/static/") && !url.search) { event.respondWith(asset(request)); }
});

async function saveCore(urls, reply) {
  let saved = 0;
  for (const path of urls) {
    const url = new URL(path, self.location.origin);
    if (!keptPath(url)) { continue; }
    try {
      const response = await fetch(url.href, { credentials: "same-origin" });
      if (keepable(response)) { await store(url.href, response, true); saved += 1; }
    } catch (error) { /* offline: skip it */ }
    reply({ type: "progress", saved: saved, total: urls.length });
  }
  reply({ type: "saved", saved: saved, total: urls.length });
}

async function status(reply) {
  const cache = await caches.open(PAGES);
  const keys = await cache.keys();
  let bytes = 0;
  for (const request of keys) {
    const response = await cache.match(request);
    bytes += response ? (await response.clone().blob()).size : 0;
  }
  reply({ type: "status", pages: keys.length, bytes: bytes });
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const port = event.ports && event.ports[0];
  const reply = (message) => { if (port) { port.postMessage(message); } };
  if (data.type === "save-core" && Array.isArray(data.urls)) {
    event.waitUntil(saveCore(data.urls.slice(0, 50), reply));
  } else if (data.type === "clear") {
    event.waitUntil(Promise.all([caches.delete(PAGES), caches.delete(ASSETS)]).then(() => reply({ type: "cleared" })));
  } else if (data.type === "status") {
    event.waitUntil(status(reply));
  }
});
