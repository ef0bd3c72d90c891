// @vitest-environment jsdom
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  formPattern,
  GLOSSARY,
  glossaryList,
  LESSON_TITLES,
  linkGlossaryTerms,
  sortedTerms,
  termForms,
  type GlossaryTerm,
} from "../../src/ui/glossary";
import { LESSON_SLUGS, LESSONS_DIR, lessonMarkdown, mountLesson } from "../helpers/lessonProse";

const byId = new Map(GLOSSARY.map((t) => [t.id, t]));

function page(html: string): HTMLElement {
  document.body.innerHTML = `<main id="observablehq-main">${html}</main>`;
  return document.getElementById("observablehq-main")!;
}

const links = (root: ParentNode = document) => [...root.querySelectorAll<HTMLAnchorElement>("a.meddl-term")];

afterEach(() => {
  document.body.innerHTML = "";
});

describe("the glossary's terms", () => {
  it("has a unique, anchor-safe id and a real one-paragraph definition for every term", () => {
    const ids = GLOSSARY.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of GLOSSARY) {
      expect(t.id, t.term).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(t.definition.trim().length, t.id).toBeGreaterThan(60);
      expect(t.definition, t.id).toMatch(/[.)]$/);
      expect(t.definition, t.id).not.toMatch(/\n/);
    }
    expect(GLOSSARY.length).toBeGreaterThanOrEqual(60);
  });

  it("writes each form (term or alias) under one term only, so a word always links to the same entry", () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const t of GLOSSARY)
      for (const form of termForms(t)) {
        const key = form.toLowerCase().replace(/[\s-]+/g, " ");
        if (owner.has(key) && owner.get(key) !== t.id) clashes.push(`${form}: ${owner.get(key)} and ${t.id}`);
        owner.set(key, t.id);
      }
    expect(clashes).toEqual([]);
  });

  it("names at least one lesson, and only real ones, for every term", () => {
    for (const t of GLOSSARY) {
      expect(t.lessons.length, t.id).toBeGreaterThan(0);
      for (const slug of t.lessons) expect(Object.keys(LESSON_TITLES), t.id).toContain(slug);
    }
  });

  it("includes the terms the issue names", () => {
    const named = ["epoch", "batch", "Adam", "dropout", "soft Dice", "FBP", "ramp filter", "noise power spectrum"];
    const more = ["cycles per pixel", "BI-RADS", "AUC", "PatchGAN"];
    for (const word of [...named, ...more]) {
      const found = GLOSSARY.some((t) => termForms(t).some((f) => f.toLowerCase() === word.toLowerCase()));
      expect(found, word).toBe(true);
    }
  });
});

