/**
 * Settings in a link, as text: how each kind of control writes its value into a URL
 * (`?filters=16&learning-rate=0.01&flips=1`) and reads it back. Reading never trusts the text:
 * a value out of range is clamped, a wrong type or an unknown choice is refused, and each gets
 * a short note in words, which the page shows. Nothing here touches the DOM.
 */

/** A value read from a link: accepted (perhaps adjusted, with a note saying how), or refused. */
export type Decoded<T> = { ok: true; value: T; note?: string } | { ok: false; note: string };

export interface LinkCodec<T> {
  /** The value as link text, or null when it cannot go in a link (e.g. a user's own file). */
  encode(value: T): string | null;
  decode(raw: string): Decoded<T>;
}

/** Limits on what a link may carry: longer or more is ignored, never parsed. */
export const LINK_LIMITS = { keyLength: 40, valueLength: 100, settings: 60, shown: 24 } as const;

/** Settings every lesson understands, which no control may use as its key. */
export const LINK_FLAGS = ["train", "present"] as const;
export type LinkFlag = (typeof LINK_FLAGS)[number];

const KEY_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const NUMBER_PATTERN = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/**
 * A readable link key from a control's label: "Learning rate" → "learning-rate",
 * "Filters (first layer)" → "filters", "Augment: random flips" → "augment-random-flips".
 * Brackets are dropped (they explain, they do not name); anything not a letter or digit joins words.
 */
export function keyFromLabel(label: string): string {
  return label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // é → e
    .replace(/\([^)]*\)/g, " ")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, LINK_LIMITS.keyLength)
    .replace(/-+$/, "");
}

export function isValidKey(key: string): boolean {
  return key.length > 0 && key.length <= LINK_LIMITS.keyLength && KEY_PATTERN.test(key);
}

/** Text safe and short enough to quote in a note (it is shown as text, never as HTML). */
export function shortText(text: string, max: number = LINK_LIMITS.shown): string {
  // eslint-disable-next-line no-control-regex
  const printable = text.replace(/[\u0000-\u001f\u007f]/g, "?");
  return printable.length > max ? `${printable.slice(0, max - 1)}…` : printable;
}

/** Numbers as short as they can be without changing: 0.005, 16, 0.00012. */
export function formatNumber(v: number): string {
  return String(Number(v.toPrecision(6)));
}

export interface NumberCodecOptions {
  min: number;
  max: number;
  /** Values snap to min + k·step (not for log sliders). */
  step?: number;
}

/** A number in [min, max]: clamped when outside, snapped to the step, refused when not a number. */
export function numberCodec({ min, max, step }: NumberCodecOptions): LinkCodec<number> {
  return {
    encode: (v) => (Number.isFinite(v) ? formatNumber(v) : null),
    decode(raw) {
      const text = raw.trim();
      if (!NUMBER_PATTERN.test(text)) return { ok: false, note: "not a number" };
      const given = Number(text);
      if (!Number.isFinite(given)) return { ok: false, note: "not a number" };
      let v = Math.min(max, Math.max(min, given));
      if (step && step > 0) v = Math.min(max, Number((min + Math.round((v - min) / step) * step).toPrecision(12)));
      if (v === given) return { ok: true, value: v };
      const why =
        given < min
          ? `below ${formatNumber(min)}`
          : given > max
            ? `above ${formatNumber(max)}`
            : `not a step of ${formatNumber(step!)}`;
      return { ok: true, value: v, note: `${why}: used ${formatNumber(v)}` };
    },
  };
}

const TRUE_WORDS = ["1", "true", "on", "yes"];
const FALSE_WORDS = ["0", "false", "off", "no"];

/** On or off: written 1 or 0; also reads true/false, on/off, yes/no. */
export function booleanCodec(): LinkCodec<boolean> {
  return {
    encode: (v) => (v ? "1" : "0"),
    decode(raw) {
      const word = raw.trim().toLowerCase();
      if (TRUE_WORDS.includes(word)) return { ok: true, value: true };
      if (FALSE_WORDS.includes(word)) return { ok: true, value: false };
      return { ok: false, note: "not 1 or 0" };
    },
  };
}

