/** Plain-language checks on hyperparameters and on the loss while training. */

export const LEARNING_RATE_RANGE = { min: 1e-6, max: 1 } as const;

/** Throws a readable error for a learning rate that cannot train anything. */
export function checkLearningRate(lr: number): void {
  if (!Number.isFinite(lr)) throw new RangeError(`the learning rate must be a number, got ${lr}`);
  if (lr < LEARNING_RATE_RANGE.min || lr > LEARNING_RATE_RANGE.max) {
    throw new RangeError(
      `the learning rate must be between ${LEARNING_RATE_RANGE.min} and ${LEARNING_RATE_RANGE.max}, got ${lr}`,
    );
  }
}

/** How many times its first value the loss may jump before we call it exploding. */
export const EXPLOSION_FACTOR = 20;
/** A run whose recent mean loss stays this many times above chance level has blown up. */
export const ABOVE_CHANCE_FACTOR = 4;
/** Batches averaged for the "stays above chance" rule, so one bad batch is not enough. */
export const WATCH_WINDOW = 10;

export const DIVERGED_MESSAGE = "the loss diverged; try a lower learning rate";

/**
 * Watches the loss batch by batch and names a divergence:
 * - NaN or infinite;
 * - a jump to many times its first value;
 * - a recent mean far above the loss of guessing (chance level). Cross-entropy is clipped,
 *   so a blown-up classifier shows up as a loss pinned high, not as infinity.
 */
export class LossWatch {
  private first: number | undefined;
  private recent: number[] = [];

  /** @param chanceLoss the loss of a model that always guesses uniformly, e.g. ln K for K classes. */
  constructor(private readonly chanceLoss: number) {}

  /** Returns a message when this loss shows divergence, else null. */
  check(loss: number): string | null {
    if (!Number.isFinite(loss)) return `${DIVERGED_MESSAGE} (it became ${loss})`;
    this.first ??= loss;
    if (loss > EXPLOSION_FACTOR * Math.max(this.first, this.chanceLoss)) {
      return `${DIVERGED_MESSAGE} (it jumped to ${loss.toPrecision(3)}, over ${EXPLOSION_FACTOR}× where it started)`;
    }
    this.recent.push(loss);
    if (this.recent.length > WATCH_WINDOW) this.recent.shift();
    const mean = this.recent.reduce((a, b) => a + b, 0) / this.recent.length;
    if (this.recent.length === WATCH_WINDOW && mean > ABOVE_CHANCE_FACTOR * this.chanceLoss) {
      return `${DIVERGED_MESSAGE} (over the last ${WATCH_WINDOW} batches it averaged ${mean.toFixed(2)}, far above ${this.chanceLoss.toFixed(2)} for guessing)`;
    }
    return null;
  }

  reset(): void {
    this.first = undefined;
    this.recent = [];
  }
}

export interface HyperparameterProblem {
  name: string;
  message: string;
}

/** Checks the controls a lesson offers; returns every problem, so the page can show them all at once. */
export function checkHyperparameters(
  values: Record<string, number>,
  limits: Record<string, { min: number; max: number; integer?: boolean }>,
): HyperparameterProblem[] {
  const problems: HyperparameterProblem[] = [];
  for (const [name, { min, max, integer }] of Object.entries(limits)) {
    const v = values[name];
    if (v === undefined) continue;
    if (!Number.isFinite(v)) problems.push({ name, message: `${name} must be a number, got ${v}` });
    else if (v < min || v > max)
      problems.push({ name, message: `${name} must be between ${min} and ${max}, got ${v}` });
    else if (integer && !Number.isInteger(v))
      problems.push({ name, message: `${name} must be a whole number, got ${v}` });
  }
  return problems;
}
