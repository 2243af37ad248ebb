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

  /** Index of `raw`, adding it (as index `size`) when new. */
  add(raw: number): number {
    const i = this.get(raw);
    if (i >= 0) return i;
    this.put(raw, this.raws.length);
    this.raws.push(raw);
    return this.raws.length - 1;
  }

  /** Records `raw → index` without touching the insertion list (for `NumericIdMap`). */
  put(raw: number, index: number): void {
    if (raw < DENSE_LIMIT) {
      if (raw >= this.table.length) this.grow(raw);
      this.table[raw] = index;
    } else this.big.set(raw, index);
  }

  /** Index of `raw`, or -1. */
  get(raw: number): number {
    if (raw < DENSE_LIMIT) return raw < this.table.length ? this.table[raw] : -1;
    return this.big.get(raw) ?? -1;
  }

  /** An IdMap keyed by the decimal strings of the raw ids, same indices (takes over this index). */
  toIdMap(): IdMap {
    return new NumericIdMap(this, this.raws.slice());
  }

  private grow(raw: number): void {
    let n = this.table.length;
    while (n <= raw) n *= 2;
    const next = new Int32Array(Math.min(n, DENSE_LIMIT)).fill(-1);
    next.set(this.table);
    this.table = next;
  }
}

const CANONICAL_INT = /^(0|[1-9]\d{0,15})$/;

/**
 * An `IdMap` for ids that are (mostly) decimal integers, as in RetailRocket: lookups parse the id
 * and read a typed array instead of hashing strings, and the id strings are only built when
 * `ids()` is called. Building a string-keyed Map of 1.4 M visitor ids costs ~1 s; this costs
 * nothing. Non-canonical ids ("007", "abc") added later are kept in a Map. Behaves exactly like
 * `IdMap` (same indices, same errors).
 */
export class NumericIdMap extends IdMap {
  private readonly textual = new Map<string, number>();
  private cache?: string[];

  /** `list[i]` is the raw number (or the non-numeric string) of index `i`; `numeric` maps numbers back. */
  constructor(
    private readonly numeric: RawIdIndex,
    private readonly list: (number | string)[],
  ) {
    super();
  }

  override get size(): number {
    return this.list.length;
  }

  override add(id: string): number {
    const i = this.index(id);
    if (i >= 0) return i;
    const next = this.list.length;
    if (CANONICAL_INT.test(id) && Number(id) <= Number.MAX_SAFE_INTEGER) {
      this.numeric.put(Number(id), next);
      this.list.push(Number(id));
    } else {
      this.textual.set(id, next);
      this.list.push(id);
    }
    this.cache?.push(id);
    return next;
  }

  override index(id: string): number {
    if (CANONICAL_INT.test(id) && Number(id) <= Number.MAX_SAFE_INTEGER) return this.numeric.get(Number(id));
    return this.textual.get(id) ?? -1;
  }

  override has(id: string): boolean {
    return this.index(id) >= 0;
  }

  override id(i: number): string {
    const v = this.list[i];
    if (v === undefined) throw new RangeError(`index ${i} is outside the id map (size ${this.size})`);
    return typeof v === 'number' ? String(v) : v;
  }

  override ids(): readonly string[] {
    this.cache ??= this.list.map(String);
    return this.cache;
  }
}
