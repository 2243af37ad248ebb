/**
 * GRU4Rec inference in plain TypeScript (also the reference the tfjs training graph is tested
 * against). Per layer l with width h (official layout, `gru4rec.py` `model`):
 *   vec = x·Wx + Bh                       (3h: candidate | reset | update)
 *   [r, z] = σ(vec[h:3h] + hPrev·Wrz)       (Wrz: h × 2h)
 *   ĥ = tanh((hPrev ∘ r)·Wh + vec[0:h])     (Wh: h × h)
 *   h = (1 − z) ∘ hPrev + z ∘ ĥ
 * Input of layer 0 is the item's row of Wy (constrained embedding); scores = y·Wyᵀ + By.
 * Cost per item O(Σ 3h(in + h)); scoring O(nItems · h).
 */

/** Trained weights, row-major. */
export interface GruWeights {
  readonly layers: readonly number[];
  /** Per layer: in × 3h. */
  readonly wx: readonly Float32Array[];
  /** Per layer: h × 2h. */
  readonly wrz: readonly Float32Array[];
  /** Per layer: h × h. */
  readonly wh: readonly Float32Array[];
  /** Per layer: 3h. */
  readonly bh: readonly Float32Array[];
  /** nItems × hLast. */
  readonly wy: Float32Array;
  /** nItems. */
  readonly by: Float32Array;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Scratch buffers for {@link gruStep}, sized for the widest layer. */
export class GruScratch {
  readonly vec: Float64Array;
  readonly rz: Float64Array;
  readonly rh: Float64Array;
  constructor(maxH: number) {
    this.vec = new Float64Array(3 * maxH);
    this.rz = new Float64Array(2 * maxH);
    this.rh = new Float64Array(maxH);
  }
}

/** One GRU step of layer l: updates `h` (length h) in place from input `x` (length in). */
export function gruStep(
  w: GruWeights,
  l: number,
  x: ArrayLike<number>,
  h: Float32Array,
  s: GruScratch,
): void {
  const H = w.layers[l];
  const inDim = x.length;
  const wx = w.wx[l];
  const wrz = w.wrz[l];
  const wh = w.wh[l];
  const bh = w.bh[l];
  const { vec, rz, rh } = s;
  for (let j = 0; j < 3 * H; j++) vec[j] = bh[j];
  for (let k = 0; k < inDim; k++) {
    const xk = x[k];
    if (xk === 0) continue;
    const o = k * 3 * H;
    for (let j = 0; j < 3 * H; j++) vec[j] += xk * wx[o + j];
  }
  for (let j = 0; j < 2 * H; j++) rz[j] = vec[H + j];
  for (let k = 0; k < H; k++) {
    const hk = h[k];
    if (hk === 0) continue;
    const o = k * 2 * H;
    for (let j = 0; j < 2 * H; j++) rz[j] += hk * wrz[o + j];
  }
  for (let j = 0; j < 2 * H; j++) rz[j] = sigmoid(rz[j]);
  for (let k = 0; k < H; k++) rh[k] = h[k] * rz[k];
  // vec[0:H) becomes the candidate pre-activation
  for (let k = 0; k < H; k++) {
    const v = rh[k];
    if (v === 0) continue;
    const o = k * H;
    for (let j = 0; j < H; j++) vec[j] += v * wh[o + j];
  }
  for (let j = 0; j < H; j++) {
    const z = rz[H + j];
    h[j] = (1 - z) * h[j] + z * Math.tanh(vec[j]);
  }
}

/**
 * Final hidden state of the last layer after reading `items[from..to)` from a zero state
 * (items outside the catalogue are skipped). Returns null when no item was read.
 */
export function sessionState(
  w: GruWeights,
  items: ArrayLike<number>,
  from: number,
  to: number,
): Float32Array | null {
  const nItems = w.by.length;
  const hs = w.layers.map((h) => new Float32Array(h));
  const d = w.layers[w.layers.length - 1];
  const s = new GruScratch(Math.max(...w.layers));
  let used = 0;
  for (let t = from; t < to; t++) {
    const it = items[t];
    if (!(it >= 0 && it < nItems)) continue;
    let x: ArrayLike<number> = w.wy.subarray(it * d, (it + 1) * d);
    for (let l = 0; l < w.layers.length; l++) {
      gruStep(w, l, x, hs[l], s);
      x = hs[l];
    }
    used++;
  }
  return used ? hs[hs.length - 1] : null;
}

/** scores[i] = y·Wy[i] + By[i] (the bias alone when y is null). */
export function scoreItems(w: GruWeights, y: Float32Array | null, out: Float32Array): void {
  const n = w.by.length;
  const d = w.layers[w.layers.length - 1];
  const wy = w.wy;
  for (let i = 0; i < n; i++) {
    let s = w.by[i];
    if (y) {
      const o = i * d;
      for (let k = 0; k < d; k++) s += y[k] * wy[o + k];
    }
    out[i] = s;
  }
}

/**
 * {@link scoreItems} for several states at once, item-major so that each row of Wy is read once
 * per batch instead of once per query (same arithmetic order, so identical to one at a time).
 */
export function scoreItemsBatch(
  w: GruWeights,
  ys: readonly (Float32Array | null)[],
  out: Float32Array,
): void {
  const n = w.by.length;
  const d = w.layers[w.layers.length - 1];
  const wy = w.wy;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    const b = w.by[i];
    for (let q = 0; q < ys.length; q++) {
      const y = ys[q];
      let s = b;
      if (y) for (let k = 0; k < d; k++) s += y[k] * wy[o + k];
      out[q * n + i] = s;
    }
  }
}
