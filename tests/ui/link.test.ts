// @vitest-environment jsdom
/**
 * Settings in the link: every control type writes its value into the URL and reads it back
 * (round trip), and every kind of bad value (out of range, wrong type, unknown key, too long,
 * markup, broken escapes, repeats) is clamped or dropped with a note, never run or inserted as HTML.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { makeNoduleDataset } from "../../src/data/nodules";
import { datasetPicker } from "../../src/ui/datasetPicker";
import { lambdaInput } from "../../src/lessons/gan";
import { checkbox, group, select, slider, type Input } from "../../src/ui/inputs";
import {
  booleanCodec,
  buildLink,
  choiceCodec,
  keyFromLabel,
  LINK_LIMITS,
  numberCodec,
  parseLink,
} from "../../src/ui/linkCodec";
import { currentLink, linkFlag, linkNotes, resetLinkState, settleNow, writeLinkNow } from "../../src/ui/linkState";
import { stubCanvas } from "../helpers/dom";

/** Opens "the page" at this query: a fresh link state, as a page load gives. */
function openAt(search: string): void {
  history.replaceState(null, "", `/cnn${search}`);
  resetLinkState(search);
  document.body.replaceChildren();
}

const params = () => {
  writeLinkNow();
  return Object.fromEntries(new URLSearchParams(location.search));
};

/** What the CNN page builds (its controls, with their labels and ranges). */
function cnnControls() {
  return {
    filters: slider({ label: "Filters (first layer)", min: 2, max: 32, step: 1, value: 8 }),
    dropout: slider({ label: "Dropout", min: 0, max: 0.8, step: 0.05, value: 0.25 }),
    learningRate: slider({ label: "Learning rate", min: 0.00001, max: 1, value: 0.005, log: true }),
    flip: checkbox({ label: "Augment: random flips", value: false }),
    upsample: select({
      label: "Upsampling",
      value: "transpose",
      options: [
        { value: "transpose", label: "transposed convolution" },
        { value: "resize", label: "resize + convolution" },
      ],
    }),
    size: select({
      label: "Image size",
      value: 64,
      options: [64, 96, 128].map((s) => ({ value: s, label: `${s}×${s}` })),
    }),
    zoom: select<number | null>({
      label: "Region",
      value: null,
      options: [
        { value: null, label: "whole image" },
        { value: 32, label: "centre, zoomed 2×" },
      ],
    }),
    lambda: lambdaInput({ value: 0.05 }),
  };
}

