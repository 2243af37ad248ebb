/**
 * One NeuMF training run (an {@link EpochSession} for `trainModel`). Every epoch pairs each
 * positive (user, item) of the weighted interaction matrix with `negatives` items the user did not
 * interact with (uniform or ∝ popularity^α, redrawn per epoch, as He et al. 2017), shuffles, and
 * runs mini-batches of weighted binary cross-entropy
 *   L = Σ w·(softplus(z) − y·z) / Σ w   (= −w[y log σ(z) + (1−y) log(1−σ(z))]),
 * positives weighted by their event-weighted strength, negatives by 1.
 *
 * The graph runs on tfjs over the *gathered* embedding rows of the batch (no catalogue-sized
 * gradient): the gradient of each gathered row is scattered back into plain arrays with lazy Adam;
 * the small tower weights get dense Adam. Cost per step ≈ 6·B·(dg + Σ in_l·out_l) flops;
 * memory 3 × (nUsers + nItems)·(dg + dm) floats (parameters + Adam moments).
 */
import { RecError } from '../../../core/errors.js';
import type { Rng } from '../../../core/rng.js';
import { interactionMatrix, type Csr } from '../../common/csr.js';
import { AdamMoments, RowAdam, adamDense } from '../../neural/adam.js';
import {
  PopularitySampler,
  initTf,
  itemCounts,
  mm,
  normalInit,
  tf,
  uniformInit,
} from '../../neural/index.js';
import type { EpochSession, FitContext, TrainData } from '../../types.js';
import type { NcfConfig } from './config.js';
import { layerInputs, type NcfWeights } from './forward.js';

/** Initial NeuMF weights: embeddings N(0, initStd²), tower and fusion layers Glorot-uniform, biases 0. */
export function initialNcfWeights(cfg: NcfConfig, nUsers: number, nItems: number, rng: Rng): NcfWeights {
  const dg = cfg.factors;
  const dm = Math.max(1, Math.floor(cfg.mlpLayers[0] / 2));
  const layers = cfg.mlpLayers.slice();
  const ins = layerInputs({ dm, layers });
  const last = layers[layers.length - 1];
  return {
    nUsers,
    nItems,
    dg,
    dm,
    layers,
    pg: normalInit(rng, nUsers, dg, cfg.initStd),
    qg: normalInit(rng, nItems, dg, cfg.initStd),
    pm: normalInit(rng, nUsers, dm, cfg.initStd),
    qm: normalInit(rng, nItems, dm, cfg.initStd),
    W: layers.map((n, l) => uniformInit(rng, ins[l], n)),
    b: layers.map((n) => new Float32Array(n)),
    h: Float32Array.from([...uniformInit(rng, dg + last, 1), 0]),
  };
}

/** Deep copy of weights (snapshots, published weights). */
export function copyWeights(w: NcfWeights): NcfWeights {
  return {
    ...w,
    layers: w.layers.slice(),
    pg: w.pg.slice(),
    qg: w.qg.slice(),
    pm: w.pm.slice(),
    qm: w.qm.slice(),
    W: w.W.map((x) => x.slice()),
    b: w.b.map((x) => x.slice()),
    h: w.h.slice(),
  };
}