describe("linking a page's terms", () => {
  it("links only the first use of a term, to its glossary anchor", () => {
    const root = page("<p>The AUC rises; AUC is a rank.</p><ul><li>AUC again</li></ul>");
    expect(linkGlossaryTerms()).toEqual(["auc"]);
    const auc = links();
    expect(auc).toHaveLength(1);
    expect(auc[0].textContent).toBe("AUC");
    expect(auc[0].getAttribute("href")).toBe("./glossary#auc");
    expect(root.querySelector("p")!.textContent).toBe("The AUC rises; AUC is a rank.");
    expect(root.querySelector("li")!.innerHTML).toBe("AUC again");
  });

  it("leaves headings, code, links, controls, charts and cells' output alone, and links the next use in prose", () => {
    const root = page(
      `<h2>AUC</h2><p><code>AUC</code>, <a href="./x">AUC</a>, <button>AUC</button> <label>AUC</label></p>` +
        `<figure><p>AUC</p></figure><svg><text>AUC</text></svg>` +
        `<div class="observablehq observablehq--block"><p>AUC in a cell</p></div>` +
        `<p>Then the AUC.</p>`,
    );
    linkGlossaryTerms();
    expect(links()).toHaveLength(1);
    expect(links()[0].closest("p")!.textContent).toBe("Then the AUC.");
    expect(root.querySelector("h2")!.innerHTML).toBe("AUC");
    expect(root.querySelector("code")!.innerHTML).toBe("AUC");
    expect(root.querySelector("a[href='./x']")!.innerHTML).toBe("AUC");
    expect(root.querySelector(".observablehq--block p")!.innerHTML).toBe("AUC in a cell");
  });

  it("does not touch text an inline ${…} expression put into the prose (the cell may replace it)", () => {
    const root = page("<p>Recorded: <!--:0a1b2c3d:--> then the epoch.</p>");
    const marker = [...root.querySelector("p")!.childNodes].find((n) => n.nodeType === Node.COMMENT_NODE)!;
    const inserted = document.createTextNode("AUC 0.93 after one epoch");
    marker.parentNode!.insertBefore(inserted, marker);
    (marker as Comment & { _nodes: Node[] })._nodes = [inserted];
    linkGlossaryTerms();
    expect(inserted.isConnected).toBe(true);
    expect(inserted.data).toBe("AUC 0.93 after one epoch");
    expect(links().map((a) => a.dataset.term)).toEqual(["epoch"]);
  });

  it("matches aliases, plurals and a capital at the start of a sentence, preferring the longest term", () => {
    page(
      "<p>Epochs pass. The area under the ROC curve, two batches, CNNs, a low-dose scan and the " +
        "cross-entropy of seeded code; then the noise power spectrum and the power spectrum.</p>",
    );
    const ids = linkGlossaryTerms();
    expect(ids).toEqual(
      expect.arrayContaining(["epoch", "auc", "batch", "cnn", "dose", "cross-entropy", "noise-power-spectrum"]),
    );
    const text = Object.fromEntries(links().map((a) => [a.dataset.term, a.textContent]));
    expect(text.epoch).toBe("Epochs");
    expect(text.auc).toBe("area under the ROC curve");
    expect(text.batch).toBe("batches");
    expect(text.dose).toBe("low-dose");
    expect(text["noise-power-spectrum"]).toBe("noise power spectrum");
    expect(text["power-spectrum"]).toBe("power spectrum");
    expect(ids).not.toContain("predictive-entropy"); // "entropy" inside "cross-entropy" is not a use
    expect(ids).not.toContain("seed"); // "seeded" is another word
    expect(ids).not.toContain("roc-curve"); // part of the longer AUC alias
  });

  it("links nothing twice when run again", () => {
    page("<p>The epoch ends.</p><p>Another epoch, and the AUC.</p>");
    expect(linkGlossaryTerms()).toEqual(["epoch", "auc"]);
    expect(linkGlossaryTerms()).toEqual([]);
    expect(links()).toHaveLength(2);
    expect(document.querySelectorAll(".meddl-term-tip")).toHaveLength(2);
  });

  it("describes each link by a tooltip holding the definition, shown on focus and hover, hidden on blur and Escape", () => {
    page("<p>Watch the AUC.</p>");
    linkGlossaryTerms();
    const link = links()[0];
    const tip = document.getElementById(link.getAttribute("aria-describedby")!)!;
    expect(tip.getAttribute("role")).toBe("tooltip");
    expect(tip.textContent).toContain(byId.get("auc")!.definition);
    expect(link.closest("p")!.textContent).toBe("Watch the AUC."); // the tooltip is not in the prose
    expect(tip.hidden).toBe(true);
    link.dispatchEvent(new FocusEvent("focus"));
    expect(tip.hidden).toBe(false);
    link.dispatchEvent(new FocusEvent("blur"));
    expect(tip.hidden).toBe(true);
    link.dispatchEvent(new MouseEvent("mouseenter"));
    expect(tip.hidden).toBe(false);
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(tip.hidden).toBe(true);
  });
});

/** The text nodes of a page's prose, found without the module's own walker. */
function proseTexts(root: HTMLElement): string[] {
  const texts: string[] = [];
  for (const block of root.querySelectorAll("p, li, dd")) {
    if (block.closest(".observablehq--block, figure, table, h1, h2, h3, h4, h5, h6")) continue;
    for (const node of block.childNodes) collect(node, texts);
  }
  return texts;
}

function collect(node: Node, out: string[]): void {
  if (node.nodeType === Node.TEXT_NODE) out.push((node as Text).data);
  else if (node.nodeType === Node.ELEMENT_NODE) {
    const tag = (node as Element).tagName.toLowerCase();
    if (["a", "code", "pre", "button", "label", "svg", "p", "li", "dd", "ul", "ol"].includes(tag)) return;
    for (const child of node.childNodes) collect(child, out);
  }
}

/** The terms whose forms occur in the texts, longer forms first (a word inside a longer term is not a use). */
const FORMS = GLOSSARY.flatMap((t) =>
  termForms(t).map((form) => ({
    form,
    t,
    re: new RegExp(`(?<![\\p{L}\\p{N}_\\-])${formPattern(form)}(?![\\p{L}\\p{N}_\\-])`, "gu"),
  })),
).sort((a, b) => b.form.length - a.form.length);

