// `npm run dev`: rebuilds the library bundle whenever src/ changes, and runs Framework's
// preview server, which reloads the lesson pages when the bundle or a page changes.
import { spawn } from "node:child_process";

// Framework's CLI sends anonymous usage telemetry unless told not to; the kit promises no outside requests.
const env = { ...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true" };
const run = (command, args) => spawn(command, args, { stdio: "inherit", env, shell: process.platform === "win32" });
const bundler = run("node", ["scripts/bundle.mjs", "--watch"]);
const preview = run("npx", ["observable", "preview", ...process.argv.slice(2)]);
const stop = () => {
  bundler.kill();
  preview.kill();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
preview.on("exit", (code) => {
  bundler.kill();
  process.exit(code ?? 0);
});
