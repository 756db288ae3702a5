// tapin service worker. Served by the app at /sw.js with the build version
// substituted, so every deploy installs a new worker with a new cache.
const VERSION = "__TAPIN_BUILD__";
const CACHE = `tapin-${VERSION}`;
const SHELL = ["/offline.html", "/offline.css", "/manifest.webmanifest", "/favicon.svg", "/icons/icon-192.png", "/pkg/tapin.css"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

// A new version drops every older cache, so no stale WASM meets a new server.
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("tapin-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  // Live data and the API are never cached.
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/fn/") || url.pathname.includes("/live")) return;
  if (req.mode === "navigate") {
    // Pages: always the network (handoffs change); the offline page when there is none.
    event.respondWith(fetch(req).catch(() => caches.match("/offline.html")));
    return;
  }
  if (SHELL.includes(url.pathname) || url.pathname.startsWith("/pkg/")) {
    // Network first, so a deploy is picked up at once; the cache only when offline.
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok) {
            const copy = res.clone();
            caches.open(CACHE).then((c) => c.put(req, copy));
          }
          return res;
        })
        .catch(() => caches.match(req)),
    );
  }
});

// Web Push: show the notification, open the signed link on tap.
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (_) { data = { title: "tapin", body: event.data && event.data.text() }; }
  event.waitUntil(self.registration.showNotification(data.title || "A person is needed", {
    body: data.body || "",
    data: { url: data.url || "/inbox" },
    tag: data.tag,
    vibrate: [120, 60, 120],
    icon: "/icons/icon-192.png",
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data && event.notification.data.url || "/inbox"));
});
