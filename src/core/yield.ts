/**
 * Gives the browser a moment to paint and handle input between training steps; in the training
 * worker, a moment to take the page's messages (Pause, Stop, a new learning rate).
 * A MessageChannel message runs sooner than setTimeout(0), which browsers clamp to 4 ms once
 * timeouts nest: a detector that yields after every slice it searches would lose that much each time.
 */
export function yieldToBrowser(): Promise<void> {
  if (!inBrowser() || typeof MessageChannel === "undefined") {
    return new Promise((resolve) => setTimeout(resolve, 0));
  }
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** A page or a worker of one (node's own timers need no help). */
function inBrowser(): boolean {
  return (
    typeof window !== "undefined" ||
    typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== "undefined"
  );
}
