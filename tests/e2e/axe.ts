/**
 * axe-core in a page: inject the npm package's script (no network: its text goes in as an inline
 * script) and run it on the whole document. Returns the violations, and a readable list of them
 * for a failing test's message.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";

/** The parts of an axe result a test reports (axe-core's own types describe more). */
export interface AxeViolation {
  id: string;
  impact: "minor" | "moderate" | "serious" | "critical" | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; html: string; failureSummary?: string }[];
}

let axeSource: string | undefined;

/** Runs axe-core on the page as it is now (inject once per page load). */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync("node_modules/axe-core/axe.min.js", "utf8");
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const { violations } = await axe.run(document, { resultTypes: ["violations"] });
    // Plain data only: element references do not cross back to node.
    return violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.map(String),
        html: n.html.slice(0, 200),
        failureSummary: n.failureSummary,
      })),
    }));
  });
}

/** The violations a page must not have: axe's "serious" and "critical". */
export function seriousViolations(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** One line per violation and up to five of its elements: what to fix, and where. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}, ${v.nodes.length} nodes): ${v.help}\n` +
        v.nodes
          .slice(0, 5)
          .map((n) => `    ${n.target.join(" ")}  ${n.html.replace(/\s+/g, " ").slice(0, 140)}`)
          .join("\n"),
    )
    .join("\n");
}
