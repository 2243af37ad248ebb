/**
 * NeuMF forward pass in plain TypeScript (inference needs no tfjs and no training state):
 *
 *   gmf = p_u ⊙ q_i                                  (dg)
 *   x₀ = [m_u ; n_i],  x_{l+1} = relu(x_l W_l + b_l)  (MLP tower, widths `layers`)
 *   logit(u, i) = [gmf ; x_L] · h + h₀                 score = logit (σ is monotone)
 *
 * Scoring all items for one user reuses n_i · W₀[dm:, :] for every item (computed once per
 * weights, nItems × layers[0] floats): cost O(nItems · (dg + Σ_{l≥1} layers[l−1]·layers[l]))
 * per user. {@link pairLogit} is the readable reference the fast path is tested against; it also
 * returns the gradient of the logit with respect to the user's two vectors (used by fold-in).
 */

/** Trained NeuMF parameters, row-major. */
export interface NcfWeights {
  readonly nUsers: number;
  readonly nItems: number;
  /** GMF width. */
  readonly dg: number;
  /** MLP embedding width (= layers[0] / 2). */
  readonly dm: number;
  readonly layers: readonly number[];
  /** GMF user/item embeddings (nUsers × dg, nItems × dg). */
  readonly pg: Float32Array;
  readonly qg: Float32Array;
  /** MLP user/item embeddings (nUsers × dm, nItems × dm). */
  readonly pm: Float32Array;
  readonly qm: Float32Array;
  /** MLP layer l: W[l] in_l × out_l, b[l] out_l (in_0 = 2·dm). */
  readonly W: readonly Float32Array[];
  readonly b: readonly Float32Array[];
  /** Fusion layer: dg + layers[last] weights then one bias (length dg + last + 1). */
  readonly h: Float32Array;
}

/** Layer input widths: in_0 = 2·dm, in_l = layers[l−1]. */
export function layerInputs(w: Pick<NcfWeights, 'dm' | 'layers'>): number[] {
  return w.layers.map((_, l) => (l === 0 ? 2 * w.dm : w.layers[l - 1]));
}

/**
 * Reference logit of one (user vectors, item) pair. When `gradPg`/`gradPm` are given, adds
 * ∂logit/∂p_u and ∂logit/∂m_u into them (backprop through the ReLU tower).
 */
export function pairLogit(
  w: NcfWeights,
  pg: ArrayLike<number>,
  pm: ArrayLike<number>,
  item: number,
  gradPg?: Float32Array,
  gradPm?: Float32Array,
): number {
  const { dg, dm, layers } = w;
  const last = layers[layers.length - 1];
  const ins = layerInputs(w);
  // forward, keeping every layer's input
  const acts: Float64Array[] = [];
  let x = new Float64Array(2 * dm);
  for (let k = 0; k < dm; k++) {
    x[k] = pm[k];
    x[dm + k] = w.qm[item * dm + k];
  }
  for (let l = 0; l < layers.length; l++) {
    acts.push(x);
    const y = new Float64Array(layers[l]);
    for (let o = 0; o < layers[l]; o++) {
      let s = w.b[l][o];
      for (let j = 0; j < ins[l]; j++) s += x[j] * w.W[l][j * layers[l] + o];
      y[o] = s > 0 ? s : 0;
    }
    x = y;
  }
  let logit = w.h[dg + last];
  for (let k = 0; k < dg; k++) logit += pg[k] * w.qg[item * dg + k] * w.h[k];
  for (let k = 0; k < last; k++) logit += x[k] * w.h[dg + k];
  if (gradPg) for (let k = 0; k < dg; k++) gradPg[k] += w.qg[item * dg + k] * w.h[k];
  if (gradPm) {
    // δ = ∂logit/∂(output of layer l), masked by relu' → ∂logit/∂(input of layer l)
    let delta = Float64Array.from({ length: last }, (_, k) => (x[k] > 0 ? w.h[dg + k] : 0));
    for (let l = layers.length - 1; l >= 0; l--) {
      const dIn = new Float64Array(ins[l]);
      for (let j = 0; j < ins[l]; j++) {
        let s = 0;
        for (let o = 0; o < layers[l]; o++) s += w.W[l][j * layers[l] + o] * delta[o];
        dIn[j] = s;
      }
      if (l === 0) for (let k = 0; k < dm; k++) gradPm[k] += dIn[k];
      else delta = dIn.map((g, j) => (acts[l][j] > 0 ? g : 0));
    }
  }
  return logit;
}

/** Per-weights scoring cache: n_i · W₀[dm:, :] for every item, and scratch rows. */
export class NcfScorer {
  private readonly itemFirst: Float32Array;
  private readonly bufA: Float32Array;
  private readonly bufB: Float32Array;
  private readonly userFirst: Float32Array;

  constructor(readonly w: NcfWeights) {
    const { dm, layers, nItems } = w;
    const h0 = layers[0];
    const W0 = w.W[0];
    this.itemFirst = new Float32Array(nItems * h0);
    for (let i = 0; i < nItems; i++) {
      const o = i * h0;
      for (let k = 0; k < dm; k++) {
        const v = w.qm[i * dm + k];
        if (v === 0) continue;
        const r = (dm + k) * h0;
        for (let c = 0; c < h0; c++) this.itemFirst[o + c] += v * W0[r + c];
      }
    }
    const wmax = Math.max(...layers);
    this.bufA = new Float32Array(wmax);
    this.bufB = new Float32Array(wmax);
    this.userFirst = new Float32Array(h0);
  }

  /** Logits of every item for the user vectors (pg, pm) into `out` (length nItems). */
  scoreAll(pg: ArrayLike<number>, pm: ArrayLike<number>, out: Float32Array): void {
    const { dg, dm, layers, nItems, W, b, h, qg } = this.w;
    const h0 = layers[0];
    const nl = layers.length;
    const last = layers[nl - 1];
    const uf = this.userFirst;
    for (let c = 0; c < h0; c++) {
      let s = b[0][c];
      for (let k = 0; k < dm; k++) s += pm[k] * W[0][k * h0 + c];
      uf[c] = s;
    }
    // GMF part folded into one vector: Σ_k q_ik (p_k h_k)
    const gu = new Float32Array(dg);
    for (let k = 0; k < dg; k++) gu[k] = pg[k] * h[k];
    const bias = h[dg + last];
    for (let i = 0; i < nItems; i++) {
      let x = this.bufA;
      let y = this.bufB;
      const o = i * h0;
      for (let c = 0; c < h0; c++) {
        const s = uf[c] + this.itemFirst[o + c];
        x[c] = s > 0 ? s : 0;
      }
      for (let l = 1; l < nl; l++) {
        const n = layers[l];
        const m = layers[l - 1];
        const Wl = W[l];
        const bl = b[l];
        for (let c = 0; c < n; c++) y[c] = bl[c];
        for (let j = 0; j < m; j++) {
          const v = x[j];
          if (v === 0) continue;
          const r = j * n;
          for (let c = 0; c < n; c++) y[c] += v * Wl[r + c];
        }
        for (let c = 0; c < n; c++) if (y[c] < 0) y[c] = 0;
        const t = x;
        x = y;
        y = t;
      }
      let s = bias;
      for (let k = 0; k < last; k++) s += x[k] * h[dg + k];
      const qo = i * dg;
      for (let k = 0; k < dg; k++) s += gu[k] * qg[qo + k];
      out[i] = s;
    }
  }
}
