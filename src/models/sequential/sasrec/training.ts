/**
 * One SASRec training run (an {@link EpochSession} for `trainModel`): length-bucketed batches in
 * a seeded order, the graph of `graph.ts` on tfjs, Adam (β1 0.9, β2 0.98 as Kang & McAuley), and
 * per batch one shared draw of `negatives` candidates (or the whole catalogue).
 * Cost per epoch ≈ 3 × [padded tokens · blocks · 12d² + Σ B·L² · blocks · 4d + targets · (N+1) · 2d].
 */
import { RecError } from '../../../core/errors.js';
import type { Rng } from '../../../core/rng.js';
import { PopularitySampler, initTf, itemCounts, normalInit, tf, uniformInit } from '../../neural/index.js';
import type { EpochSession, FitContext, TrainData } from '../../types.js';
import type { SasRecConfig } from './config.js';
import type { SasWeights } from './forward.js';
import { BLOCK_KEYS, candidateLoss, encode, type SasVars } from './graph.js';
import { makeWindowBatches, shuffled, trainingSequences, type SeqBatch } from './sequences.js';

/** Fewest optimiser steps per epoch (the batch shrinks on tiny data to keep it). */
const MIN_STEPS = 6;
/** Time windows of a `batchOrder: "time"` epoch. */
const TIME_WINDOWS = 20;

/** Decay of the weight average at optimiser step `step` (0-based): warms up from 0.1 to `decay`. */
export function averageDecay(decay: number, step: number): number {
  return Math.min(decay, (1 + step) / (10 + step));
}

/** Learning rate of optimiser step `step` (0-based) of a run of `totalSteps` steps. */
export function learningRateAt(cfg: SasRecConfig, step: number, totalSteps: number): number {
  if (cfg.lrDecay === 'none') return cfg.learningRate;
  return cfg.learningRate * Math.max(0, 1 - step / totalSteps);
}

type Plain = Record<string, { values: Float32Array; shape: number[] }>;

/** Initial weights: Glorot-uniform matrices, N(0, 1/d) embeddings, LayerNorm γ = 1, β = 0, biases 0. */
export function initialPlain(cfg: SasRecConfig, nItems: number, rng: Rng): Plain {
  const d = cfg.hiddenUnits;
  const p: Plain = {
    emb: { values: normalInit(rng, nItems + 1, d, 1 / Math.sqrt(d)), shape: [nItems + 1, d] },
    pos: { values: normalInit(rng, cfg.maxLen, d, 1 / Math.sqrt(d)), shape: [cfg.maxLen, d] },
    lnfG: { values: new Float32Array(d).fill(1), shape: [d] },
    lnfB: { values: new Float32Array(d), shape: [d] },
  };
  p.emb.values.fill(0, 0, d); // padding row
  for (let k = 0; k < cfg.blocks; k++) {
    for (const key of BLOCK_KEYS) {
      const isMatrix = key.startsWith('w');
      const values = isMatrix
        ? uniformInit(rng, d, d)
        : key.endsWith('G')
          ? new Float32Array(d).fill(1)
          : new Float32Array(d);
      p[`b${k}.${key}`] = { values, shape: isMatrix ? [d, d] : [d] };
    }
  }
  return p;
}

/** Plain weights → the structure `forward.ts` reads. */
export function toSasWeights(
  cfg: { hiddenUnits: number; maxLen: number; blocks: number },
  p: Plain,
): SasWeights {
  const g = (k: string): Float32Array => p[k].values;
  return {
    d: cfg.hiddenUnits,
    maxLen: cfg.maxLen,
    emb: g('emb'),
    pos: g('pos'),
    lnfG: g('lnfG'),
    lnfB: g('lnfB'),
    blocks: Array.from({ length: cfg.blocks }, (_, k) => {
      const b = {} as Record<string, Float32Array>;
      for (const key of BLOCK_KEYS) b[key] = g(`b${k}.${key}`);
      return b as unknown as SasWeights['blocks'][number];
    }),
  };
}

export class SasRecTraining implements EpochSession {
  /** Batches per time window (one window unless `batchOrder` is `time`). */
  private readonly windows: SeqBatch[][];
  private readonly sampler: PopularitySampler | null;
  /** log(negatives · q_i) by item id + 1, when the logQ correction is on and negatives are sampled. */
  private readonly logQ: Float32Array | undefined;
  private readonly rng: Rng;
  private readonly init: Plain;
  private vars: SasVars | undefined;
  /** Moving average of `vars` (the served weights) when `weightAverage` > 0. */
  private avg: SasVars | undefined;
  private optimizer: tf.Optimizer | undefined;
  /** Optimiser steps taken so far (drives the learning-rate schedule). */
  private step = 0;
  tokensLastEpoch = 0;
  paddedTokensLastEpoch = 0;
  negativesLastEpoch = 0;
  attentionLastEpoch = 0;

