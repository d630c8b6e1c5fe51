// What Material for MkDocs' inline snippets did, from a file: the site is served with a
// Content-Security-Policy that runs no inline script. Loaded in <head>, before the body exists,
// so what it sets is there for the first paint.
//
// * Material's storage helpers (__md_scope, __md_hash, __md_get, __md_set), which its bundle uses.
// * The colour palette Material's bundle will pick, put on <body> as the parser creates it: the
//   saved choice, else the first palette whose media query matches (a dark system gets the dark
//   scheme). The bundle, when it loads on the first interaction, sets the same attributes.
// * The "js" class of a page with JavaScript, for Material's styles of the search field and tabs.
(() => {
  const script = document.currentScript;
  const scope = new URL(script.dataset.scope, location);
  Object.assign(window, {
    __md_scope: scope,
    __md_hash: (text) => [...text].reduce((hash, char) => (hash << 5) - hash + char.charCodeAt(0), 0),
    __md_get: (key, storage = localStorage, base = scope) => JSON.parse(storage.getItem(`${base.pathname}.${key}`)),
    __md_set: (key, value, storage = localStorage, base = scope) => {
      try {
        storage.setItem(`${base.pathname}.${key}`, JSON.stringify(value));
      } catch (error) { /* storage full or disabled: the choice lasts for this page */ }
    },
  });
  document.documentElement.classList.replace("no-js", "js");

  const palettes = JSON.parse(script.dataset.palette || "[]"); // [{media, scheme, primary, accent}]
  if (!palettes.length) return;
  let saved = null;
  try {
    saved = __md_get("__palette");
  } catch (error) { /* no storage, or not JSON: as if nothing were saved */ }
  // Material's rule: the saved index, else the first palette whose media matches; clamped.
  const index = Math.max(0, Math.min(palettes.length - 1, Number.isInteger(saved?.index) ? saved.index
    : palettes.findIndex((palette) => matchMedia(palette.media).matches)));
  let { media, ...colours } = palettes[index];
  if (media === "(prefers-color-scheme)") { // a palette that follows the system, light or dark
    const light = matchMedia("(prefers-color-scheme: light)").matches;
    const { media: _, ...system } = palettes.find((palette) =>
      palette.media === `(prefers-color-scheme: ${light ? "light" : "dark"})`) ?? palettes[index];
    colours = system;
  }
  const apply = (body) => {
    for (const [key, value] of Object.entries({ media, ...colours })) body.setAttribute(`data-md-color-${key}`, value);
  };
  // The parser inserts <body> in a task; this observer's callback runs at that task's end, before
  // the browser may render.
  if (document.body) apply(document.body);
  else {
    new MutationObserver((_, observer) => {
      if (!document.body) return;
      observer.disconnect();
      apply(document.body);
    }).observe(document.documentElement, { childList: true });
  }
  // Material shows the toggle of the active palette; do it as soon as the header is there, so
  // that the toggle is visible (and its first click works) before the bundle is.
  document.addEventListener("DOMContentLoaded", () => {
    const input = document.querySelectorAll("input[name='__palette']")[index];
    if (!input) return;
    input.checked = true;
    if (input.nextElementSibling instanceof HTMLLabelElement) input.nextElementSibling.hidden = false;
  }, { once: true });
})();
