/**
 * A lesson page's markdown as Framework would put it in the page before any cell runs: the prose
 * rendered by markdown-it (Framework's renderer, with html on), each ```js block as an empty cell
 * output `<div class="observablehq observablehq--block">`, and each inline `${…}` expression as
 * the comment Framework marks its place with. For DOM tests of what runs over a page's prose.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import MarkdownIt from "markdown-it";

export const LESSONS_DIR = resolve(__dirname, "../../lessons");
export const LESSON_SLUGS = [
  "cnn",
  "transfer",
  "unet",
  "gan",
  "detection",
  "explain",
  "data-problems",
  "autoencoders",
] as const;

export function lessonMarkdown(slug: string): string {
  return readFileSync(join(LESSONS_DIR, `${slug}.md`), "utf8");
}

/** The page's main column as HTML. */
export function lessonHtml(markdown: string): string {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, "");
  let cell = 0;
  const marker = () => `<!--:${(cell++).toString(16).padStart(8, "0")}:-->`;
  const withoutCode = body.replace(
    /^```js[^\n]*\n[\s\S]*?^```[ \t]*$/gm,
    () => `\n<div class="observablehq observablehq--block">${marker()}</div>\n`,
  );
  const withoutInline = replaceInlineExpressions(
    withoutCode,
    () => `<observablehq-loading></observablehq-loading>${marker()}`,
  );
  return new MarkdownIt({ html: true, linkify: true }).render(withoutInline);
}

/** Replaces every `${…}` (braces balanced, as the expressions nest template literals) by `make()`. */
export function replaceInlineExpressions(text: string, make: () => string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf("${", i);
    if (start < 0) break;
    let depth = 0;
    let j = start + 1;
    for (; j < text.length; j++) {
      if (text[j] === "{") depth++;
      else if (text[j] === "}" && --depth === 0) break;
    }
    out += text.slice(i, start) + make();
    i = j + 1;
  }
  return out + text.slice(i);
}

/** Puts a lesson's rendered prose into `document` as Framework's `<main id="observablehq-main">`. */
export function mountLesson(slug: string): HTMLElement {
  document.body.innerHTML = `<main id="observablehq-main" class="observablehq">${lessonHtml(lessonMarkdown(slug))}</main>`;
  return document.getElementById("observablehq-main")!;
}
