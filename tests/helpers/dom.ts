/** jsdom has no canvas; our raster code skips painting when getContext returns null. */
export function stubCanvas(): void {
  HTMLCanvasElement.prototype.getContext = (() => null) as never;
  if (typeof globalThis.ImageData === "undefined") {
    (globalThis as Record<string, unknown>).ImageData = class {
      constructor(
        public data: Uint8ClampedArray,
        public width: number,
        public height: number,
      ) {}
    };
  }
}
