// Evenly's service worker: keeps the pages a shopper has opened usable offline.
// Pages: network first, the last copy when offline. Static files: cache first.
// A new name whenever a cached script changes (v2: API writes carry the CSRF token; v3: the
// form's rules come from the page, not the script; v4: evidence of presence, presence.js; v5:
// photos and comments on every item, progress count), so that phones drop the old copy.
const CACHE = "evenly-v5";
const CORE = [
  "/static/evenly.css", "/static/js/presence.js", "/static/js/audit-form.js", "/static/favicon.svg"
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(CORE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request).then((response) => {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(request, copy));
      return response;
    })));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(request, copy));
      }
      return response;
    }).catch(() => caches.match(request).then((hit) => hit || caches.match("/audits"))));
  }
});
