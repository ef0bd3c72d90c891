/** Tiny DOM helpers, so components read like the HTML they make. */

type Child = Node | string | null | undefined | false;

/** el("div", {class: "x"}, child, …): an element with attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) if (child != null && child !== false) node.append(child);
  return node;
}

/** Replaces all children of a node. */
export function replace(node: Element, ...children: Child[]): void {
  node.replaceChildren(...children.filter((c): c is Node | string => c != null && c !== false));
}
