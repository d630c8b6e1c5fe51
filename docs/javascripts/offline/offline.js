// Offline use of the site, on the page's side (every page loads this small module).
//
// The service worker (sw.js at the site root, scope the whole site) is registered when the
// learner opens the course (a page with <lossref-dashboard>, <lossref-session> or <lossref-gate>),
// unless the connection asks to save data: it then downloads the whole site once, in the
// background, once the page is idle. On any page it already controls, registering again is how
// the browser looks for a newer build: when one has downloaded, the page says that a new version
// is ready, and a click reloads into it.
//
// State for the page (and for tests), on <html data-offline="...">: "caching" while the files
// download, "ready" when the whole site is kept in this browser, "declined" on a course page when
// the connection asks to save data; a "lossref-offline" event on window says the same ({state}).
import { Workbox } from "workbox-window";

const HERE = import.meta.url;
const COURSE = "lossref-dashboard, lossref-session, lossref-gate";

function announce(state) {
  document.documentElement.dataset.offline = state;
  window.dispatchEvent(new CustomEvent("lossref-offline", { detail: { state } }));
}

function showUpdate(workbox) {
  if (document.querySelector(".lossref-update")) return;
  const reload = Object.assign(document.createElement("button"), {
    type: "button", className: "md-button md-button--primary", textContent: "Reload",
  });
  const note = document.createElement("div");
  note.className = "lossref-update";
  note.setAttribute("role", "status");
  note.append(document.createTextNode("A new version of this site is ready. "), reload);
  reload.addEventListener("click", () => {
    reload.disabled = true;
    // The new worker takes over; the page reloads once it controls it, so that the page and
    // every file it loads come from the one new build.
    workbox.addEventListener("controlling", () => location.reload());
    workbox.messageSkipWaiting();
  });
  document.body.append(note);
}

function register() {
  const workbox = new Workbox(new URL("../../sw.js", HERE).href, { scope: new URL("../../", HERE).pathname });
  workbox.addEventListener("installing", (event) => {
    if (!event.isUpdate) announce("caching"); // an update downloads while this version stays whole
  });
  workbox.addEventListener("waiting", () => showUpdate(workbox));
  workbox.addEventListener("activated", (event) => {
    if (!event.isUpdate) announce("ready");
  });
  workbox.register().then((registration) => {
    // A worker that is already active has its files: nothing is downloading.
    if (registration?.active && !registration.installing) announce("ready");
  }).catch((err) => {
    console.info(`lossref: the site cannot be kept for offline use (${err && err.message ? err.message : err})`);
  });
}

const controlled = "serviceWorker" in navigator && navigator.serviceWorker.controller !== null;
const course = "serviceWorker" in navigator && document.querySelector(COURSE) !== null;
const saveData = Boolean(navigator.connection?.saveData);
if (course && saveData && !controlled) announce("declined");
if (controlled || (course && !saveData)) {
  // After the page has loaded and the browser is idle: the download must not compete with what
  // the page needs first (its own files, and Python for the exercises).
  const start = () => ("requestIdleCallback" in window ? requestIdleCallback(register, { timeout: 5000 }) : setTimeout(register, 1000));
  if (document.readyState === "complete") start();
  else addEventListener("load", start, { once: true });
}
