/**
 * How a "Try this" exercise makes its change on the page: it finds the kit's control by its label
 * (and, where a page has two controls of that name, by the legend of its group), sets `.value`
 * and dispatches a bubbling `input` event, exactly as if the student had moved it. Framework's
 * `view()` then re-runs the cells that read it.
 *
 * The lookup happens when the button is pressed, so it finds the control even after its cell has
 * re-run and made a new one.
 */

/** Sets a page control; throws when the page has no such control. */
export type SetControl = (label: string, value: unknown, options?: { group?: string }) => void;

/** The kit's inputs (src/ui/inputs.ts): a `label.meddl-field` with a `.meddl-label` and a `.value`. */
export function findControl(
  label: string,
  { group, root = document }: { group?: string; root?: ParentNode } = {},
): (HTMLElement & { value: unknown }) | null {
  const fields = Array.from(root.querySelectorAll<HTMLElement>("label.meddl-field")).filter(
    (field) => field.querySelector(":scope > .meddl-label")?.textContent?.trim() === label,
  );
  const inGroup = group
    ? fields.filter((f) => f.closest("fieldset.meddl-group")?.querySelector(":scope > legend")?.textContent?.trim() === group)
    : fields;
  return (inGroup[0] as (HTMLElement & { value: unknown }) | undefined) ?? null;
}

/**
 * The default: controls of the live page. Throws when no such control is on the page or it refuses
 * the value (the control is then left as it was), so a renamed control is caught by the tests
 * instead of a button that silently does nothing.
 */
export const setPageControl: SetControl = (label, value, options = {}) => {
  const control = findControl(label, options);
  if (!control) throw new Error(`no control labelled "${label}"${options.group ? ` in "${options.group}"` : ""} on this page`);
  const before = control.value;
  control.value = value;
  const menu = control.querySelector("select");
  if (control.value !== value || (menu && menu.selectedIndex < 0)) {
    control.value = before; // leave the control as it was
    throw new Error(`“${label}” cannot be set to ${String(value)} with this page's current data`);
  }
  control.dispatchEvent(new Event("input", { bubbles: true }));
};