/** How one menu option is written: its value when that is readable text or a number, else its label as a key. */
export function choiceToken(option: { value: unknown; label: string }): string {
  const v = option.value;
  if (v === null || v === undefined) return "none";
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return String(v);
  return keyFromLabel(option.label);
}

/** One of a menu's options, by its token; anything else is refused, naming a few of the choices. */
export function choiceCodec<T>(options: { value: T; label: string }[]): LinkCodec<T> {
  const tokens = options.map(choiceToken);
  return {
    encode(value) {
      const i = options.findIndex((o) => o.value === value);
      return i >= 0 ? tokens[i] : null;
    },
    decode(raw) {
      const i = tokens.indexOf(raw.trim());
      if (i >= 0) return { ok: true, value: options[i].value };
      const some = tokens
        .slice(0, 4)
        .map((t) => shortText(t, 16))
        .join(", ");
      return { ok: false, note: `not one of ${some}${tokens.length > 4 ? ", …" : ""}` };
    },
  };
}

/** A link's settings after the first checks, and what was ignored on the way. */
export interface ParsedLink {
  values: Map<string, string>;
  flags: Partial<Record<LinkFlag, boolean>>;
  /** Short notes in words, one per ignored thing, e.g. "foo=… (too long)". */
  notes: string[];
}

/**
 * Splits a query string into settings. Unreadable escapes, bad or over-long names, over-long
 * values, repeats and settings past the limit are ignored with a note; values are NOT judged here
 * (each control does that with its codec).
 */
export function parseLink(search: string): ParsedLink {
  const parsed: ParsedLink = { values: new Map(), flags: {}, notes: [] };
  const query = search.startsWith("?") ? search.slice(1) : search;
  const pairs = query.split("&").filter((p) => p.length > 0);
  if (pairs.length > LINK_LIMITS.settings)
    parsed.notes.push(`${pairs.length - LINK_LIMITS.settings} settings past the first ${LINK_LIMITS.settings}`);
  for (const pair of pairs.slice(0, LINK_LIMITS.settings)) {
    const eq = pair.indexOf("=");
    let key: string, raw: string;
    try {
      key = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, " "));
      raw = eq < 0 ? "" : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, " "));
    } catch {
      parsed.notes.push(`${shortText(pair)} (unreadable)`);
      continue;
    }
    if (!isValidKey(key) || key === "tfjsflags") {
      parsed.notes.push(`${shortText(key) || "(no name)"} (not a setting name)`);
      continue;
    }
    if (raw.length > LINK_LIMITS.valueLength) {
      parsed.notes.push(`${key} (value too long)`);
      continue;
    }
    if ((LINK_FLAGS as readonly string[]).includes(key)) {
      const flag = booleanCodec().decode(eq < 0 ? "1" : raw);
      if (flag.ok) parsed.flags[key as LinkFlag] = flag.value;
      else parsed.notes.push(`${key}=${shortText(raw)} (${flag.note})`);
      continue;
    }
    if (parsed.values.has(key)) {
      parsed.notes.push(`${key} (given twice: used the first)`);
      continue;
    }
    parsed.values.set(key, raw);
  }
  return parsed;
}

/** Settings back into a readable query string ("?a=1&b=x"), flags last; "" when there is nothing. */
export function buildLink(values: Iterable<[string, string]>, flags: Partial<Record<LinkFlag, boolean>> = {}): string {
  const parts = [...values].map(([k, v]) => `${k}=${encodeValue(v)}`);
  for (const flag of LINK_FLAGS) if (flags[flag]) parts.push(`${flag}=1`);
  return parts.length ? `?${parts.join("&")}` : "";
}

/** Escapes only what must be escaped, so a link stays readable (0.005, not 0%2E005). */
function encodeValue(v: string): string {
  return encodeURIComponent(v).replace(/%2C/g, ",").replace(/%3A/g, ":");
}