/** True when `item` is in row `u` of the CSR (indices sorted per row). */
function inRow(m: Csr, u: number, item: number): boolean {
  let lo = m.indptr[u];
  let hi = m.indptr[u + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = m.indices[mid];
    if (v === item) return true;
    if (v < item) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The epoch's samples: positives then their negatives, in a seeded random order. */
export interface NcfSamples {
  user: Int32Array;
  item: Int32Array;
  label: Float32Array;
  weight: Float32Array;
}

/** Draws one epoch of (positive + `negatives` sampled negatives) per interacting pair. */
export function drawSamples(byUser: Csr, negatives: number, draw: () => number, rng: Rng): NcfSamples {
  const nnz = byUser.indptr[byUser.nRows];
  const n = nnz * (1 + negatives);
  const s: NcfSamples = {
    user: new Int32Array(n),
    item: new Int32Array(n),
    label: new Float32Array(n),
    weight: new Float32Array(n),
  };
  let r = 0;
  for (let u = 0; u < byUser.nRows; u++) {
    const full = byUser.indptr[u + 1] - byUser.indptr[u] >= byUser.nCols;
    for (let p = byUser.indptr[u]; p < byUser.indptr[u + 1]; p++) {
      s.user[r] = u;
      s.item[r] = byUser.indices[p];
      s.label[r] = 1;
      s.weight[r++] = byUser.data[p];
      for (let k = 0; k < negatives; k++) {
        let j = draw();
        // Rejection of the user's own items (a few tries; a user who saw everything keeps the draw).
        for (let t = 0; t < 20 && !full && inRow(byUser, u, j); t++) j = draw();
        s.user[r] = u;
        s.item[r] = j;
        s.label[r] = 0;
        s.weight[r++] = 1;
      }
    }
  }
  const order = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const perm = (a: Int32Array | Float32Array): void => {
    const c = a.slice();
    for (let i = 0; i < n; i++) a[i] = c[order[i]];
  };
  perm(s.user);
  perm(s.item);
  perm(s.label);
  perm(s.weight);
  return s;
}

/** Mean batch loss of NeuMF on gathered rows (the training graph; exported for the agreement test). */
export function ncfLossGraph(
  layers: readonly number[],
  pg: tf.Tensor2D,
  qg: tf.Tensor2D,
  pm: tf.Tensor2D,
  qm: tf.Tensor2D,
  W: tf.Tensor2D[],
  b: tf.Tensor1D[],
  h: tf.Tensor2D,
  y: tf.Tensor1D,
  wt: tf.Tensor1D,
): { loss: tf.Scalar; logits: tf.Tensor1D } {
  let x: tf.Tensor2D = tf.concat([pm, qm], 1);
  for (let l = 0; l < layers.length; l++) x = tf.relu(tf.add(mm(x, W[l]), b[l])) as tf.Tensor2D;
  const fused = tf.concat([tf.mul(pg, qg), x], 1) as tf.Tensor2D;
  const last = h.shape[0] - 1;
  const logits = tf.add(
    tf.reshape(mm(fused, tf.slice(h, [0, 0], [last, 1]) as tf.Tensor2D), [-1]),
    tf.reshape(tf.slice(h, [last, 0], [1, 1]), []),
  ) as tf.Tensor1D;
  const bce = tf.sub(tf.softplus(logits), tf.mul(y, logits));
  const loss = tf.div(tf.sum(tf.mul(wt, bce)), tf.sum(wt)) as tf.Scalar;
  return { loss, logits };
}

export class NcfTraining implements EpochSession {
  private readonly byUser: Csr;
  private readonly w: NcfWeights;
  private readonly rows: { pg: RowAdam; qg: RowAdam; pm: RowAdam; qm: RowAdam };
  private readonly dense: AdamMoments[];
  private readonly draw: () => number;
  private t = 0;

  constructor(
    private readonly cfg: NcfConfig,
    data: TrainData,
    private readonly ctx: FitContext,
    private readonly publish: (w: NcfWeights) => void,
  ) {
    this.byUser = interactionMatrix(data, cfg).byRow;
    if (this.byUser.indptr[data.nUsers] === 0)
      throw new RecError('DATA_INVALID', 'NCF needs at least one weighted interaction in the training data');
    const rng = ctx.rng;
    this.w = initialNcfWeights(cfg, data.nUsers, data.nItems, rng);
    const { dg, dm } = this.w;
    this.rows = {
      pg: new RowAdam(data.nUsers, dg),
      qg: new RowAdam(data.nItems, dg),
      pm: new RowAdam(data.nUsers, dm),
      qm: new RowAdam(data.nItems, dm),
    };
    this.dense = [...this.w.W, ...this.w.b, this.w.h].map((a) => new AdamMoments(a.length));
    if (cfg.negativeSampling === 'popularity') {
      const sampler = new PopularitySampler(
        itemCounts(this.byUser.indices, data.nItems),
        cfg.popularityAlpha,
      );
      this.draw = () => sampler.sample(rng);
    } else this.draw = () => rng.int(data.nItems);
  }

  async runEpoch(): Promise<{ loss: number }> {
    await initTf(this.cfg.backend);
    const s = drawSamples(this.byUser, this.cfg.negatives, this.draw, this.ctx.rng);
    const n = s.user.length;
    const B = Math.min(
      n,
      Math.max(16, Math.min(this.cfg.batchSize, Math.floor(n / this.cfg.minStepsPerEpoch))),
    );
    let lossSum = 0;
    let wSum = 0;
    for (let start = 0, step = 0; start < n; start += B, step++) {
      const end = Math.min(n, start + B);
      const { loss, weight } = this.step(s, start, end);
      lossSum += loss * weight;
      wSum += weight;
      if (step % 100 === 99) {
        if (this.ctx.signal?.aborted) throw new RecError('CANCELLED', 'Training of "ncf" was cancelled');
        this.ctx.onProgress?.({ task: 'ncf epoch', done: end, total: n, unit: 'samples' });
      }
    }
    this.publish(copyWeights(this.w));
    return { loss: lossSum / wSum };
  }

  private gather(table: Float32Array, ids: Int32Array, start: number, end: number, dim: number): tf.Tensor2D {
    const out = new Float32Array((end - start) * dim);
    for (let r = start; r < end; r++)
      out.set(table.subarray(ids[r] * dim, (ids[r] + 1) * dim), (r - start) * dim);
    return tf.tensor2d(out, [end - start, dim]);
  }

  private step(s: NcfSamples, start: number, end: number): { loss: number; weight: number } {
    const w = this.w;
    const { dg, dm, layers } = w;
    const ins = layerInputs(w);
    const M = end - start;
    const inputs = [
      this.gather(w.pg, s.user, start, end, dg),
      this.gather(w.qg, s.item, start, end, dg),
      this.gather(w.pm, s.user, start, end, dm),
      this.gather(w.qm, s.item, start, end, dm),
      ...w.W.map((a, l) => tf.tensor2d(a, [ins[l], layers[l]])),
      ...w.b.map((a) => tf.tensor1d(a)),
      tf.tensor2d(w.h, [w.h.length, 1]),
    ];
    const y = tf.tensor1d(s.label.subarray(start, end));
    const wt = tf.tensor1d(s.weight.subarray(start, end));
    const L = layers.length;
    const out = tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => {
        const [pg, qg, pm, qm] = xs as tf.Tensor2D[];
        return ncfLossGraph(
          layers,
          pg,
          qg,
          pm,
          qm,
          xs.slice(4, 4 + L) as tf.Tensor2D[],
          xs.slice(4 + L, 4 + 2 * L) as tf.Tensor1D[],
          xs[4 + 2 * L] as tf.Tensor2D,
          y,
          wt,
        ).loss;
      })(inputs);
      return [value, ...grads];
    });
    const loss = out[0].dataSync()[0];
    const g = out.slice(1).map((t) => t.dataSync());
    tf.dispose([...out, ...inputs, y, wt]);
    this.t++;
    const hyper = { lr: this.cfg.learningRate };
    const { pg, qg, pm, qm } = this.rows;
    for (let r = 0; r < M; r++) {
      const u = s.user[start + r];
      const i = s.item[start + r];
      pg.add(u, g[0], r * dg);
      qg.add(i, g[1], r * dg);
      pm.add(u, g[2], r * dm);
      qm.add(i, g[3], r * dm);
    }
    pg.apply(w.pg, this.t, hyper, this.cfg.l2);
    qg.apply(w.qg, this.t, hyper, this.cfg.l2);
    pm.apply(w.pm, this.t, hyper, this.cfg.l2);
    qm.apply(w.qm, this.t, hyper, this.cfg.l2);
    const dense = [...w.W, ...w.b, w.h];
    dense.forEach((p, k) => adamDense(p, g[4 + k], this.dense[k], this.t, hyper));
    let weight = 0;
    for (let r = start; r < end; r++) weight += s.weight[r];
    return { loss, weight };
  }

  snapshot(): unknown {
    return copyWeights(this.w);
  }

  restore(snapshot: unknown): void {
    const src = snapshot as NcfWeights;
    const w = this.w;
    w.pg.set(src.pg);
    w.qg.set(src.qg);
    w.pm.set(src.pm);
    w.qm.set(src.qm);
    w.W.forEach((a, l) => a.set(src.W[l]));
    w.b.forEach((a, l) => a.set(src.b[l]));
    w.h.set(src.h);
    this.publish(copyWeights(w));
  }

  finish(): void {}
}
