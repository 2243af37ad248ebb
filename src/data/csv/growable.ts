/** A Float64Array that doubles when full (columns of unknown length while streaming a file). */
export class GrowableF64 {
  data: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Float64Array(Math.max(16, capacity));
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  /** A trimmed copy. */
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/** An Int32Array that doubles when full. */
export class GrowableI32 {
  data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(16, capacity));
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}
