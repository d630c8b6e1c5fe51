// Material for MkDocs' JavaScript on demand.
//
// Everything a page shows is static HTML and CSS: text, math, plots, tables and content tabs
// work without JavaScript. Material's bundle adds behaviour (search, the colour toggle, copy
// buttons, the table of contents following the scroll), and on a long page its start-up costs
// a mobile phone a second or more of busy main thread. So the bundle loads on the reader's
// first interaction (a pointer, a key, a touch, a scroll), and the search index (every page's
// text) only when the reader starts a search.
//
// The build hook puts this script where Material's bundle was, with the bundle's address in
// data-bundle.
(() => {
  // What Material's bundle does first: its styles for a page with JavaScript (the search field,
  // the tab indicator) apply from the first paint, not from the first interaction.
  document.documentElement.classList.replace("no-js", "js");
  const bundle = document.currentScript.dataset.bundle;

  // ------------------------------------------------------------------ the search index
  const INDEX = /\/search\/search_index\.json$/;
  const { open, send } = XMLHttpRequest.prototype;
  const held = [];
  let searching = false;
  const startSearch = () => {
    if (searching) return;
    searching = true;
    for (const resume of held.splice(0)) resume();
  };
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.lossrefHold = INDEX.test(new URL(String(url), document.baseURI).pathname);
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    if (this.lossrefHold && !searching) {
      held.push(() => send.apply(this, args));
      return undefined;
    }
    return send.apply(this, args);
  };
  const inSearch = (target) => target instanceof Element &&
    target.closest(".md-search, label[for='__search'], #__search") !== null;
  const isShortcut = (event) => ["f", "s", "/"].includes(event.key) &&
    !event.ctrlKey && !event.metaKey && !event.altKey &&
    !(event.target instanceof Element && event.target.closest("input, textarea, select, [contenteditable]"));
  document.addEventListener("focusin", (event) => inSearch(event.target) && startSearch());
  document.addEventListener("pointerdown", (event) => inSearch(event.target) && startSearch());
  document.addEventListener("change", (event) => inSearch(event.target) && startSearch());
  document.addEventListener("keydown", (event) => isShortcut(event) && startSearch());
  const sharedSearch = new URLSearchParams(location.search).has("q");
  if (sharedSearch) startSearch();

  // ------------------------------------------------------------------ Material's bundle
  const FIRST = ["pointerdown", "pointermove", "keydown", "touchstart", "wheel", "scroll", "focusin"];
  let first = null;
  let ready = false;
  let heldClick = null;
  const load = (event) => {
    if (first) return;
    first = event;
    for (const type of FIRST) removeEventListener(type, load, true);
    const script = document.createElement("script");
    script.src = bundle;
    script.addEventListener("load", () => {
      // Material mounts its components on DOMContentLoaded, which has long passed: announce it.
      document.dispatchEvent(new Event("DOMContentLoaded"));
      ready = true;
      replay(first);
      setTimeout(markScrollable);
    });
    document.body.appendChild(script);
  };
  for (const type of FIRST) addEventListener(type, load, { capture: true, passive: true });

  // A box that scrolls sideways must be reachable with the keyboard (to scroll it with the arrow
  // keys), so it joins the tab order: Material's table wrappers (made by its bundle), code blocks
  // and display math wider than the column. Which boxes scroll changes with the window's width
  // and the content tab shown.
  const SCROLLERS = [
    [".md-typeset__scrollwrap", "Table, scrolls sideways"],
    [".md-typeset pre > code", "Code, scrolls sideways"],
    [".md-typeset div.arithmatex", "Formula, scrolls sideways"],
  ];
  function markScrollable() {
    for (const [selector, label] of SCROLLERS) {
      for (const box of document.querySelectorAll(selector)) {
        if (box.scrollWidth > box.clientWidth + 1) {
          box.tabIndex = 0;
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", label);
        } else if (box.getAttribute("aria-label") === label) {
          box.removeAttribute("tabindex");
          box.removeAttribute("role");
          box.removeAttribute("aria-label");
        }
      }
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", markScrollable, { once: true });
  else markScrollable();
  addEventListener("resize", markScrollable, { passive: true });
  addEventListener("change", () => setTimeout(markScrollable));
  if (sharedSearch) load(new Event("navigation"));

  // A click on a control Material drives (a content tab, whose choice it carries to the other
  // tab sets and pages, or the colour toggle) waits until Material listens, then happens.
  addEventListener("click", (event) => {
    if (ready || !(event.target instanceof Element)) return;
    const label = event.target.closest("label[for]");
    if (!label || !label.closest(".tabbed-labels, [data-md-component='palette']")) return;
    event.preventDefault();
    heldClick = label;
    load(event);
  }, true);

  // Material's palette script shows the colour toggle of the active palette; do it now, so the
  // toggle is there before the bundle is.
  const palettes = [...document.querySelectorAll("input[name='__palette']")];
  if (palettes.length) {
    const stored = typeof __md_get === "function" ? __md_get("__palette") : null;
    let index = stored && Number.isInteger(stored.index) ? stored.index
      : palettes.findIndex((input) => matchMedia(input.dataset.mdColorMedia).matches);
    index = Math.max(0, Math.min(index, palettes.length - 1));
    palettes[index].checked = true;
    const toggle = palettes[index].nextElementSibling;
    if (toggle instanceof HTMLLabelElement) toggle.hidden = false;
  }

  // Material mounts its components over a few frames; run `then` once the control's component
  // is mounted (tab sets get their scroll buttons, the palette its theme-color meta tag) and
  // Material has seen a frame, or after two seconds at most.
  function afterMount(label, then) {
    const set = label.closest(".tabbed-set");
    const mounted = () => set ? set.querySelector(".tabbed-control") !== null
      : document.querySelector("meta[name='theme-color']") !== null;
    const start = performance.now();
    const wait = () => {
      if (mounted() || performance.now() - start > 2000) requestAnimationFrame(() => setTimeout(then));
      else requestAnimationFrame(wait);
    };
    wait();
  }

  // The interaction that loaded the bundle happened before Material listened: hand it on.
  function replay(event) {
    if (heldClick) {
      const label = heldClick;
      heldClick = null;
      afterMount(label, () => label.click());
    } else if (event.type === "keydown" && isShortcut(event)) {
      // A search shortcut: open the search, as Material would have.
      const toggle = document.getElementById("__search");
      const query = document.querySelector("[data-md-component='search-query']");
      if (toggle && !toggle.checked) {
        toggle.checked = true;
        toggle.dispatchEvent(new Event("change"));
      }
      if (query) query.focus();
    }
  }
})();
