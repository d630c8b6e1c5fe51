// Material for MkDocs requests the whole search index (every page's text) as soon as a page
// loads. Hold that one request back until the reader shows an interest in searching: focus or
// a click on the search field, a search keyboard shortcut, or a shared search link (?q=...).
// A page then costs only what it shows; the search is ready a moment after it is wanted.
(() => {
  const INDEX = /\/search\/search_index\.json$/;
  const { open, send } = XMLHttpRequest.prototype;
  const held = [];
  let released = false;

  const release = () => {
    if (released) return;
    released = true;
    for (const resume of held.splice(0)) resume();
  };

  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.lossrefHold = INDEX.test(new URL(String(url), document.baseURI).pathname);
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    if (this.lossrefHold && !released) {
      held.push(() => send.apply(this, args));
      return undefined;
    }
    return send.apply(this, args);
  };

  const inSearch = (event) => event.target instanceof Element &&
    event.target.closest(".md-search, label[for='__search'], #__search") !== null;
  document.addEventListener("focusin", (event) => inSearch(event) && release());
  document.addEventListener("pointerdown", (event) => inSearch(event) && release());
  document.addEventListener("change", (event) => inSearch(event) && release());
  // Material opens the search with "f", "s" or "/" when no field has the focus.
  document.addEventListener("keydown", (event) => {
    if (["f", "s", "/"].includes(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) release();
  });
  if (new URLSearchParams(location.search).has("q")) release();
})();
