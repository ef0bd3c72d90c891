/**
 * The training worker's entry point (bundled by scripts/bundle.mjs into lessons/_lib/trainingWorker.js).
 * Everything it does is in host.ts; here it only listens, and turns any error that escapes into a
 * message for the page instead of an unhandled rejection.
 */
import "@tensorflow/tfjs-backend-webgpu"; // as on the page: used only when the learner picks it
import { TrainingHost, type HostPort } from "./host";
import { errorText, type ToWorker } from "./protocol";

const scope = self as unknown as HostPort & {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  addEventListener(type: string, listener: (event: Event) => void): void;
};

const host = new TrainingHost(scope);
scope.onmessage = (event) => void host.handle(event.data);
scope.addEventListener("error", (event) => {
  scope.postMessage({
    type: "error",
    message: errorText((event as ErrorEvent).error ?? (event as ErrorEvent).message),
  });
  event.preventDefault();
});
scope.addEventListener("unhandledrejection", (event) => {
  scope.postMessage({ type: "error", message: errorText((event as PromiseRejectionEvent).reason) });
  event.preventDefault();
});
