import { IdMap } from '../../core/ids.js';

const DENSE_LIMIT = 1 << 25;

/**
 * Raw non-negative integer id → dense index in order of first `add`. Uses a flat Int32Array for ids
 * below 2^25 (RetailRocket ids are < 1.5 M) and a Map above, so millions of lookups stay cheap.
 */
export class RawIdIndex {
  private table = new Int32Array(1024).fill(-1);
  private readonly big = new Map<number, number>();
  private readonly raws: number[] = [];

  get size(): number {
    return this.raws.length;
  }

  /** Index of `raw`, adding it when new. */
  add(raw: number): number {
    if (raw < DENSE_LIMIT) {
      if (raw >= this.table.length) this.grow(raw);
      let i = this.table[raw];
      if (i < 0) {
        i = this.raws.length;
        this.table[raw] = i;
        this.raws.push(raw);
      }
      return i;
    }
    let i = this.big.get(raw);
    if (i === undefined) {
      i = this.raws.length;
      this.big.set(raw, i);
      this.raws.push(raw);
    }
    return i;
  }

  /** Index of `raw`, or -1. */
  get(raw: number): number {
    if (raw < DENSE_LIMIT) return raw < this.table.length ? this.table[raw] : -1;
    return this.big.get(raw) ?? -1;
  }

  /** The IdMap keyed by the decimal strings of the raw ids, same indices. */
  toIdMap(): IdMap {
    return IdMap.fromIds(this.raws.map(String));
  }

  private grow(raw: number): void {
    let n = this.table.length;
    while (n <= raw) n *= 2;
    const next = new Int32Array(Math.min(n, DENSE_LIMIT)).fill(-1);
    next.set(this.table);
    this.table = next;
  }
}
