/**
 * One GRU4Rec training run (an {@link EpochSession} for `trainModel`): session-parallel
 * mini-batches in time order of session start (official `time_sort`), the graph of `graph.ts` on
 * tfjs, Adagrad + momentum (dense on the GRU weights in tfjs, sparse on the sampled rows of Wy/By
 * in plain arrays, as the official implementation updates only the rows a batch touches).
 * Per step cost ≈ 2·M·Ny·d (scores) + 6·M·Σh(in+h) flops forward, ×3 with the backward pass,
 * Ny = M + nSample; memory 3 · nItems · d floats for Wy and its optimiser state.
 */
import { RecError } from '../../../core/errors.js';
import type { Rng } from '../../../core/rng.js';
import {
  PopularitySampler,
  SparseRowUpdater,
  initTf,
  itemCounts,
  tf,
  uniformInit,
} from '../../neural/index.js';
import type { EpochSession, FitContext, TrainData } from '../../types.js';
import type { Gru4RecConfig } from './config.js';
import type { GruWeights } from './forward.js';
import { batchLoss, type LayerVars } from './graph.js';
import { sessionParallelSteps, type ParallelStep } from './session-parallel.js';

/** Item lists of the training sessions ordered by start time (sessions of < 2 items dropped). */
export function trainingSessions(data: TrainData): Int32Array[] {
  const { offsets, rows } = data.sessions;
  const out: { t: number; items: Int32Array }[] = [];
  for (let s = 0; s + 1 < offsets.length; s++) {
    const n = offsets[s + 1] - offsets[s];
    if (n < 2) continue;
    const items = new Int32Array(n);
    for (let k = 0; k < n; k++) items[k] = data.events.item[rows[offsets[s] + k]];
    out.push({ t: data.events.ts[rows[offsets[s]]], items });
  }
  out.sort((a, b) => a.t - b.t);
  return out.map((o) => o.items);
}

/** Stacks `parts` (each rows × cols) side by side into rows × (Σcols), row-major. */
function hstack(rows: number, parts: Float32Array[], cols: number): Float32Array {
  const out = new Float32Array(rows * cols * parts.length);
  for (let r = 0; r < rows; r++)
    for (let p = 0; p < parts.length; p++)
      out.set(parts[p].subarray(r * cols, (r + 1) * cols), r * cols * parts.length + p * cols);
  return out;
}

/** Official initialisation: every block uniform ±√(6/(fan_in+fan_out)) (or ±sigma), biases 0. */
export function initialWeights(cfg: Gru4RecConfig, nItems: number, rng: Rng): GruWeights {
  const sig = cfg.sigma || undefined;
  const d = cfg.layers[cfg.layers.length - 1];
  const wx: Float32Array[] = [];
  const wrz: Float32Array[] = [];
  const wh: Float32Array[] = [];
  const bh: Float32Array[] = [];
  cfg.layers.forEach((h, l) => {
    const inDim = l === 0 ? d : cfg.layers[l - 1];
    wx.push(
      hstack(
        inDim,
        [0, 1, 2].map(() => uniformInit(rng, inDim, h, sig)),
        h,
      ),
    );
    wh.push(uniformInit(rng, h, h, sig));
    wrz.push(
      hstack(
        h,
        [0, 1].map(() => uniformInit(rng, h, h, sig)),
        h,
      ),
    );
    bh.push(new Float32Array(3 * h));
  });
  return {
    layers: cfg.layers.slice(),
    wx,
    wrz,
    wh,
    bh,
    wy: uniformInit(rng, nItems, d, sig),
    by: new Float32Array(nItems),
  };
}

interface DenseState {
  acc: tf.Tensor;
  vel: tf.Tensor;
}

export class Gru4RecTraining implements EpochSession {
  private readonly sessions: Int32Array[];
  private readonly sampler: PopularitySampler;
  private readonly rng: Rng;
  private readonly d: number;
  private vars:
    (LayerVars & { wx: tf.Variable; wrz: tf.Variable; wh: tf.Variable; bh: tf.Variable })[] | undefined;
  private dense: DenseState[] = [];
  private readonly wy: Float32Array;
  private readonly by: Float32Array;
  private readonly accWy: Float32Array;
  private readonly velWy: Float32Array;
  private readonly accBy: Float32Array;
  private readonly velBy: Float32Array;
  private readonly rowsWy: SparseRowUpdater;
  private readonly rowsBy: SparseRowUpdater;
  private readonly init: GruWeights;
  /** Mini-batch steps of the last epoch (for FLOP estimates in benchmarks). */
  stepsLastEpoch = 0;
  /** Σ M·Ny over the last epoch's steps (scored pairs). */
  pairsLastEpoch = 0;
  /** Σ M over the last epoch's steps (GRU rows). */
  rowsLastEpoch = 0;

