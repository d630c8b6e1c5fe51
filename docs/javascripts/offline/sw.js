// The site's service worker: every page and file of one build, kept in Cache Storage, so that a
// learner who has opened the course once keeps working offline (the reference, the course, Python,
// the wheels and the exercises).
//
// Workbox's precaching does the bookkeeping. The build replaces self.__WB_MANIFEST with every
// file's URL and a hash of its content (docs/hooks/offline_assets.py). A new build is a new
// service worker: it downloads only the files whose hash changed, into cache entries of their own,
// while the old one keeps serving its version whole; it takes over when the page asks it to (the
// page shows "a new version is ready" first) or when every tab of the site is closed, and then
// drops the entries the new build no longer lists. No page ever mixes two builds.
import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, precacheAndRoute } from "workbox-precaching";

cleanupOutdatedCaches();
clientsClaim(); // the page that registered the first worker is served by it from then on
// "losses/bce/" is served from "losses/bce/index.html"; a ?seed=N (or any query) does not change
// the file.
precacheAndRoute(self.__WB_MANIFEST, { directoryIndex: "index.html", ignoreURLParametersMatching: [/.*/] });

self.addEventListener("message", (event) => {
  if (event.data?.type === "SKIP_WAITING") self.skipWaiting();
});
