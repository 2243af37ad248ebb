/**
 * One Two-Tower training run (an {@link EpochSession}): examples are (history before an event,
 * that event's item) over every user's time-ordered training events — including the first event
 * of a user (empty history, stage `cold`) so that cold queries learn too, and a `historyDropout`
 * share of all examples with the history dropped (the cold query then learns the marginal). Mini-batches use the
 * other targets of the batch as negatives (in-batch softmax) with the logQ correction of Yi et al.
 * (2019): logit_ij = q_i·v_j/τ − log Q(j), Q(j) = count(j)/N the probability that item j is a
 * batch target (exact training frequencies instead of the paper's streaming estimate); duplicate
 * targets in a batch are masked out of each other's negatives. Loss = Σ w_i·CE_i / Σ w_i with
 * w_i the target's event weight.
 *
 * Graph on tfjs over gathered rows; lazy Adam scatters the row gradients into plain arrays (no
 * catalogue-sized gradient, so 235 K items cost the same per step as 2 K).
 * Cost per step ≈ 3·(2·B·L·d + 2·B²·d) flops; memory 3 × (2·nItems + nCats + 4)·d floats.
 */
import { RecError } from '../../../core/errors.js';
import { FunnelStageCode } from '../../../data/processing/funnel.js';
import type { Rng } from '../../../core/rng.js';
import { weightTable } from '../../common/event-weights.js';
import { RowAdam } from '../../neural/adam.js';
import { initTf, mm, normalInit, tf } from '../../neural/index.js';
import type { EpochSession, FitContext, TrainData } from '../../types.js';
import type { TwoTowerConfig } from './config.js';
import { N_STAGES, historySlots, stageOf } from './features.js';
import { categoryIndex } from './tower.js';

/** Training parameters (plain arrays, row-major × dim). */
export interface TwoTowerParams {
  readonly dim: number;
  readonly nItems: number;
  /** Item id embeddings (item tower). */
  readonly E: Float32Array;
  /** Category embeddings, nCatRows × dim (last row = unknown category). */
  readonly C: Float32Array;
  readonly itemCat: Int32Array;
  /** History item embeddings (query tower). */
  readonly H: Float32Array;
  /** Funnel stage embeddings, 4 × dim. */
  readonly S: Float32Array;
}

export function copyParams(p: TwoTowerParams): TwoTowerParams {
  return { ...p, E: p.E.slice(), C: p.C.slice(), H: p.H.slice(), S: p.S.slice() };
}

/** Users' time-ordered training rows: user u owns rows[offsets[u] .. offsets[u+1]). */
export function userTimelines(data: TrainData): { offsets: Int32Array; rows: Int32Array } {
  const ev = data.events;
  const offsets = new Int32Array(data.nUsers + 1);
  for (let r = 0; r < ev.length; r++) offsets[ev.user[r] + 1]++;
  for (let u = 0; u < data.nUsers; u++) offsets[u + 1] += offsets[u];
  const fill = offsets.slice(0, data.nUsers);
  const rows = new Int32Array(ev.length);
  for (let r = 0; r < ev.length; r++) rows[fill[ev.user[r]]++] = r; // events are time-sorted
  return { offsets, rows };
}

/** Loss of one batch (exported for tests): mean weighted in-batch softmax cross-entropy. */
export function towerLossGraph(
  hRows: tf.Tensor2D,
  a: tf.Tensor3D,
  sRows: tf.Tensor2D,
  eRows: tf.Tensor2D,
  cRows: tf.Tensor2D,
  logQ: tf.Tensor1D,
  mask: tf.Tensor2D,
  wt: tf.Tensor1D,
  temperature: number,
): tf.Scalar {
  const B = a.shape[0];
  const L = a.shape[1];
  const d = hRows.shape[1];
  const pooled = tf.sum(tf.mul(tf.reshape(hRows, [B, L, d]), a), 1);
  const q = tf.add(pooled, sRows);
  const qn = tf.div(q, tf.sqrt(tf.add(tf.sum(tf.square(q), 1, true), 1e-12)));
  const v = tf.add(eRows, cRows);
  const vn = tf.div(v, tf.sqrt(tf.add(tf.sum(tf.square(v), 1, true), 1e-12)));
  const logits = tf.add(
    tf.sub(
      tf.mul(mm(qn as tf.Tensor2D, tf.transpose(vn) as tf.Tensor2D), 1 / temperature),
      tf.reshape(logQ, [1, B]),
    ),
    mask,
  );
  const diag = tf.sum(tf.mul(logits, tf.eye(B)), 1);
  const ce = tf.sub(tf.logSumExp(logits, 1), diag);
  return tf.div(tf.sum(tf.mul(wt, ce)), tf.sum(wt)) as tf.Scalar;
}