  constructor(
    private readonly cfg: Gru4RecConfig,
    private readonly data: TrainData,
    private readonly ctx: FitContext,
    private readonly publish: (w: GruWeights) => void,
  ) {
    this.sessions = trainingSessions(data);
    if (this.sessions.length === 0)
      throw new RecError(
        'DATA_INVALID',
        'GRU4Rec needs training sessions with at least 2 items; none were found',
      );
    const all = this.sessions.reduce((a, s) => a + s.length, 0);
    const flat = new Int32Array(all);
    let k = 0;
    for (const s of this.sessions) {
      flat.set(s, k);
      k += s.length;
    }
    this.sampler = new PopularitySampler(itemCounts(flat, data.nItems), cfg.sampleAlpha);
    this.rng = ctx.rng;
    this.d = cfg.layers[cfg.layers.length - 1];
    this.init = initialWeights(cfg, data.nItems, this.rng);
    this.wy = this.init.wy;
    this.by = this.init.by;
    this.accWy = new Float32Array(this.wy.length);
    this.velWy = new Float32Array(this.wy.length);
    this.accBy = new Float32Array(this.by.length);
    this.velBy = new Float32Array(this.by.length);
    this.rowsWy = new SparseRowUpdater(data.nItems, this.d, 4096);
    this.rowsBy = new SparseRowUpdater(data.nItems, 1, 4096);
  }

  private async ensureVars(): Promise<NonNullable<Gru4RecTraining['vars']>> {
    if (this.vars) return this.vars;
    await initTf(this.cfg.backend);
    const w = this.init;
    this.vars = this.cfg.layers.map((h, l) => {
      const inDim = l === 0 ? this.d : this.cfg.layers[l - 1];
      return {
        wx: tf.variable(tf.tensor2d(w.wx[l], [inDim, 3 * h])),
        wrz: tf.variable(tf.tensor2d(w.wrz[l], [h, 2 * h])),
        wh: tf.variable(tf.tensor2d(w.wh[l], [h, h])),
        bh: tf.variable(tf.tensor1d(w.bh[l])),
      };
    });
    this.dense = this.vars
      .flatMap((v) => [v.wx, v.wrz, v.wh, v.bh])
      .map((v) => ({ acc: tf.zerosLike(v), vel: tf.zerosLike(v) }));
    return this.vars;
  }

  async runEpoch(): Promise<{ loss: number }> {
    const vars = await this.ensureVars();
    const batch = Math.min(this.cfg.batchSize, this.sessions.length);
    let hidden: tf.Tensor2D[] = this.cfg.layers.map((h) => tf.zeros([batch, h]) as tf.Tensor2D);
    let lossSum = 0;
    let rows = 0;
    let steps = 0;
    this.pairsLastEpoch = 0;
    const total = this.sessions.reduce((a, s) => a + s.length - 1, 0);
    // More draws than catalogue items only add duplicates: cap (changes nothing at 37 K items).
    const samples = new Int32Array(Math.min(this.cfg.nSample, this.data.nItems));
    try {
      for (const st of sessionParallelSteps(this.sessions, batch)) {
        if (st.keep) {
          const keep = tf.tensor1d(st.keep, 'int32');
          const next = hidden.map((h) => tf.gather(h, keep) as tf.Tensor2D);
          tf.dispose([...hidden, keep]);
          hidden = next;
        }
        const { loss, next } = this.step(vars, st, hidden, this.sampler.sampleInto(this.rng, samples));
        hidden = next;
        lossSum += loss * st.input.length;
        rows += st.input.length;
        if (++steps % 200 === 0) {
          if (this.ctx.signal?.aborted)
            throw new RecError('CANCELLED', 'Training of "gru4rec" was cancelled');
          this.ctx.onProgress?.({ task: 'gru4rec epoch', done: rows, total, unit: 'events' });
        }
      }
    } finally {
      tf.dispose(hidden);
    }
    this.stepsLastEpoch = steps;
    this.rowsLastEpoch = rows;
    this.publish(this.weights());
    // Cost is scaled by M/batch (official), so the mean per event is Σ cost / steps · batch / M̄.
    return {
      loss: (lossSum / Math.max(1, rows)) * (this.cfg.batchSize / Math.max(1, rows / Math.max(1, steps))),
    };
  }

