// `npm run dev`: rebuilds the library bundle whenever src/ changes, and runs Framework's
// preview server, which reloads the lesson pages when the bundle or a page changes.
//
// Framework's preview cannot add response headers, so a tiny proxy stands in front of it and adds
// the cross-origin isolation headers (COOP/COEP) that let the WebAssembly backend use threads.
// Open the proxy's port (http://127.0.0.1:3000/ by default, `npm run dev -- --port 4000` to change);
// Framework's own port (the next one) works too, but without threads.
import { spawn } from "node:child_process";
import { createServer, request } from "node:http";
import { connect } from "node:net";
import { ISOLATION_HEADERS } from "./serve.mjs";

const portArg = process.argv.indexOf("--port");
const port = Number(portArg >= 0 ? process.argv[portArg + 1] : (process.env.PORT ?? 3000));
const previewPort = port + 1;
const host = "127.0.0.1";
const passOn = process.argv.slice(2).filter((_, i, all) => all[i] !== "--port" && all[i - 1] !== "--port");

// Framework's CLI sends anonymous usage telemetry unless told not to; the kit promises no outside requests.
const env = { ...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true" };
const run = (command, args) => spawn(command, args, { stdio: "inherit", env, shell: process.platform === "win32" });
const bundler = run("node", ["scripts/bundle.mjs", "--watch"]);
// Framework's CLI run by node directly (not through npx), so stopping dev stops it too.
const preview = run(process.execPath, [
  "node_modules/@observablehq/framework/dist/bin/observable.js",
  "preview",
  "--host",
  host,
  "--port",
  String(previewPort),
  "--no-open",
  ...passOn,
]);

/** Forwards every request to the preview server and adds the isolation headers to its answers. */
const proxy = createServer((req, res) => {
  const upstream = request(
    { host, port: previewPort, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...lowerCase(ISOLATION_HEADERS) });
      answer.pipe(res);
    },
  );
  upstream.on("error", () => {
    res.writeHead(502, { "content-type": "text/plain" }).end("Framework's preview server is not answering yet.");
  });
  req.pipe(upstream);
});
// Live reload talks over a WebSocket: pass the upgrade through byte for byte.
proxy.on("upgrade", (req, socket, head) => {
  const upstream = connect(previewPort, host, () => {
    const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    upstream.write(lines.join("\r\n") + "\r\n\r\n");
    if (head.length) upstream.write(head);
    upstream.pipe(socket).pipe(upstream);
  });
  upstream.on("error", () => socket.destroy());
  socket.on("error", () => upstream.destroy());
});
proxy.listen(port, host, () => {
  console.log(`\nOpen http://${host}:${port}/ : Framework's preview with cross-origin isolation (wasm threads on).\n`);
});

function lowerCase(headers) {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

const stop = () => {
  bundler.kill();
  preview.kill();
  proxy.close();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
preview.on("exit", (code) => {
  bundler.kill();
  proxy.close();
  process.exit(code ?? 0);
});