export class TwoTowerTraining implements EpochSession {
  private readonly p: TwoTowerParams;
  private readonly rows: { E: RowAdam; C: RowAdam; H: RowAdam; S: RowAdam };
  private readonly tl: { offsets: Int32Array; rows: Int32Array };
  /** Example = timeline position (index into tl.rows) of the target event. */
  private readonly examples: Int32Array;
  private readonly exUser: Int32Array;
  private readonly logQ: Float32Array;
  private readonly ew: Float64Array;
  private readonly rng: Rng;
  private t = 0;

  constructor(
    private readonly cfg: TwoTowerConfig,
    private readonly data: TrainData,
    private readonly ctx: FitContext,
    private readonly publish: (p: TwoTowerParams) => void,
  ) {
    this.rng = ctx.rng;
    this.ew = weightTable(cfg.eventWeights);
    this.tl = userTimelines(data);
    const ex: number[] = [];
    const exU: number[] = [];
    const counts = new Float64Array(data.nItems);
    for (let u = 0; u < data.nUsers; u++) {
      for (let p = this.tl.offsets[u]; p < this.tl.offsets[u + 1]; p++) {
        const r = this.tl.rows[p];
        if (!(this.ew[data.events.event[r]] > 0)) continue;
        ex.push(p);
        exU.push(u);
        counts[data.events.item[r]]++;
      }
    }
    if (ex.length < 2)
      throw new RecError('DATA_INVALID', 'Two-Tower needs at least two weighted training events');
    this.examples = Int32Array.from(ex);
    this.exUser = Int32Array.from(exU);
    this.logQ = Float32Array.from(counts, (c) => (c > 0 ? Math.log(c / ex.length) : 0));
    const d = cfg.dim;
    const { itemCat, nRows } = categoryIndex(data.itemCategory);
    this.p = {
      dim: d,
      nItems: data.nItems,
      E: normalInit(this.rng, data.nItems, d, cfg.initStd),
      C: cfg.categoryFeature ? normalInit(this.rng, nRows, d, cfg.initStd) : new Float32Array(nRows * d),
      itemCat,
      H: normalInit(this.rng, data.nItems, d, cfg.initStd),
      S: cfg.stageFeature ? normalInit(this.rng, N_STAGES, d, cfg.initStd) : new Float32Array(N_STAGES * d),
    };
    this.rows = {
      E: new RowAdam(data.nItems, d),
      C: new RowAdam(nRows, d),
      H: new RowAdam(data.nItems, d),
      S: new RowAdam(N_STAGES, d),
    };
  }

  async runEpoch(): Promise<{ loss: number }> {
    await initTf(this.cfg.backend);
    const order = this.rng.shuffle(Int32Array.from({ length: this.examples.length }, (_, i) => i));
    const n = Math.min(order.length, this.cfg.maxExamplesPerEpoch ?? order.length);
    const B = Math.min(
      n,
      Math.max(8, Math.min(this.cfg.batchSize, Math.floor(n / this.cfg.minStepsPerEpoch))),
    );
    let lossSum = 0;
    let wSum = 0;
    for (let start = 0, step = 0; start + 1 < n; start += B, step++) {
      const batch = order.subarray(start, Math.min(n, start + B));
      if (batch.length < 2) break; // a softmax over one item teaches nothing
      const r = this.step(batch);
      lossSum += r.loss * r.weight;
      wSum += r.weight;
      if (step % 50 === 49) {
        if (this.ctx.signal?.aborted)
          throw new RecError('CANCELLED', 'Training of "two-tower" was cancelled');
        this.ctx.onProgress?.({
          task: 'two-tower epoch',
          done: start + batch.length,
          total: n,
          unit: 'examples',
        });
      }
    }
    this.publish(copyParams(this.p));
    return { loss: lossSum / wSum };
  }