  constructor(
    private readonly cfg: SasRecConfig,
    private readonly data: TrainData,
    private readonly ctx: FitContext,
    private readonly publish: (p: Plain) => void,
  ) {
    const seqs = trainingSequences(data, cfg.source);
    if (seqs.length === 0)
      throw new RecError(
        'DATA_INVALID',
        `SASRec needs training ${cfg.source} with at least 2 items; none were found`,
      );
    // Small data: cap the batch so that an epoch has at least MIN_STEPS steps (no effect at P2 scale).
    this.windows = makeWindowBatches(
      seqs,
      Math.max(1, Math.min(cfg.batchSize, Math.ceil(seqs.length / MIN_STEPS))),
      cfg.maxLen,
      cfg.batchOrder === 'time' ? TIME_WINDOWS : 1,
    );
    const flat = seqs.flatMap((s) => Array.from(s));
    this.sampler =
      data.nItems > cfg.negatives
        ? new PopularitySampler(itemCounts(flat, data.nItems), cfg.sampleAlpha)
        : null;
    const sampler = this.sampler;
    this.logQ =
      cfg.logQ && sampler
        ? Float32Array.from({ length: data.nItems + 1 }, (_, id) =>
            // unseen items are never drawn; a finite floor keeps targets without counts usable
            id === 0 ? 0 : Math.log(cfg.negatives * Math.max(sampler.probability(id - 1), 1e-12)),
          )
        : undefined;
    this.rng = ctx.rng;
    this.init = initialPlain(cfg, data.nItems, this.rng);
  }

  private async ensureVars(): Promise<SasVars> {
    if (this.vars) return this.vars;
    await initTf(this.cfg.backend);
    const v: SasVars = {};
    for (const [k, p] of Object.entries(this.init)) v[k] = tf.variable(tf.tensor(p.values, p.shape), true);
    this.vars = v;
    if (this.cfg.weightAverage > 0) {
      const avg: SasVars = {};
      for (const [k, p] of Object.entries(this.init))
        avg[k] = tf.variable(tf.tensor(p.values, p.shape), false);
      this.avg = avg;
    }
    this.optimizer = tf.train.adam(this.cfg.learningRate, 0.9, 0.98, 1e-8);
    return v;
  }

  private candidates(): Int32Array {
    const n = this.data.nItems;
    if (!this.sampler) return Int32Array.from({ length: n }, (_, i) => i + 1);
    const c = this.sampler.sampleInto(this.rng, new Int32Array(this.cfg.negatives));
    for (let i = 0; i < c.length; i++) c[i] += 1;
    return c;
  }

  async runEpoch(): Promise<{ loss: number }> {
    const v = await this.ensureVars();
    const opt = this.optimizer!;
    const list = Object.values(v);
    let lossSum = 0;
    let tokens = 0;
    this.paddedTokensLastEpoch = 0;
    this.negativesLastEpoch = 0;
    this.attentionLastEpoch = 0;
    const order = this.windows.flatMap((w) => shuffled(w, this.rng));
    for (let i = 0; i < order.length; i++) {
      const b = order[i];
      const cand = this.candidates();
      // tfjs' Adam reads its (public in JS, protected in the typings) learningRate on every step
      (opt as unknown as { learningRate: number }).learningRate = learningRateAt(
        this.cfg,
        this.step++,
        this.cfg.epochs * order.length,
      );
      const cost = opt.minimize(
        () => {
          const h = encode(v, {
            ids: b.ids,
            B: b.B,
            L: b.L,
            maxLen: this.cfg.maxLen,
            d: this.cfg.hiddenUnits,
            nBlocks: this.cfg.blocks,
            dropout: this.cfg.dropout,
            seed: () => this.rng.nextUint32(),
          });
          return candidateLoss(v, h, b.rows, b.targets, cand, this.logQ);
        },
        true,
        list,
      );
      const c = cost ? cost.dataSync()[0] : NaN;
      tf.dispose(cost ?? []);
      if (this.avg) this.updateAverage(v, this.avg, averageDecay(this.cfg.weightAverage, this.step - 1));
      lossSum += c * b.rows.length;
      tokens += b.rows.length;
      this.paddedTokensLastEpoch += b.B * b.L;
      this.negativesLastEpoch += b.rows.length * (cand.length + 1);
      this.attentionLastEpoch += b.B * b.L * b.L;
      if (i % 50 === 49) {
        if (this.ctx.signal?.aborted) throw new RecError('CANCELLED', 'Training of "sasrec" was cancelled');
        this.ctx.onProgress?.({ task: 'sasrec epoch', done: i + 1, total: order.length, unit: 'batches' });
      }
    }
    this.tokensLastEpoch = tokens;
    this.publish(this.plain());
    return { loss: lossSum / Math.max(1, tokens) };
  }

  private updateAverage(v: SasVars, avg: SasVars, decay: number): void {
    tf.tidy(() => {
      for (const [k, a] of Object.entries(avg)) a.assign(tf.add(tf.mul(a, decay), tf.mul(v[k], 1 - decay)));
    });
  }

  /** The served weights: the moving average when there is one, else the trained weights. */
  private plain(): Plain {
    const src = this.avg ?? this.vars;
    return src ? readPlain(src) : this.init;
  }

  snapshot(): unknown {
    return { vars: this.vars ? readPlain(this.vars) : this.init, served: this.plain() };
  }

  restore(snapshot: unknown): void {
    const p = snapshot as { vars: Plain; served: Plain };
    const put = (vs: SasVars | undefined, from: Plain): void => {
      if (vs)
        for (const [k, t] of Object.entries(vs))
          tf.tidy(() => t.assign(tf.tensor(from[k].values, from[k].shape)));
    };
    put(this.vars, p.vars);
    put(this.avg, p.served);
    this.publish(p.served);
  }

  finish(): void {
    for (const vs of [this.vars, this.avg]) if (vs) tf.dispose(Object.values(vs));
    this.optimizer?.dispose();
    this.vars = undefined;
    this.avg = undefined;
    this.optimizer = undefined;
  }
}

function readPlain(vs: SasVars): Plain {
  const out: Plain = {};
  for (const [k, t] of Object.entries(vs))
    out[k] = { values: t.dataSync() as Float32Array, shape: t.shape.slice() };
  return out;
}
