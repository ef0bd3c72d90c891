/**
 * Form inputs that work with Framework's view(): each element has a .value and fires "input".
 * Bad values (NaN, out of range) are caught here and shown next to the control.
 */
import { el } from "../core/dom";
import { booleanCodec, choiceCodec, numberCodec, type LinkCodec } from "./linkCodec";
import { linkKey, shareable } from "./linkState";

export interface Input<T> extends HTMLElement {
  value: T;
}

/** Wraps a control with its label; .value forwards to the getter. */
function field<T>(label: string, control: HTMLElement, get: () => T, set: (v: T) => void, help?: string): Input<T> {
  const root = el(
    "label",
    { class: "meddl-field" },
    el("span", { class: "meddl-label" }, label),
    control,
    help ? el("span", { class: "meddl-help" }, help) : null,
  ) as unknown as Input<T>;
  Object.defineProperty(root, "value", { get, set });
  return root;
}

export interface SliderOptions {
  label: string;
  min: number;
  max: number;
  step?: number;
  value: number;
  /** Slide in log space: for learning rates, where 0.0001 and 0.01 are equally interesting. */
  log?: boolean;
  format?: (v: number) => string;
  help?: string;
  /** Its name in the page's link (default: made from the label); false keeps it out of links. */
  key?: string | false;
}

/** A slider with a number box: type an exact value or drag. */
export function slider({
  label,
  min,
  max,
  step,
  value,
  log = false,
  format = String,
  help,
  key,
}: SliderOptions): Input<number> {
  const toSlider = (v: number) => (log ? Math.log10(v) : v);
  const fromSlider = (s: number) => (log ? Number((10 ** s).toPrecision(2)) : s);
  const range = el("input", {
    type: "range",
    min: toSlider(min),
    max: toSlider(max),
    step: log ? 0.01 : (step ?? "any"),
    value: toSlider(value),
  });
  const box = el("input", { type: "number", min, max, step: step ?? "any", value, class: "meddl-number" });
  const error = el("span", { class: "meddl-input-error", role: "alert" });
  let current = value;
  const control = el("span", { class: "meddl-slider" }, range, box, error);
  const root = field(
    label,
    control,
    () => current,
    (v) => {
      current = v;
      range.value = String(toSlider(v));
      box.value = String(v);
    },
    help,
  );
  range.addEventListener("input", (event) => {
    event.stopPropagation();
    current = fromSlider(Number(range.value));
    box.value = format(current);
    error.textContent = "";
    root.dispatchEvent(new Event("input", { bubbles: true }));
  });
  box.addEventListener("input", (event) => event.stopPropagation());
  box.addEventListener("change", () => {
    const v = Number(box.value);
    if (box.value.trim() === "" || !Number.isFinite(v) || v < min || v > max) {
      error.textContent = `enter a number from ${min} to ${max}`;
      box.value = String(current); // keep the last good value: nothing is lost
      return;
    }
    error.textContent = "";
    current = v;
    range.value = String(toSlider(v));
    root.dispatchEvent(new Event("input", { bubbles: true }));
  });
  return shareIn(root, label, key, () => numberCodec({ min, max, step: log ? undefined : step }));
}

/** Puts a control in the page's link under its key (see linkState.ts); the restored value is set before anyone reads it. */
function shareIn<T>(
  root: Input<T>,
  label: string,
  key: string | false | undefined,
  codec: () => LinkCodec<T>,
): Input<T> {
  const k = linkKey(label, key);
  return k ? shareable(root, k, codec()) : root;
}

export interface SelectOptions<T> {
  label: string;
  options: { value: T; label: string }[];
  value: T;
  help?: string;
  /** Its name in the page's link (default: made from the label); false keeps it out of links. */
  key?: string | false;
}

export function select<T>({ label, options, value, help, key }: SelectOptions<T>): Input<T> {
  const control = el(
    "select",
    {},
    ...options.map((o, i) => el("option", { value: i, selected: o.value === value }, o.label)),
  );
  let current = value;
  const root = field(
    label,
    control,
    () => current,
    (v) => {
      current = v;
      control.value = String(options.findIndex((o) => o.value === v));
    },
    help,
  );
  control.addEventListener("input", (event) => {
    event.stopPropagation();
    current = options[Number(control.value)].value;
    root.dispatchEvent(new Event("input", { bubbles: true }));
  });
  return shareIn(root, label, key, () => choiceCodec(options));
}

export function checkbox({
  label,
  value,
  help,
  key,
}: {
  label: string;
  value: boolean;
  help?: string;
  key?: string | false;
}): Input<boolean> {
  const control = el("input", { type: "checkbox", checked: value });
  const root = field(
    label,
    control,
    () => control.checked,
    (v) => (control.checked = v),
    help,
  );
  control.addEventListener("input", (event) => {
    event.stopPropagation();
    root.dispatchEvent(new Event("input", { bubbles: true }));
  });
  return shareIn(root, label, key, booleanCodec);
}

/** Groups inputs into one: its value is an object of their values, keyed by name. */
export function group<T extends Record<string, unknown>>(
  title: string,
  inputs: { [K in keyof T]: Input<T[K]> },
): Input<T> {
  const root = el(
    "fieldset",
    { class: "meddl-group" },
    el("legend", {}, title),
    ...(Object.values(inputs) as HTMLElement[]),
  ) as unknown as Input<T>;
  Object.defineProperty(root, "value", {
    get: () =>
      Object.fromEntries(Object.entries(inputs).map(([k, input]) => [k, (input as Input<unknown>).value])) as T,
  });
  return root;
}