  private step(batch: Int32Array): { loss: number; weight: number } {
    const { dim: d, E, C, H, S, itemCat } = this.p;
    const ev = this.data.events;
    const B = batch.length;
    const Lmax = this.cfg.historyLength;
    const ids = new Int32Array(B * Lmax).fill(-1);
    const wts = new Float32Array(B * Lmax);
    const stage = new Int32Array(B);
    const target = new Int32Array(B);
    const wt = new Float32Array(B);
    let L = 1;
    for (let b = 0; b < B; b++) {
      const p = this.examples[batch[b]];
      const u = this.exUser[batch[b]];
      const s0 = this.tl.offsets[u];
      const r = this.tl.rows[p];
      const drop = this.cfg.historyDropout > 0 && this.rng.next() < this.cfg.historyDropout;
      const cnt = drop
        ? 0
        : historySlots(
            ev.item,
            ev.event,
            this.tl.rows,
            s0,
            p,
            this.data.nItems,
            Lmax,
            this.cfg.recencyDecay,
            this.ew,
            ids.subarray(b * Lmax),
            wts.subarray(b * Lmax),
          );
      L = Math.max(L, cnt);
      stage[b] = drop
        ? FunnelStageCode.cold
        : stageOf(ev.event, ev.ts, ev.item, this.tl.rows, Math.max(s0, p - 200), p, ev.ts[r]);
      target[b] = ev.item[r];
      wt[b] = this.ew[ev.event[r]];
    }
    const hA = new Float32Array(B * L * d);
    const aA = new Float32Array(B * L);
    for (let b = 0; b < B; b++)
      for (let k = 0; k < L; k++) {
        const id = ids[b * Lmax + k];
        if (id < 0) continue;
        hA.set(H.subarray(id * d, (id + 1) * d), (b * L + k) * d);
        aA[b * L + k] = wts[b * Lmax + k];
      }
    const sA = new Float32Array(B * d);
    const eA = new Float32Array(B * d);
    const cA = new Float32Array(B * d);
    const qA = new Float32Array(B);
    const maskA = new Float32Array(B * B);
    for (let b = 0; b < B; b++) {
      if (this.cfg.stageFeature) sA.set(S.subarray(stage[b] * d, (stage[b] + 1) * d), b * d);
      eA.set(E.subarray(target[b] * d, (target[b] + 1) * d), b * d);
      if (this.cfg.categoryFeature)
        cA.set(C.subarray(itemCat[target[b]] * d, (itemCat[target[b]] + 1) * d), b * d);
      qA[b] = this.cfg.logQCorrection ? this.logQ[target[b]] : 0;
      for (let c = 0; c < B; c++) if (c !== b && target[c] === target[b]) maskA[b * B + c] = -1e9;
    }
    const inputs = [
      tf.tensor2d(hA, [B * L, d]),
      tf.tensor2d(sA, [B, d]),
      tf.tensor2d(eA, [B, d]),
      tf.tensor2d(cA, [B, d]),
    ] as tf.Tensor2D[];
    const consts = [
      tf.tensor3d(aA, [B, L, 1]),
      tf.tensor1d(qA),
      tf.tensor2d(maskA, [B, B]),
      tf.tensor1d(wt),
    ] as const;
    const out = tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads((h: tf.Tensor, s: tf.Tensor, e: tf.Tensor, c: tf.Tensor) =>
        towerLossGraph(
          h as tf.Tensor2D,
          consts[0],
          s as tf.Tensor2D,
          e as tf.Tensor2D,
          c as tf.Tensor2D,
          consts[1],
          consts[2],
          consts[3],
          this.cfg.temperature,
        ),
      )(inputs);
      return [value, ...grads];
    });
    const loss = out[0].dataSync()[0];
    const [gH, gS, gE, gC] = out.slice(1).map((x) => x.dataSync());
    tf.dispose([...out, ...inputs, ...consts]);
    this.t++;
    const hyper = { lr: this.cfg.learningRate };
    const l2 = this.cfg.l2;
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < L; k++) {
        const id = ids[b * Lmax + k];
        if (id >= 0) this.rows.H.add(id, gH, (b * L + k) * d);
      }
      if (this.cfg.stageFeature) this.rows.S.add(stage[b], gS, b * d);
      this.rows.E.add(target[b], gE, b * d);
      if (this.cfg.categoryFeature) this.rows.C.add(itemCat[target[b]], gC, b * d);
    }
    this.rows.H.apply(H, this.t, hyper, l2);
    this.rows.S.apply(S, this.t, hyper, l2);
    this.rows.E.apply(E, this.t, hyper, l2);
    this.rows.C.apply(C, this.t, hyper, l2);
    let weight = 0;
    for (let b = 0; b < B; b++) weight += wt[b];
    return { loss, weight };
  }

  snapshot(): unknown {
    return copyParams(this.p);
  }

  restore(snapshot: unknown): void {
    const s = snapshot as TwoTowerParams;
    this.p.E.set(s.E);
    this.p.C.set(s.C);
    this.p.H.set(s.H);
    this.p.S.set(s.S);
    this.publish(copyParams(this.p));
  }

  finish(): void {}
}
