/**
 * SASRec inference in plain TypeScript (also the reference the tfjs graph is tested against).
 * One sequence, left-aligned to positions maxLen − n … maxLen − 1 (the last item always sits at
 * position maxLen − 1, as with SASRec's left padding). Per block (Kang & McAuley's code):
 *   q = LN₁(x); x = q + softmax_causal(q·Wq (x·Wk)ᵀ / √d)·(x·Wv); f = LN₂(x);
 *   x = f + W₂ᵀrelu(W₁ᵀf + b₁) + b₂; final LN; scores = h_last · E[i] for every item i.
 * Input x = E[item]·√d + P[position]. Cost O(blocks · (n·d² + n²·d)) + nItems·d per query.
 */

/** Weights as plain row-major arrays. `emb` has nItems + 1 rows; row 0 is padding. */
export interface SasWeights {
  readonly d: number;
  readonly maxLen: number;
  readonly emb: Float32Array;
  readonly pos: Float32Array;
  readonly blocks: readonly BlockWeights[];
  readonly lnfG: Float32Array;
  readonly lnfB: Float32Array;
}

export interface BlockWeights {
  ln1G: Float32Array;
  ln1B: Float32Array;
  wq: Float32Array;
  bq: Float32Array;
  wk: Float32Array;
  bk: Float32Array;
  wv: Float32Array;
  bv: Float32Array;
  ln2G: Float32Array;
  ln2B: Float32Array;
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
}

export const LN_EPS = 1e-8;

function layerNorm(
  x: Float64Array,
  n: number,
  d: number,
  g: Float32Array,
  b: Float32Array,
  out: Float64Array,
): void {
  for (let t = 0; t < n; t++) {
    let m = 0;
    for (let k = 0; k < d; k++) m += x[t * d + k];
    m /= d;
    let v = 0;
    for (let k = 0; k < d; k++) v += (x[t * d + k] - m) ** 2;
    v /= d;
    const inv = 1 / Math.sqrt(v + LN_EPS);
    for (let k = 0; k < d; k++) out[t * d + k] = (x[t * d + k] - m) * inv * g[k] + b[k];
  }
}

/** out (n × d) = x (n × d) · w (d × d) + bias. */
function dense(
  x: Float64Array,
  n: number,
  d: number,
  w: Float32Array,
  bias: Float32Array,
  out: Float64Array,
): void {
  for (let t = 0; t < n; t++) {
    for (let j = 0; j < d; j++) out[t * d + j] = bias[j];
    for (let k = 0; k < d; k++) {
      const v = x[t * d + k];
      const o = k * d;
      for (let j = 0; j < d; j++) out[t * d + j] += v * w[o + j];
    }
  }
}

/** Final hidden state (length d) of the last position of `items` (item indices, oldest first). */
export function encodeLast(w: SasWeights, items: ArrayLike<number>): Float64Array {
  const d = w.d;
  const n = items.length;
  const x = new Float64Array(n * d);
  const q = new Float64Array(n * d);
  const Q = new Float64Array(n * d);
  const K = new Float64Array(n * d);
  const V = new Float64Array(n * d);
  const f = new Float64Array(n * d);
  const h = new Float64Array(n * d);
  const att = new Float64Array(n);
  const scale = Math.sqrt(d);
  for (let t = 0; t < n; t++) {
    const e = (items[t] + 1) * d;
    const p = (w.maxLen - n + t) * d;
    for (let k = 0; k < d; k++) x[t * d + k] = w.emb[e + k] * scale + w.pos[p + k];
  }
  for (const B of w.blocks) {
    layerNorm(x, n, d, B.ln1G, B.ln1B, q);
    dense(q, n, d, B.wq, B.bq, Q);
    dense(x, n, d, B.wk, B.bk, K);
    dense(x, n, d, B.wv, B.bv, V);
    for (let t = 0; t < n; t++) {
      let mx = -Infinity;
      for (let s = 0; s <= t; s++) {
        let a = 0;
        for (let k = 0; k < d; k++) a += Q[t * d + k] * K[s * d + k];
        att[s] = a / scale;
        if (att[s] > mx) mx = att[s];
      }
      let z = 0;
      for (let s = 0; s <= t; s++) {
        att[s] = Math.exp(att[s] - mx);
        z += att[s];
      }
      for (let k = 0; k < d; k++) {
        let v = 0;
        for (let s = 0; s <= t; s++) v += att[s] * V[s * d + k];
        x[t * d + k] = q[t * d + k] + v / z;
      }
    }
    layerNorm(x, n, d, B.ln2G, B.ln2B, f);
    dense(f, n, d, B.w1, B.b1, h);
    for (let i = 0; i < h.length; i++) if (h[i] < 0) h[i] = 0;
    dense(h, n, d, B.w2, B.b2, x);
    for (let i = 0; i < x.length; i++) x[i] += f[i];
  }
  const out = new Float64Array(n * d);
  layerNorm(x, n, d, w.lnfG, w.lnfB, out);
  return out.subarray((n - 1) * d, n * d);
}

/** scores[i] = h · E[i + 1] for every item (0 everywhere when h is null). */
export function scoreItems(w: SasWeights, h: Float64Array | null, out: Float32Array): void {
  const d = w.d;
  if (!h) {
    out.fill(0);
    return;
  }
  for (let i = 0; i < out.length; i++) {
    const o = (i + 1) * d;
    let s = 0;
    for (let k = 0; k < d; k++) s += h[k] * w.emb[o + k];
    out[i] = s;
  }
}

/** {@link scoreItems} for several states, item-major (each embedding row read once per batch). */
export function scoreItemsBatch(
  w: SasWeights,
  hs: readonly (Float64Array | null)[],
  out: Float32Array,
): void {
  const d = w.d;
  const n = w.emb.length / d - 1;
  for (let i = 0; i < n; i++) {
    const o = (i + 1) * d;
    for (let q = 0; q < hs.length; q++) {
      const h = hs[q];
      let s = 0;
      if (h) for (let k = 0; k < d; k++) s += h[k] * w.emb[o + k];
      out[q * n + i] = s;
    }
  }
}
