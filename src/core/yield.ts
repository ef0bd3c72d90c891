/**
 * Gives the browser a moment to paint and handle input between training steps.
 * A MessageChannel message runs sooner than setTimeout(0), which browsers clamp to 4 ms.
 */
export function yieldToBrowser(): Promise<void> {
  if (typeof window === "undefined" || typeof MessageChannel === "undefined") {
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
