/**
 * The page's query string as the page opened, read once when the bundle starts (src/index.ts
 * imports src/ui/safeLink first, which imports this). Later the address bar may change: safeLink
 * removes what must never reach tfjs, and a shareable control rewrites it with its own keys,
 * dropping those it does not know (`?worker=off`, `?threads=N`). Options the page reads once
 * (where training runs, how many wasm threads) read them from here.
 */
export const ORIGINAL_SEARCH = typeof location === "undefined" ? "" : location.search;
