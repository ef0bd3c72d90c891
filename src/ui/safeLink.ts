/**
 * Runs before anything else in the bundle (src/index.ts imports it first): takes the page's query
 * string as it came, and removes from the address bar what must never reach other code. tfjs parses
 * the query string when it loads: a broken escape (`%ZZ`) throws there and stops the whole page,
 * and `tfjsflags=` would let a link switch tfjs settings (e.g. DEBUG). Both are removed here; the
 * link notes (linkState.ts) still read the original (src/core/address.ts) and name what was ignored.
 */
import { ORIGINAL_SEARCH } from "../core/address";

/** Whether one `key=value` pair may stay in the address bar for the rest of the page to read. */
function harmless(pair: string): boolean {
  try {
    const eq = pair.indexOf("=");
    const key = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
    if (eq >= 0) decodeURIComponent(pair.slice(eq + 1));
    return key.toLowerCase() !== "tfjsflags";
  } catch {
    return false;
  }
}

if (ORIGINAL_SEARCH.length > 1 && typeof history !== "undefined") {
  const pairs = ORIGINAL_SEARCH.slice(1).split("&");
  const kept = pairs.filter(harmless);
  if (kept.length !== pairs.length) {
    const search = kept.length ? `?${kept.join("&")}` : "";
    history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
  }
}