function termsUsed(texts: string[]): Set<string> {
  const used = new Set<string>();
  for (let text of texts) {
    for (const { t, re } of FORMS) {
      text = text.replace(re, (m) => {
        used.add(t.id);
        return "\u0000".repeat(m.length);
      });
    }
  }
  return used;
}

describe("every lesson page", () => {
  for (const slug of LESSON_SLUGS) {
    it(`${slug}: links every glossary term its prose uses, once, and the glossary links back`, () => {
      const root = mountLesson(slug);
      const expected = termsUsed(proseTexts(root));
      const linked = linkGlossaryTerms({ root });
      expect(new Set(linked)).toEqual(expected);
      const ids = links(root).map((a) => a.dataset.term!);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeGreaterThan(20);
      const notBack = linked.filter((id) => !byId.get(id)!.lessons.includes(slug as GlossaryTerm["lessons"][number]));
      expect(notBack, "terms this lesson uses whose glossary entry does not link back to it").toEqual([]);
    });

    it(`${slug}: has one glossary cell near the top`, () => {
      const md = lessonMarkdown(slug);
      expect(md.match(/linkGlossaryTerms\(\)/g)).toHaveLength(1);
      const cells = [...md.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
      const at = cells.findIndex((c) => c.includes("linkGlossaryTerms();"));
      expect(at).toBeGreaterThan(0); // after the imports cell…
      expect(at).toBeLessThan(4); // …and before the page's heavy work
    });
  }

  it("finds the terms the issue names where the lessons use them", () => {
    const linkedOn = (slug: string) => {
      mountLesson(slug);
      return linkGlossaryTerms();
    };
    expect(linkedOn("cnn")).toEqual(expect.arrayContaining(["epoch", "batch", "dropout", "auc"]));
    expect(linkedOn("gan")).toEqual(expect.arrayContaining(["fbp", "ramp-filter", "noise-power-spectrum", "patchgan"]));
    expect(linkedOn("transfer")).toContain("bi-rads");
  });
});

describe("the glossary page", () => {
  it("lists every term alphabetically, each under its own anchor, with its definition and links back", () => {
    const list = glossaryList();
    document.body.append(list);
    const dts = [...list.querySelectorAll("dt")];
    expect(dts.map((d) => d.id)).toEqual(sortedTerms().map((t) => t.id));
    expect(new Set(dts.map((d) => d.id))).toEqual(new Set(GLOSSARY.map((t) => t.id)));
    const names = dts.map((d) => d.querySelector("dfn")!.textContent!.replace(/^\./, ""));
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" })));
    for (const dt of dts) {
      const term = byId.get(dt.id)!;
      const dd = dt.nextElementSibling!;
      expect(dd.tagName).toBe("DD");
      expect(dd.textContent).toContain(term.definition);
      const back = [...dd.querySelectorAll("a")].map((a) => a.getAttribute("href"));
      expect(back).toEqual(term.lessons.map((s) => `./${s}`));
    }
    for (const a of list.querySelectorAll<HTMLAnchorElement>(".meddl-glossary-index a"))
      expect(document.getElementById(a.getAttribute("href")!.slice(1)), a.textContent!).not.toBeNull();
  });

  it("marks and scrolls to the entry the address names, which did not exist when the browser looked", async () => {
    location.hash = "#patchgan";
    await new Promise((resolve) => setTimeout(resolve, 10)); // the hashchange event passes before the list exists
    const scrolled: string[] = [];
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this.id);
    };
    const list = glossaryList();
    document.body.append(list);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(scrolled).toEqual(["patchgan"]);
    expect([...list.querySelectorAll(".meddl-glossary-target")].map((e) => e.id)).toEqual(["patchgan"]);
    location.hash = "#auc";
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect([...list.querySelectorAll(".meddl-glossary-target")].map((e) => e.id)).toEqual(["auc"]);
    location.hash = "";
  });

  it("is rendered from the data, not written out, and is in the site's pages and linked from the course map", () => {
    const md = readFileSync(join(LESSONS_DIR, "glossary.md"), "utf8");
    expect(md).toContain("display(glossaryList())");
    for (const t of GLOSSARY) expect(md).not.toContain(t.definition.slice(0, 40));
    const config = readFileSync(join(LESSONS_DIR, "../observablehq.config.ts"), "utf8");
    expect(config).toMatch(/path: "\/glossary"/);
    expect(readFileSync(join(LESSONS_DIR, "index.md"), "utf8")).toContain("](./glossary)");
  });
});
