// Material for MkDocs' JavaScript on demand.
//
// Everything a page shows is static HTML and CSS: text, math, plots, tables and content tabs
// work without JavaScript. Material's bundle adds behaviour (search, the colour toggle, the
// table of contents following the scroll, linked tabs), and on a long page its start-up costs
// a mobile phone a second or more of busy main thread. So the bundle loads on the reader's
// first interaction (a pointer, a key, a touch, a scroll), and the search index (every page's
// text) only when the reader starts a search.
//
// What a reader should not wait for does not wait for the bundle: this script restores the content
// tab chosen on another page, copies on a copy button's first click (the build puts the buttons
// on the code blocks) and highlights the table of contents until the bundle does; first-paint.js
// applies the colour scheme before the first paint.
//
// The build hook puts this script where Material's bundle was, with the bundle's address in
// data-bundle.
(() => {
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
      setTimeout(watchScrollers); // the table wrappers the bundle has just made
    });
    document.body.appendChild(script);
  };
  for (const type of FIRST) addEventListener(type, load, { capture: true, passive: true });

  // A box that scrolls sideways must be reachable with the keyboard (to scroll it with the arrow
  // keys), so it joins the tab order: Material's table wrappers (made by its bundle), code blocks
  // and display math wider than the column. Which boxes scroll changes with the window's width
  // and the content tab shown. A ResizeObserver reports each box once it is laid out (a section
  // far below is laid out only when it nears the window) and whenever its size changes, so no
  // box is measured before the browser has laid it out anyway.
  const SCROLLERS = [
    [".md-typeset__scrollwrap", "Table, scrolls sideways"],
    [".md-typeset pre > code", "Code, scrolls sideways"],
    [".md-typeset div.arithmatex", "Formula, scrolls sideways"],
  ];
  const scrollers = new ResizeObserver((entries) => {
    const measured = [];
    for (const { target: box } of entries) {
      // A box an exercise has replaced is gone from the page (and matches no selector any more).
      const scroller = box.isConnected && SCROLLERS.find(([selector]) => box.matches(selector));
      if (scroller) measured.push([box, scroller[1], box.scrollWidth > box.clientWidth + 1]);
      else scrollers.unobserve(box);
    }
    for (const [box, label, scrolls] of measured) { // every read before any write: one layout
      if (scrolls) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", label);
      } else if (box.getAttribute("aria-label") === label) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  });
  const observedScrollers = new WeakSet();
  function watchScrollers() {
    for (const [selector] of SCROLLERS) {
      for (const box of document.querySelectorAll(selector)) {
        if (observedScrollers.has(box)) continue;
        observedScrollers.add(box);
        scrollers.observe(box);
      }
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watchScrollers, { once: true });
  else watchScrollers();
  if (sharedSearch) load(new Event("navigation"));

  // ------------------------------------------------------------------ content tabs
  // Material's inline snippets for the content (the site's Content-Security-Policy runs no inline
  // script): the tab the reader chose in a tab set with the same labels on another page
  // (content.tabs.link, saved by the bundle, most recent first), and the tab a #fragment names.
  let chosenTabs = null;
  try {
    chosenTabs = __md_get("__tabs");
  } catch (error) { /* no storage: nothing was chosen */ }
  if (Array.isArray(chosenTabs)) {
    for (const set of document.querySelectorAll(".tabbed-set")) {
      const labels = [...(set.querySelector(".tabbed-labels")?.getElementsByTagName("label") ?? [])];
      // textContent where Material reads innerText: the same words for these labels, without a
      // layout of the whole page per tab set.
      const label = chosenTabs.map((tab) => labels.find((l) => l.textContent.trim() === tab)).find(Boolean);
      if (label) document.getElementById(label.htmlFor).checked = true;
    }
  }
  const target = document.getElementById(location.hash.slice(1));
  if (target instanceof HTMLInputElement && target.name.startsWith("__tabbed_")) target.checked = true;

  // ------------------------------------------------------------------ copy buttons
  // The build gives every code block Material's copy button (the hook takes content.code.copy over
  // from the bundle, whose buttons would miss the first click). The copied text is what Material
  // copies: the code as shown, without trailing blank lines.
  const copiedMessage = () => JSON.parse(document.getElementById("__config")?.textContent ?? "{}")
    .translations?.["clipboard.copied"] ?? "Copied to clipboard";
  let dialogTimer = 0;
  function say(message) { // Material's dialog, as its bundle shows it: two seconds
    const dialog = document.querySelector("[data-md-component='dialog']");
    if (!dialog) return;
    dialog.querySelector(".md-typeset").textContent = message;
    dialog.classList.add("md-dialog--active");
    clearTimeout(dialogTimer);
    dialogTimer = setTimeout(() => dialog.classList.remove("md-dialog--active"), 2000);
  }
  function writeText(text) {
    if (navigator.clipboard?.writeText) return navigator.clipboard.writeText(text);
    // Without the asynchronous clipboard (a page served over plain http): a selected textarea.
    const area = Object.assign(document.createElement("textarea"), { value: text, readOnly: true });
    area.style.cssText = "position:fixed;top:0;left:-9999px";
    document.body.appendChild(area);
    area.select();
    const done = document.execCommand("copy");
    area.remove();
    return done ? Promise.resolve() : Promise.reject(new Error("the browser refused to copy"));
  }
  addEventListener("click", (event) => {
    const button = event.target instanceof Element && event.target.closest("button.md-code__button[data-md-type='copy']");
    const code = button && button.closest("pre")?.querySelector(":scope > code");
    if (!code) return;
    code.setAttribute("data-md-copying", ""); // Material's styles for copying: no annotations
    const text = code.innerText.trimEnd();
    code.removeAttribute("data-md-copying");
    writeText(text).then(() => {
      button.focus();
      say(copiedMessage());
    }, () => {});
  });

  // ------------------------------------------------------------------ table of contents
  // Material's highlight of the section being read, until its bundle takes over: a heading is
  // passed once its top is above the top of the window plus the header and 0.8 of the content's
  // top margin, every heading is passed at the bottom of the page, and in each table of contents
  // (the sidebar's, and the one in the navigation drawer) the last link passed is the active one.
  let tocs = null; // per table of contents, its [link, heading] pairs; found on first use
  const findTocs = () => [...document.querySelectorAll("[data-md-component='toc']")].map((toc) =>
    [...toc.querySelectorAll("a.md-nav__link[href^='#']")]
      .map((link) => [link, document.getElementById(decodeURIComponent(link.hash.slice(1)))])
      .filter(([, heading]) => heading));
  function offsetTop(element) { // as Material measures it: offsets summed up the offset parents
    let top = element.offsetTop;
    while (!top && element.parentElement) {
      element = element.parentElement;
      top = element.offsetTop;
    }
    for (let parent = element.offsetParent; parent; parent = parent.offsetParent) top += parent.offsetTop;
    return top;
  }
  let tocFrame = 0;
  function highlightToc() {
    tocFrame = 0;
    if (ready) return;
    tocs ??= findTocs();
    const header = document.querySelector("[data-md-component='header']");
    const main = document.querySelector("[data-md-component='main']");
    const first = main?.firstElementChild;
    const offset = (header?.offsetHeight ?? 0) + (first ? 0.8 * (first.offsetTop - main.offsetTop) : 0);
    const bottom = scrollY + innerHeight >= Math.floor(document.body.offsetHeight);
    // At the top, no heading is passed (none lies above the header) unless the page ends on
    // screen: measuring the headings would lay out every section of a long page.
    const atTop = scrollY === 0 && !bottom;
    for (const links of tocs) {
      if (atTop) {
        for (const [link] of links) link.classList.remove("md-nav__link--passed", "md-nav__link--active");
        continue;
      }
      const passed = links.map(([link, heading]) => [link, offsetTop(heading)])
        .filter(([, top]) => bottom || top - offset < scrollY)
        .sort(([, a], [, b]) => a - b); // by position, as Material orders them (a stable sort)
      const active = passed.length ? passed[passed.length - 1][0] : null;
      for (const [link] of links) {
        link.classList.toggle("md-nav__link--passed", passed.some(([passedLink]) => passedLink === link));
        link.classList.toggle("md-nav__link--active", link === active);
      }
    }
  }
  const scheduleToc = () => { if (!tocFrame && !ready) tocFrame = requestAnimationFrame(highlightToc); };
  if (document.querySelector("[data-md-component='toc']")) {
    // At the top of a page Material highlights nothing (unless the page ends on screen), and the
    // browser's scroll to a #fragment is a scroll event: the first look waits for an idle moment,
    // when the page's layout is done, rather than forcing it before the first paint.
    (window.requestIdleCallback ?? setTimeout)(scheduleToc);
    addEventListener("scroll", scheduleToc, { passive: true });
    addEventListener("resize", scheduleToc, { passive: true });
  }

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