  private step(
    vars: NonNullable<Gru4RecTraining['vars']>,
    st: ParallelStep,
    hidden: tf.Tensor2D[],
    samples: Int32Array,
  ): { loss: number; next: tf.Tensor2D[] } {
    const d = this.d;
    const M = st.input.length;
    const Ny = M + samples.length;
    const Y = new Int32Array(Ny);
    Y.set(st.target);
    Y.set(samples, M);
    this.pairsLastEpoch += M * Ny;
    const exA = new Float32Array(M * d);
    for (let r = 0; r < M; r++) exA.set(this.wy.subarray(st.input[r] * d, (st.input[r] + 1) * d), r * d);
    const eyA = new Float32Array(Ny * d);
    const eyTA = new Float32Array(d * Ny);
    const byA = new Float32Array(Ny);
    for (let j = 0; j < Ny; j++) {
      const o = Y[j] * d;
      eyA.set(this.wy.subarray(o, o + d), j * d);
      for (let k = 0; k < d; k++) eyTA[k * Ny + j] = this.wy[o + k];
      byA[j] = this.by[Y[j]];
    }
    const seeds = [0, ...this.cfg.layers].map(() => this.rng.nextUint32());
    const ex = tf.tensor2d(exA, [M, d]);
    const eyT = tf.tensor2d(eyTA, [d, Ny]);
    const ey = tf.tensor2d(eyA, [Ny, d]);
    const by = tf.tensor1d(byA);
    const newHidden: tf.Tensor2D[] = [];
    const flatVars = vars.flatMap((v) => [v.wx, v.wrz, v.wh, v.bh]);
    const inp = { ex, eyT, ey, by, hidden, seeds };
    const nL = vars.length;
    const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => {
      const layers: LayerVars[] = vars.map((_, l) => ({
        wx: xs[3 + 4 * l],
        wrz: xs[4 + 4 * l],
        wh: xs[5 + 4 * l],
        bh: xs[6 + 4 * l],
      }));
      return batchLoss(
        this.cfg,
        layers,
        inp,
        xs[0] as tf.Tensor2D,
        xs[1] as tf.Tensor2D,
        xs[2] as tf.Tensor1D,
        true,
        newHidden,
      );
    })([ex, eyT, by, ...flatVars]);
    const loss = value.dataSync()[0];
    tf.dispose(value);
    const [gEx, gEyT, gBy] = grads;
    const gexA = gEx.dataSync();
    const geyTA = gEyT.dataSync();
    const gbyA = gBy.dataSync();
    this.denseUpdate(flatVars, grads.slice(3, 3 + 4 * nL));
    tf.dispose([...grads]);
    for (let r = 0; r < M; r++) this.rowsWy.add(st.input[r], gexA, r * d, 1);
    for (let j = 0; j < Ny; j++) {
      this.rowsWy.add(Y[j], geyTA, j, Ny);
      this.rowsBy.add(Y[j], gbyA, j, 1);
    }
    this.rowsWy.apply(this.wy, this.accWy, this.velWy, this.cfg.learningRate, this.cfg.momentum);
    this.rowsBy.apply(this.by, this.accBy, this.velBy, this.cfg.learningRate, this.cfg.momentum);
    tf.dispose([ex, eyT, ey, by, ...hidden]);
    const keepMask = tf.tensor2d(
      Float32Array.from(st.reset, (x) => 1 - x),
      [M, 1],
    );
    const next = newHidden.map((h) => tf.mul(h, keepMask) as tf.Tensor2D);
    tf.dispose([keepMask, ...newHidden]);
    return { loss, next };
  }

  /** Adagrad + momentum on the dense GRU weights: acc += g², v = μv − η g/√(acc+ε), p += v. */
  private denseUpdate(params: tf.Variable[], grads: tf.Tensor[]): void {
    const { learningRate: lr, momentum: mu } = this.cfg;
    params.forEach((p, i) => {
      const st = this.dense[i];
      const g = grads[i];
      const acc = tf.tidy(() => tf.add(st.acc, tf.square(g)));
      const vel = tf.tidy(() => {
        const u = tf.div(g, tf.sqrt(tf.add(acc, 1e-6)));
        return mu > 0 ? tf.sub(tf.mul(mu, st.vel), tf.mul(lr, u)) : tf.mul(-lr, u);
      });
      tf.tidy(() => {
        p.assign(tf.add(p, vel));
      });
      tf.dispose([st.acc, st.vel]);
      st.acc = acc;
      st.vel = vel;
    });
  }

  /** Current weights as plain arrays (copies). */
  weights(): GruWeights {
    const vars = this.vars;
    if (!vars) return this.init;
    return {
      layers: this.cfg.layers.slice(),
      wx: vars.map((v) => v.wx.dataSync() as Float32Array),
      wrz: vars.map((v) => v.wrz.dataSync() as Float32Array),
      wh: vars.map((v) => v.wh.dataSync() as Float32Array),
      bh: vars.map((v) => v.bh.dataSync() as Float32Array),
      wy: this.wy.slice(),
      by: this.by.slice(),
    };
  }

  snapshot(): unknown {
    return this.weights();
  }

  restore(snapshot: unknown): void {
    const w = snapshot as GruWeights;
    this.wy.set(w.wy);
    this.by.set(w.by);
    this.vars?.forEach((v, l) =>
      tf.tidy(() => {
        v.wx.assign(tf.tensor(w.wx[l], v.wx.shape));
        v.wrz.assign(tf.tensor(w.wrz[l], v.wrz.shape));
        v.wh.assign(tf.tensor(w.wh[l], v.wh.shape));
        v.bh.assign(tf.tensor(w.bh[l], v.bh.shape));
      }),
    );
    this.publish(w);
  }

  finish(): void {
    if (this.vars) tf.dispose(this.vars.flatMap((v) => [v.wx, v.wrz, v.wh, v.bh]));
    for (const s of this.dense) tf.dispose([s.acc, s.vel]);
    this.vars = undefined;
    this.dense = [];
  }
}
