/** A tiny typed event emitter: the trainer speaks, charts and controls listen. */
export class Emitter<Events extends object> {
  private listeners = new Map<keyof Events, Set<(value: never) => void>>();

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof Events>(event: K, listener: (value: Events[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (value: never) => void);
    return () => set.delete(listener as (value: never) => void);
  }

  protected emit<K extends keyof Events>(event: K, value: Events[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as (value: Events[K]) => void)(value);
      } catch (error) {
        // A broken chart must not stop training.
        console.warn(`listener for "${String(event)}" failed:`, error);
      }
    }
  }

  protected clear(): void {
    this.listeners.clear();
  }
}
