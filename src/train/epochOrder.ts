/**
 * Which images each batch holds: a seeded shuffle of the training set for every epoch, walked
 * batch by batch. Every trainer in the kit draws its batches this way, so the same seed gives the
 * same batches in any of them.
 */
import { mulberry32, shuffle } from "../data/random";

export class EpochOrder {
  /** Epochs finished. */
  epoch = 0;
  /** Batches done in the running epoch. */
  batchInEpoch = 0;
  private order = new Int32Array(0);

  constructor(
    readonly count: number,
    readonly batchSize: number,
    readonly seed: number,
  ) {
    this.shuffle();
  }

  /** Batches in one pass over the set (the last, partial batch is dropped). */
  get batchesPerEpoch(): number {
    return Math.floor(this.count / this.batchSize);
  }

  /** Batches done since the start. */
  get stepsTaken(): number {
    return this.epoch * this.batchesPerEpoch + this.batchInEpoch;
  }

  /** The indices of the next batch (a view: copy it to keep it). */
  current(): Int32Array {
    return this.order.subarray(this.batchInEpoch * this.batchSize, (this.batchInEpoch + 1) * this.batchSize);
  }

  /** Counts the batch just trained on; true when that finished the epoch (then call nextEpoch). */
  countBatch(): boolean {
    this.batchInEpoch++;
    return this.batchInEpoch >= this.batchesPerEpoch;
  }

  /** Starts the next epoch with a new order. */
  nextEpoch(): void {
    this.epoch++;
    this.batchInEpoch = 0;
    this.shuffle();
  }

  /** Back to the first batch of the first epoch (the same order as at the start). */
  restart(): void {
    this.epoch = 0;
    this.batchInEpoch = 0;
    this.shuffle();
  }

  private shuffle(): void {
    this.order = Int32Array.from({ length: this.count }, (_, i) => i);
    shuffle(this.order, mulberry32(this.seed * 104729 + this.epoch));
  }
}
