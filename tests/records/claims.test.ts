// The lessons' citations and prose, checked against the survey (issue 11) and against the rule that
// no measured number is typed by hand: numbers in prose come from `${…}` quotes of a record.
import { describe, expect, it } from "vitest";
import { lesson, prose } from "./helpers";

const LESSONS = ["cnn", "transfer", "unet", "gan", "index", "detection", "explain", "data-problems", "autoencoders"];

describe("lesson prose", () => {
  it("types no measured number by hand (decimals and percentages come from records)", () => {
    // Allowed: figures the survey quotes from papers (cited as such), mathematical constants, and
    // settings a "try this" list suggests (an input, not a measured result).
    const cited = [
      "57.6%",
      "53.4%",
      "70.5%",
      "69.1%",
      "ln 2 ≈ 0.69",
      "learning rate of 0.05**",
      // what calibration means, in words (examples, not results)
      "90% sure",
      "80% sure",
      "80% of the time",
      // data problems: settings to try, and the arithmetic of 1% positives (not measurements)
      "99% accurate",
      "reaches 50%",
      "Slide to 20%",
      "towards 100%",
      "try 40%",
      "at 5%",
    ];
    for (const name of LESSONS) {
      let text = prose(lesson(name));
      for (const c of cited) text = text.split(c).join("");
      text = text.replace(/arXiv:\d+\.\d+/g, ""); // paper identifiers are not measurements
      const numbers = text.match(/\b\d+\.\d{2,}\b|\b\d+(\.\d+)?\s?%|\b\d+\.\d+\s?dB\b/g) ?? [];
      expect(numbers, `${name}.md`).toEqual([]);
    }
  });

  it("cites survey sections only for what they say (issue 11)", () => {
    const transfer = lesson("transfer"),
      unet = lesson("unet"),
      gan = lesson("gan"),
      cnn = lesson("cnn"),
      index = lesson("index");
    // Transfer strategies are reviewed in §3.1.1, not §2.3; the survey does not claim the N dependence.
    expect(transfer).not.toMatch(/§2\.3/);
    expect(index).not.toMatch(/§2\.3, §3\.1/);
    expect(transfer).toMatch(/§3\.1\.1/);
    expect(transfer).toMatch(/Antony et al\. \(2016\)/);
    expect(transfer).toMatch(/Kim et al\.\s+\(2016\)/);
    expect(transfer).not.toMatch(/survey's point that the best strategy depends/);
    expect(transfer).toMatch(/kit's own question/);
    // §5: images are plentiful, labels scarce.
    expect(transfer).not.toMatch(/^Medical datasets are small\./m);
    expect(transfer).toMatch(/only partially correct/);
    // Generic first-layer filters: the transfer-learning literature, not a survey section.
    expect(cnn).toMatch(/Yosinski et al\., 2014/);
    expect(cnn).not.toMatch(/survey §2\.3, §3\.1\)/);
    // U-Net: the best known, not behind most of the reviewed work.
    expect(unet).not.toMatch(/behind most of the segmentation work/);
    expect(unet).toMatch(/best known/);
    // GANs: §3.5.2 reviews pixel-loss CNNs; §2.6.3 says none had been applied yet; Wolterink came after.
    expect(gan).not.toMatch(/enhancement: noise reduction in low-dose CT, Wolterink et al\., 2017\)/);
    expect(gan).toMatch(/no peer-reviewed paper had yet applied/);
    expect(gan).toMatch(/came right after the survey/);
  });

  it("states the facts the issue found wrong correctly", () => {
    const unet = prose(lesson("unet")),
      gan = prose(lesson("gan")),
      transfer = prose(lesson("transfer"));
    expect(gan).toMatch(/\*\*median\*\* for L1/); // MAE is minimised by the conditional median
    expect(unet).not.toMatch(/IoU is always below Dice/);
    expect(unet).toMatch(/never above Dice/);
    expect(unet).not.toMatch(/8×8 bottleneck/); // the bottleneck sizes are computed in the page
    expect(unet).toMatch(/2×2\*\* up-convolution/); // the original U-Net's up-convolution has no uneven overlap
    expect(transfer).not.toMatch(/so every N and every strategy\s+gets the same number of steps/);
  });
});
