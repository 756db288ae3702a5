// Browser side of /settings: asks for notification permission, subscribes this
// device with the server's VAPID key and hands the subscription to tapin.
// Plain JS on purpose: the WASM bundle stays free of push code.
(() => {
  if (window.tapinPush) return; // a client-side navigation may load it twice
  window.tapinPush = true;

  const $ = (id) => document.getElementById(id);
  const say = (msg) => { const el = $("push-status"); if (el) el.textContent = msg; };
  const fromB64url = (s) => {
    const b = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4));
    return Uint8Array.from(b, (c) => c.charCodeAt(0));
  };

  async function call(method, path, body) {
    const res = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) {
      let msg = `tapin answered ${res.status}`;
      try { msg = (await res.json()).error.message; } catch (_) { /* keep the status */ }
      throw new Error(msg);
    }
    return res.status === 204 ? null : res.json();
  }

  async function registration() {
    if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
      throw new Error("This browser cannot receive web push. On an iPhone, add tapin to the home screen and open it from there.");
    }
    await navigator.serviceWorker.register("/sw.js");
    return navigator.serviceWorker.ready;
  }

  // Reloads to show the device list, keeping the message across the reload.
  const done = (msg) => { sessionStorage.setItem("tapin-push", msg); location.reload(); };

  const actions = {
    "push-enable": async () => {
      const reg = await registration();
      if ((await Notification.requestPermission()) !== "granted") {
        throw new Error("Notifications are blocked for this site: allow them in the browser's site settings, then try again.");
      }
      let sub = await reg.pushManager.getSubscription();
      if (!sub) {
        try {
          sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromB64url($("push").dataset.key) });
        } catch (err) {
          throw new Error(`The browser could not subscribe this device (${err.message || err.name}). It needs its push service to be reachable; private windows and headless browsers refuse.`);
        }
      }
      await call("POST", "/settings/push", sub.toJSON());
      done("Notifications are on for this device.");
    },
    "push-test": async () => {
      const r = await call("POST", "/settings/push/test");
      if (!r.devices.length) return "No device is turned on yet.";
      return r.devices.map((d) => `${new URL(d.endpoint).host}: ${d.outcome}`).join("; ");
    },
    "push-disable": async () => {
      const reg = await registration();
      const sub = await reg.pushManager.getSubscription();
      if (!sub) return "This device was not turned on.";
      await call("DELETE", "/settings/push", { endpoint: sub.endpoint });
      await sub.unsubscribe();
      done("Notifications are off for this device.");
    },
  };

  document.addEventListener("click", (e) => {
    const run = e.target && actions[e.target.id];
    if (!run) return;
    say("Working…");
    run().then((msg) => msg && say(msg), (err) => say(err.message || String(err)));
  });

  const kept = sessionStorage.getItem("tapin-push");
  if (kept) {
    sessionStorage.removeItem("tapin-push");
    addEventListener("DOMContentLoaded", () => say(kept));
    say(kept);
  }
})();
