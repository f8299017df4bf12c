// Forms that can be filled without signal (data-offline-queue: the check-in
// form). Opened while online, such a form submitted while the phone is
// offline is kept on the device, in IndexedDB, and shown as "waiting to
// send"; it is sent when the connection returns, from whichever Rekan page is
// open then. The form carries a random submission key, which the server
// accepts once: a queue sent twice (two tabs, a lost reply) logs one record.
//
// Sending asks the form page first, for a fresh CSRF token (the stored one
// may be from an earlier session); when that page answers with the log-in
// page, the session has expired: the entry stays queued and the status asks
// to log in again. The words come from the page (data-* attributes of the
// status region in base.html), in the language of the page.
(() => {
  const DATABASE = "rekan-offline";
  const STORE = "submissions";

  function database() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DATABASE, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function withStore(mode, use) {
    const db = await database();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const result = use(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(result.result);
      transaction.onerror = () => reject(transaction.error);
    });
  }

  const queued = () => withStore("readonly", (store) => store.getAll());
  const keep = (entry) => withStore("readwrite", (store) => store.put(entry));
  const forget = (key) => withStore("readwrite", (store) => store.delete(key));

  function statusRegion() {
    return document.querySelector("[data-offline-status]");
  }

  function say(kind, link) {
    const region = statusRegion();
    if (!region) return;
    region.textContent = region.dataset[kind] || "";
    if (link) {
      const anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.textContent = link.text;
      region.append(" ", anchor);
    }
    region.hidden = !region.textContent;
  }

  function loginPath() {
    const region = statusRegion();
    return region ? region.dataset.loginPath : "/accounts/login/";
  }

  function isLogin(response) {
    return new URL(response.url).pathname.startsWith(loginPath());
  }

  async function freshToken(action) {
    const response = await fetch(action, { credentials: "same-origin" });
    if (isLogin(response)) return null;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const field = page.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  let sending = false;

  async function sendQueued() {
    if (sending || !navigator.onLine) return;
    sending = true;
    try {
      // Only what this person queued: another account logged in on the same phone sends nothing of theirs.
      const entries = (await queued()).filter(
        (entry) => entry.user === statusRegion()?.dataset.user && !entry.refused,
      );
      if (!entries.length) return;
      say("sending");
      for (const entry of entries) {
        let token;
        try {
          token = await freshToken(entry.action);
        } catch {
          say("waiting");
          return; // still no connection: the next "online" event tries again
        }
        if (token === null) {
          const region = statusRegion();
          const here = location.pathname + location.search;
          say("login", { href: `${loginPath()}?next=${encodeURIComponent(here)}`, text: region.dataset.loginLink });
          return;
        }
        const body = new URLSearchParams(entry.fields);
        body.set("csrfmiddlewaretoken", token);
        let response;
        try {
          response = await fetch(entry.action, { method: "POST", body, credentials: "same-origin" });
        } catch {
          say("waiting");
          return;
        }
        if (isLogin(response)) {
          say("login");
          return;
        }
        if (response.redirected) {
          await forget(entry.key);
          say("sent", { href: response.url, text: statusRegion().dataset.sentLink });
        } else {
          // The server refused the entry (a check-in in the future, a member removed meanwhile): keep it,
          // marked, and say so; the form, opened again, is filled with it and shows why when sent.
          await keep({ ...entry, refused: true });
          say("refused", { href: entry.action, text: statusRegion().dataset.refusedLink });
          return;
        }
      }
    } finally {
      sending = false;
    }
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("[data-offline-queue]") || navigator.onLine) return;
    event.preventDefault();
    const fields = [...new FormData(form)].filter(([, value]) => typeof value === "string");
    const key = form.querySelector("input[name=submission_key]").value;
    const user = statusRegion()?.dataset.user;
    await keep({ key, user, action: form.action || location.href, fields, savedAt: Date.now() });
    for (const control of form.elements) control.disabled = true;
    say("waiting");
    statusRegion()?.focus();
  });

  window.addEventListener("online", sendQueued);
  window.addEventListener("offline", async () => {
    const user = statusRegion()?.dataset.user;
    if ((await queued()).some((entry) => entry.user === user && !entry.refused)) say("waiting");
  });
  // A refused entry comes back into its form when that form is opened: nothing typed is lost.
  async function restoreRefused(user) {
    const form = document.querySelector("form[data-offline-queue]");
    if (!form) return;
    const here = form.action || location.href;
    const entry = (await queued()).find((item) => item.user === user && item.refused && item.action === here);
    if (!entry) return;
    const values = new Map();
    for (const [name, value] of entry.fields) values.set(name, [...(values.get(name) || []), value]);
    for (const control of form.elements) {
      if (!control.name || control.name === "csrfmiddlewaretoken" || !values.has(control.name)) continue;
      const wanted = values.get(control.name);
      if (control.type === "checkbox" || control.type === "radio") control.checked = wanted.includes(control.value);
      else if (control instanceof HTMLSelectElement && control.multiple) {
        for (const option of control.options) option.selected = wanted.includes(option.value);
      } else control.value = wanted[0];
    }
    await forget(entry.key);
    say("restored");
  }

  document.addEventListener("DOMContentLoaded", async () => {
    if (!("indexedDB" in window)) return;
    const user = statusRegion()?.dataset.user;
    await restoreRefused(user);
    const mine = (await queued()).filter((entry) => entry.user === user);
    const refused = mine.find((entry) => entry.refused);
    if (mine.some((entry) => !entry.refused)) {
      say(navigator.onLine ? "sending" : "waiting");
      sendQueued();
    } else if (refused) {
      say("refused", { href: refused.action, text: statusRegion().dataset.refusedLink });
    }
  });
})();

// Installable, and the field forms open without signal: see /sw.js (config/service_worker.py).
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(() => {
    // No worker (a private window, an old browser): the forms still queue while the page stays open.
  });
}
