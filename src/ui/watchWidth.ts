/** Charts that fit their container: the container's width, measured by the browser as it changes. */
/**
 * Calls `onChange` with the element's content width (whole pixels) whenever it changes, a frame
 * later so a burst of resizes (dragging the window) draws once. Returns the way to stop.
 */
export function watchWidth(element: HTMLElement, onChange: (width: number) => void): () => void {
  if (typeof ResizeObserver === "undefined") return () => {}; // jsdom, old browsers: fixed widths
  let last = -1;
  let frame = 0;
  const observer = new ResizeObserver(([entry]) => {
    const width = Math.floor(entry.contentRect.width);
    if (width <= 0 || width === last) return; // hidden, or only the height changed
    last = width;
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => onChange(width));
  });
  observer.observe(element);
  return () => {
    cancelAnimationFrame(frame);
    observer.disconnect();
  };
}

/**
 * The width a chart drawn now into `container` should take: the container's own, once it is laid
 * out, else `fallback` (before layout, or in jsdom). For panels redrawn on demand, not by live().
 */
export function fitWidth(container: HTMLElement, fallback: number): number {
  const width = Math.floor(container.clientWidth);
  return width > 0 ? width : fallback;
}
