{% autoescape off %}// Rekan's service worker (config/service_worker.py). It keeps two things
// for when the phone has no signal: the static files, and the forms meant to
// be filled in the field (the check-in and interaction forms), as they were when last opened
// online. Nothing else is stored: other pages always come from the network.
const CACHE = "rekan-{{ version }}";
const ASSETS = {{ assets_json }};
const FIELD_FORMS = [/^\/partnerships\/\d+\/check-ins\/new\/$/, /^\/organizations\/\d+\/interactions\/new\/$/];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  } else if (request.mode === "navigate" && FIELD_FORMS.some((form) => form.test(url.pathname))) {
    // The network first, so the form is current when there is signal; the copy when there is none.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        .catch(() => caches.match(request).then((hit) => hit || Response.error())),
    );
  }
});
{% endautoescape %}
