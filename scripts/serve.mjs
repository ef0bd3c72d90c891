// `npm run serve`: serves the built site (dist/) for a classroom, with the two headers that make the
// page cross-origin isolated, so the WebAssembly backend may use threads (one per core).
//
//   npm run build && npm run serve                 → http://localhost:3000/
//   npm run serve -- --port 8080 --host 0.0.0.0    → other machines on the network (see README:
//                                                    over plain http they get one thread only)
//
// Node only, no package: clean URLs like Framework's (/cnn serves cnn.html), nothing but files under dist/.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Cross-origin isolation: the opener policy keeps other sites' windows out of this page's process, the
 * embedder policy lets it load only resources that agree to it (ours are all same-origin). Together they
 * unlock SharedArrayBuffer, which WebAssembly threads need. CORP marks our own files as same-origin only.
 */
export const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".svg": "image/svg+xml",
  ".csv": "text/csv; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
  ".npz": "application/octet-stream",
};

/** The file a URL path names under `root` (also path.html and path/index.html), or null. Never outside root. */
export function resolveFile(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split(/[?#]/)[0]);
  } catch {
    return null;
  }
  const clean = normalize(path).replace(/^([/\\]*\.\.[/\\])+/, "");
  for (const candidate of [clean, `${clean}.html`, join(clean, "index.html")]) {
    const file = join(root, candidate);
    if ((file === root || file.startsWith(root + "/") || file.startsWith(root + "\\")) && existsSync(file)) {
      if (statSync(file).isFile()) return file;
    }
  }
  return null;
}

/** An http.Server for the files in `dir`, every answer with the isolation headers. */
export function createStaticServer(dir) {
  const root = resolve(dir);
  return createServer((req, res) => {
    const file = req.method === "GET" || req.method === "HEAD" ? resolveFile(root, req.url ?? "/") : null;
    if (!file) {
      const notFound = resolveFile(root, "/404");
      res.writeHead(404, { ...ISOLATION_HEADERS, "content-type": "text/html; charset=utf-8" });
      if (notFound && req.method === "GET") createReadStream(notFound).pipe(res);
      else res.end("not found");
      return;
    }
    res.writeHead(200, {
      ...ISOLATION_HEADERS,
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": statSync(file).size,
      "cache-control": "no-cache",
    });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
}

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dir = option("dir", "dist");
  const port = Number(option("port", process.env.PORT ?? 3000));
  const host = option("host", "127.0.0.1");
  if (!existsSync(join(dir, "index.html"))) {
    console.error(`No built site in ${dir}/. Run \`npm run build\` first.`);
    process.exit(1);
  }
  const server = createStaticServer(dir);
  server.listen(port, host, () => {
    const shown = host === "0.0.0.0" ? "localhost" : host;
    console.log(`Serving ${dir}/ at http://${shown}:${port}/ (cross-origin isolated: WebAssembly may use threads)`);
    if (host !== "127.0.0.1" && host !== "localhost")
      console.log("Other machines reaching this over plain http are not a secure context: they train on one thread.");
  });
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
