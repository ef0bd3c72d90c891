/** Argument checks shared by every layer of the kit: each throws a RangeError a learner can read. */

/** A whole number from `min` to `max` (inclusive), e.g. "batch size must be a whole number ≥ 1, got 0.5". */
export function checkWhole(name: string, value: number, min: number, max = Infinity): void {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new RangeError(
      `${name} must be a whole number ${max === Infinity ? `≥ ${min}` : `from ${min} to ${max}`}, got ${value}`,
    );
  }
}