/** A user's change: set the value and fire "input", as the control does. */
function change<T>(input: Input<T>, value: T): void {
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

beforeEach(() => openAt(""));
afterEach(() => resetLinkState());

describe("link keys and codecs", () => {
  it("makes readable keys from labels", () => {
    expect(keyFromLabel("Learning rate")).toBe("learning-rate");
    expect(keyFromLabel("Filters (first layer)")).toBe("filters");
    expect(keyFromLabel("Augment: random flips")).toBe("augment-random-flips");
    expect(keyFromLabel("Target training images (N)")).toBe("target-training-images");
    expect(keyFromLabel("λ")).toBe("");
  });

  it("numbers: round trip, clamping, steps, wrong types", () => {
    const codec = numberCodec({ min: 2, max: 32, step: 1 });
    for (const v of [2, 8, 17, 32]) expect(codec.decode(codec.encode(v)!)).toEqual({ ok: true, value: v });
    expect(codec.decode("99")).toEqual({ ok: true, value: 32, note: "above 32: used 32" });
    expect(codec.decode("-5")).toEqual({ ok: true, value: 2, note: "below 2: used 2" });
    expect(codec.decode("7.6")).toMatchObject({ ok: true, value: 8 });
    for (const bad of ["abc", "", "NaN", "Infinity", "1e999", "0x10", "8px", "<b>8</b>", "1,5"])
      expect(codec.decode(bad).ok).toBe(false);
    const log = numberCodec({ min: 0.00001, max: 1 });
    for (const v of [0.00001, 0.005, 0.02, 1]) expect(log.decode(log.encode(v)!)).toEqual({ ok: true, value: v });
    expect(log.encode(NaN)).toBeNull();
    const steps = numberCodec({ min: 0, max: 0.8, step: 0.05 });
    expect(steps.decode("0.35")).toEqual({ ok: true, value: 0.35 });
  });

  it("booleans: 1/0 and the usual words; anything else refused", () => {
    const codec = booleanCodec();
    for (const v of [true, false]) expect(codec.decode(codec.encode(v)!)).toEqual({ ok: true, value: v });
    for (const word of ["true", "on", "YES"]) expect(codec.decode(word)).toEqual({ ok: true, value: true });
    for (const bad of ["2", "maybe", "", "<script>"]) expect(codec.decode(bad).ok).toBe(false);
  });

  it("choices: strings, numbers, null and object values, by a readable token", () => {
    const options = [
      { value: "a", label: "A" },
      { value: 64, label: "64 px" },
      { value: null, label: "whole image" },
      { value: { x: 1 }, label: "An object" },
    ];
    const codec = choiceCodec<unknown>(options);
    expect(options.map((o) => codec.encode(o.value))).toEqual(["a", "64", "none", "an-object"]);
    for (const o of options) expect(codec.decode(codec.encode(o.value)!)).toEqual({ ok: true, value: o.value });
    expect(codec.decode("zzz")).toEqual({ ok: false, note: "not one of a, 64, none, an-object" });
    expect(codec.encode("not an option")).toBeNull();
  });

  it("parses a link: flags, repeats, bad names, unreadable escapes, long values, too many settings", () => {
    const long = "x".repeat(LINK_LIMITS.valueLength + 1);
    const parsed = parseLink(`?a=1&a=2&train=1&present&%E0%A4%A=1&<img src=x>=1&b=${long}&c=%3Cb%3E`);
    expect([...parsed.values]).toEqual([
      ["a", "1"],
      ["c", "<b>"],
    ]);
    expect(parsed.flags).toEqual({ train: true, present: true });
    expect(parsed.notes).toEqual([
      "a (given twice: used the first)",
      "%E0%A4%A=1 (unreadable)",
      "<img src (not a setting name)",
      "b (value too long)",
    ]);
    const many = parseLink(Array.from({ length: 70 }, (_, i) => `k${i}=1`).join("&"));
    expect(many.values.size).toBe(LINK_LIMITS.settings);
    expect(many.notes).toEqual(["10 settings past the first 60"]);
    expect(parseLink("?train=maybe").notes).toEqual(["train=maybe (not 1 or 0)"]);
    expect(parseLink("?tfjsflags=DEBUG:true").notes).toEqual(["tfjsflags (not a setting name)"]);
    expect(
      buildLink(
        [
          ["learning-rate", "0.005"],
          ["dataset", "a b&c"],
        ],
        { present: true },
      ),
    ).toBe("?learning-rate=0.005&dataset=a%20b%26c&present=1");
  });
});

describe("controls in the page's link", () => {
  it("round trip: every control type writes its value, and a page opened at that link gets them all back", () => {
    const c = cnnControls();
    writeLinkNow();
    expect(location.search).toBe(""); // defaults are not written
    change(c.filters, 16);
    change(c.dropout, 0.5);
    change(c.learningRate, 0.02);
    change(c.flip, true);
    change(c.upsample, "resize");
    change(c.size, 128);
    change(c.zoom, 32);
    change(c.lambda, 0);
    expect(params()).toEqual({
      filters: "16",
      dropout: "0.5",
      "learning-rate": "0.02",
      "augment-random-flips": "1",
      upsampling: "resize",
      "image-size": "128",
      region: "32",
      lambda: "0",
    });
    const link = currentLink();
    expect(link).toContain("/cnn?filters=16&dropout=0.5&learning-rate=0.02");

    openAt(new URL(link).search);
    const again = cnnControls();
    expect(Object.fromEntries(Object.entries(again).map(([k, input]) => [k, input.value]))).toEqual({
      filters: 16,
      dropout: 0.5,
      learningRate: 0.02,
      flip: true,
      upsample: "resize",
      size: 128,
      zoom: 32,
      lambda: 0,
    });
    // The number boxes show the restored values too.
    expect((again.filters.querySelector("input[type=number]") as HTMLInputElement).value).toBe("16");
    expect((again.flip.querySelector("input") as HTMLInputElement).checked).toBe(true);
    settleNow();
    expect(linkNotes()).toEqual([]);
  });

  it("a value back at its default leaves the link; flags stay in it", () => {
    openAt("?train=1&present=1");
    const c = cnnControls();
    change(c.filters, 12);
    writeLinkNow();
    expect(location.search).toBe("?filters=12&train=1&present=1");
    change(c.filters, 8);
    writeLinkNow();
    expect(location.search).toBe("?train=1&present=1");
    expect(linkFlag("train")).toBe(true);
    expect(linkFlag("present")).toBe(true);
  });

  it("a group's value is its controls' restored values (what a page's view() reads)", () => {
    openAt("?filters=4&augment-random-flips=1");
    const g = group("Model", {
      filters: slider({ label: "Filters (first layer)", min: 2, max: 32, step: 1, value: 8 }),
      flip: checkbox({ label: "Augment: random flips", value: false }),
    });
    expect(g.value).toEqual({ filters: 4, flip: true });
  });

  it("bad values are clamped or dropped with a note, shown as text", () => {
    const markup = encodeURIComponent('<img src=x onerror="window.__pwned=1">');
    openAt(
      `?filters=999&dropout=abc&learning-rate=-1&augment-random-flips=maybe&upsampling=${markup}&lambda=1e9&nonsense=1&${markup}=1&image-size=${"9".repeat(200)}`,
    );
    const c = cnnControls();
    expect(c.filters.value).toBe(32);
    expect(c.dropout.value).toBe(0.25); // refused: the default stays
    expect(c.learningRate.value).toBe(0.00001);
    expect(c.flip.value).toBe(false);
    expect(c.upsample.value).toBe("transpose");
    expect(c.lambda.value).toBe(10);
    expect(c.size.value).toBe(64);
    settleNow();
    const notes = linkNotes();
    expect(notes).toEqual(
      expect.arrayContaining([
        '<img src=x onerror="win… (not a setting name)',
        "image-size (value too long)",
        "filters=999 (above 32: used 32)",
        "dropout=abc (not a number)",
        "learning-rate=-1 (below 0.00001: used 0.00001)",
        "augment-random-flips=maybe (not 1 or 0)",
        'upsampling=<img src=x onerror="win… (not one of transpose, resize)',
        "lambda=1e9 (above 10: used 10)",
        "nonsense (not a setting on this page)",
      ]),
    );
    expect(notes).toHaveLength(9);
    // Shown at the top of the page, as text: no element was made from the markup.
    const box = document.querySelector(".meddl-link-notes")!;
    expect(box.textContent).toContain("nonsense (not a setting on this page)");
    expect(document.querySelector("img")).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    // The link now holds only what is used: clamped values, no refused or unknown ones.
    expect(params()).toEqual({ filters: "32", "learning-rate": "0.00001", lambda: "10" });
    // The note can be dismissed.
    (box.querySelector("button") as HTMLButtonElement).click();
    expect(document.querySelector(".meddl-link-notes")).toBeNull();
  });

  it("a control made again (its cell re-ran) keeps the value it had, clamped quietly to its new range", () => {
    const first = slider({ label: "Depth (conv blocks)", min: 1, max: 4, step: 1, value: 3 });
    change(first, 4);
    const again = slider({ label: "Depth (conv blocks)", min: 1, max: 2, step: 1, value: 2 });
    expect(again.value).toBe(2);
    const third = slider({ label: "Depth (conv blocks)", min: 1, max: 4, step: 1, value: 3 });
    expect(third.value).toBe(3); // "2" was the previous copy's default, so the link forgot the setting
    settleNow();
    expect(linkNotes()).toEqual([]);
  });

  it("a link key that a later control reads is not reported unknown; `key` renames, `key: false` opts out", () => {
    openAt("?lr=0.1&seeds=3");
    const lr = slider({ label: "Learning rate", key: "lr", min: 0.0001, max: 1, value: 0.01, log: true });
    const off = slider({ label: "Seeds", key: false, min: 1, max: 8, step: 1, value: 2 });
    expect(lr.value).toBe(0.1);
    expect(off.value).toBe(2);
    settleNow();
    expect(linkNotes()).toEqual(["seeds (not a setting on this page)"]);
  });
});

describe("the dataset picker in the link", () => {
  stubCanvas();
  it("writes dataset=<id> and opens the same dataset from the link; an unknown id gets a note", async () => {
    const other = makeNoduleDataset({ seed: 3, trainCount: 40, valCount: 20 });
    const sources = [{ id: "other", label: "other nodules", load: () => ({ ...other, id: "other", title: "other" }) }];
    const initial = makeNoduleDataset({ seed: 42, trainCount: 40, valCount: 20 });
    const picker = datasetPicker({ initial, sources });
    const menu = picker.querySelector("select")!;
    menu.value = "other";
    menu.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((r) => setTimeout(r, 0));
    expect(params()).toEqual({ dataset: "other" });

    openAt("?dataset=other");
    const restored = datasetPicker({ initial, sources });
    await new Promise((r) => setTimeout(r, 0));
    expect(restored.value.id).toBe("other");

    openAt("?dataset=../../etc/passwd");
    const refused = datasetPicker({ initial, sources });
    expect(refused.value.id).toBe(initial.id);
    expect(linkNotes()).toEqual(["dataset=../../etc/passwd (not a dataset offered here)"]);
  });
});

describe("the address bar follows the controls", () => {
  it("a write still pending when the page is reset leaves the next page's address alone", () => {
    vi.useFakeTimers();
    try {
      const { filters } = cnnControls();
      change(filters, 4); // written at once
      change(filters, 5); // throttled: written 150 ms later
      resetLinkState(); // a new page opens before that
      history.replaceState(null, "", "/cnn?dropout=0.5");
      vi.advanceTimersByTime(1000);
      expect(location.search).toBe("?dropout=0.5");
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("the address bar before tfjs reads it", () => {
  it("drops broken escapes and tfjsflags (tfjs would throw on the first and obey the second), keeping the rest", async () => {
    history.replaceState(null, "", "/cnn?filters=4&a=%ZZ&tfjsflags=DEBUG:true&%E0%A4%A=1&lr=0.1");
    vi.resetModules();
    await import("../../src/ui/safeLink");
    const { ORIGINAL_SEARCH } = await import("../../src/core/address"); // as the page opened (safeLink reads it first)
    expect(ORIGINAL_SEARCH).toBe("?filters=4&a=%ZZ&tfjsflags=DEBUG:true&%E0%A4%A=1&lr=0.1");
    expect(location.search).toBe("?filters=4&lr=0.1");
    expect(() => new URLSearchParams(location.search).forEach((v, k) => decodeURIComponent(k + v))).not.toThrow();
  });
});
