// Observable Framework configuration for MedDL Lab.
// Everything the site needs is served from this site: no web fonts, no CDN scripts.
export default {
  title: "MedDL Lab",
  root: "lessons",
  // Our own stylesheet imports a built-in theme without its Google web font.
  style: "style.css",
  // The default list loads the Source Serif web font from Google's font service; an empty list loads nothing.
  globalStylesheets: [],
  pages: [
    { name: "Course map", path: "/" },
    {
      name: "Methods",
      pages: [
        { name: "1 · CNN classification, live", path: "/cnn" },
        { name: "2 · Transfer learning", path: "/transfer" },
        { name: "3 · U-Net segmentation", path: "/unet" },
        { name: "4 · GAN image enhancement", path: "/gan" },
        { name: "5 · Detection: finding nodules", path: "/detection" },
        { name: "6 · Opening the black box", path: "/explain" },
        { name: "7 · The data problems", path: "/data-problems" },
        { name: "8 · Auto-encoders, unsupervised", path: "/autoencoders" },
      ],
    },
    { name: "Glossary", path: "/glossary" },
  ],
  // An inline icon, so the browser does not ask the server for /favicon.ico; the colour theme,
  // applied before the page paints (no flash of the wrong theme); and, for screen readers:
  // Framework's page template has no lang, a sidebar toggle named only by its title, a label
  // inside the sidebar's <ol>, two unnamed navigation landmarks, and a viewport that forbids
  // zooming; the second inline script mends them.
  head:
    `<link rel="icon" href="data:,">\n<script>${themeScript()}</script>` +
    '<script>document.documentElement.lang = "en";' +
    'document.addEventListener("DOMContentLoaded", () => {' +
    'document.getElementById("observablehq-sidebar-toggle")?.setAttribute("aria-label", "Show or hide the sidebar");' +
    'document.getElementById("observablehq-sidebar-close")?.setAttribute("aria-hidden", "true");' +
    'document.getElementById("observablehq-sidebar")?.setAttribute("aria-label", "Lessons");' +
    'document.querySelector("#observablehq-toc nav")?.setAttribute("aria-label", "On this page");' +
    'document.querySelector(\'meta[name=viewport]\')?.setAttribute("content", "width=device-width, initial-scale=1");' +
    "});</script>",
  // The colour-theme menu, in the header every page has.
  header: themeToggle(),
  search: false,
  footer:
    "MedDL Lab: a teaching kit for Litjens et al., <i>A survey on deep learning in medical image analysis</i>, Medical Image Analysis 42 (2017). All data and training stay in your browser.",
  toc: true,
  pager: true,
};

/**
 * The colour theme: "system" follows the reader's setting (prefers-color-scheme, in style.css);
 * "light" or "dark" sets data-theme on <html>, remembered in localStorage. Inline and tiny, so it
 * runs before the first paint on every page, including pages without the kit's bundle.
 */
function themeScript(): string {
  return `(function () {
  var KEY = "meddl-theme", root = document.documentElement;
  function saved() {
    try { var v = localStorage.getItem(KEY); return v === "light" || v === "dark" ? v : "system"; } catch (e) { return "system"; }
  }
  function apply(v) {
    if (v === "light" || v === "dark") root.setAttribute("data-theme", v); else root.removeAttribute("data-theme");
    var menu = document.getElementById(KEY);
    if (menu) menu.value = v;
  }
  apply(saved());
  document.addEventListener("DOMContentLoaded", function () { apply(saved()); });
  document.addEventListener("change", function (event) {
    if (!event.target || event.target.id !== KEY) return;
    var v = event.target.value;
    try { if (v === "system") localStorage.removeItem(KEY); else localStorage.setItem(KEY, v); } catch (e) {}
    apply(v);
  });
  window.addEventListener("storage", function (event) { if (event.key === KEY) apply(saved()); });
})();`;
}

function themeToggle(): string {
  return `<span class="meddl-header-title">MedDL Lab</span>
<label class="meddl-theme-toggle">Colour theme
<select id="meddl-theme">
<option value="system">system</option><option value="light">light</option><option value="dark">dark</option>
</select></label>`;
}
