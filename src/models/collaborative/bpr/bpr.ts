/**
 * BPR matrix factorisation — Rendle, Freudenthaler, Gantner & Schmidt-Thieme (2009), "BPR:
 * Bayesian Personalized Ranking from Implicit Feedback": SGD on sampled (u, i⁺, j⁻) triples with
 * uniform or popularity-proportional negatives, strength-weighted or uniform positives, L2
 * regularisation, item biases and a step-size schedule; Hogwild updates (Niu et al. 2011) from
 * worker threads on SharedArrayBuffer factors, each thread with its own seeded Rng.
 * score(u, i) = x_u·y_i + b_i.
 *
 * Cost per epoch O(nnz·k) (one sample per interaction); memory (nUsers + nItems)·k floats + the
 * user → item CSR + one int per interaction. Below {@link BPR_PARALLEL_MIN_NNZ} interactions (or
 * with one thread) training runs on the calling thread and is bitwise reproducible; Hogwild runs
 * are reproducible only in distribution.
 *
 * Users unseen at training with a history are folded in by SGD on their vector alone
 * (`fold-in.ts`); with no usable history every item scores 0 (the hybrid handles such cold
 * starts). `fit` runs `iterations` epochs of the training session; production training goes
 * through `trainModel`.
 */
import type { Worker } from 'node:worker_threads';
import { defaultThreads, request, sharedFloat32, sharedInt32, startWorker } from '../../../core/workers.js';
import { historyWeights, interactionMatrix, sharedAlloc } from '../../common/csr.js';
import { runEpochs } from '../../common/epochs.js';
import { scoreByFactors } from '../../common/factor-scores.js';
import type { ModelEntry } from '../../registry.js';
import type {
  EpochSession,
  FitContext,
  IterativeRecommender,
  ModelArtifact,
  Query,
  TrainData,
} from '../../types.js';
import { BprConfigSchema, type BprConfig } from './config.js';
import { foldInUser } from './fold-in.js';
import { aliasTable, bprEpochRange, type BprShared, type EpochStats } from './kernel.js';
import { requireFitted } from '../../common/fitted.js';

export { BprConfigSchema, type BprConfig } from './config.js';

/** Below this many interactions BPR trains on the calling thread (deterministic). */
export const BPR_PARALLEL_MIN_NNZ = 50_000;

interface Fitted {
  userFactors: Float32Array;
  itemFactors: Float32Array;
  itemBias: Float32Array;
}

/** Step size of epoch `e` (1-based) under the configured schedule. */
export function learningRateAt(c: BprConfig, e: number, epochs: number): number {
  if (c.lrSchedule === 'linear') return c.learningRate * Math.max(1 / epochs, 1 - (e - 1) / epochs);
  if (c.lrSchedule === 'exponential') return c.learningRate * Math.pow(c.lrDecay, e - 1);
  return c.learningRate;
}

export class BprRecommender implements IterativeRecommender {
  readonly name = 'bpr';
  readonly capabilities = {
    coldUsers: true,
    coldItems: false,
    sessionInput: false,
    itemToItem: false,
    incremental: false,
  } as const;
  private fitted: Fitted | undefined;

  constructor(readonly config: BprConfig) {}

  get defaultEpochs(): number {
    return this.config.iterations;
  }

  get nItems(): number {
    return this.fitted ? this.fitted.itemFactors.length / this.config.factors : 0;
  }

  beginTraining(data: TrainData, ctx: FitContext): EpochSession {
    const c = this.config;
    const k = c.factors;
    const threads = c.threads ?? defaultThreads();
    const parallel = threads > 1 && data.events.length >= BPR_PARALLEL_MIN_NNZ;
    const { byRow } = interactionMatrix(data, { ...c, alloc: parallel ? sharedAlloc : undefined });
    const nnz = byRow.indices.length;
    const f32 = (n: number): Float32Array => (parallel ? sharedFloat32(n) : new Float32Array(n));
    const rowOf = parallel ? sharedInt32(nnz) : new Int32Array(nnz);
    for (let u = 0; u < data.nUsers; u++) rowOf.fill(u, byRow.indptr[u], byRow.indptr[u + 1]);
    const rng = ctx.rng.fork();
    // implicit's initialisation: uniform (−0.5, 0.5)/k; items never interacted with stay zero.
    const U = f32(data.nUsers * k);
    const V = f32(data.nItems * k);
    for (let t = 0; t < U.length; t++) U[t] = (rng.next() - 0.5) / k;
    const count = new Int32Array(data.nItems);
    for (let t = 0; t < nnz; t++) count[byRow.indices[t]]++;
    for (let i = 0; i < data.nItems; i++)
      for (let a = 0; a < k; a++) V[i * k + a] = count[i] ? (rng.next() - 0.5) / k : 0;
    const B = f32(c.itemBias ? data.nItems : 0);
    const weighted = c.positives === 'weighted' && !isUniform(byRow.data);
    const alias = weighted ? aliasTable(byRow.data) : { prob: new Float64Array(0), alias: new Int32Array(0) };
    const st: BprShared = {
      k,
      reg: c.regularization,
      nItems: data.nItems,
      userFactors: U,
      itemFactors: V,
      itemBias: B,
      indptr: byRow.indptr,
      indices: byRow.indices,
      rowOf,
      aliasProb: parallel ? toShared64(alias.prob) : alias.prob,
      aliasIdx: parallel ? toShared32(alias.alias) : alias.alias,
      popularityNegatives: c.negatives === 'popularity',
      verifyNegatives: c.verifyNegatives,
    };
    const workers: Worker[] = [];
    let ready: Promise<unknown> = Promise.resolve();
    if (parallel) {
      for (let w = 0; w < threads; w++)
        workers.push(startWorker(new URL('./bpr-worker.js', import.meta.url)));
      ready = Promise.all(workers.map((w) => request(w, { type: 'init', state: st })));
    }
    const publish = (): void => {
      this.fitted = { userFactors: U, itemFactors: V, itemBias: B };
    };
    const epochs = c.iterations;
    return {
      runEpoch: async (epoch) => {
        await ready;
        const lr = learningRateAt(c, epoch, epochs);
        let stats: EpochStats[];
        if (workers.length === 0) stats = [bprEpochRange(st, rng.nextUint32(), nnz, lr)];
        else {
          const seeds = workers.map(() => rng.nextUint32());
          stats = await Promise.all(
            workers.map((w, i) =>
              request<EpochStats>(w, {
                type: 'epoch',
                seed: seeds[i],
                lr,
                n: Math.floor((nnz * (i + 1)) / workers.length) - Math.floor((nnz * i) / workers.length),
              }),
            ),
          );
        }
        publish();
        const loss = stats.reduce((s, x) => s + x.loss, 0);
        const updates = stats.reduce((s, x) => s + x.updates, 0);
        return { loss: updates > 0 ? loss / updates : 0 };
      },
      snapshot: () => ({ u: U.slice(), v: V.slice(), b: B.slice() }),
      restore: (s) => {
        const snap = s as { u: Float32Array; v: Float32Array; b: Float32Array };
        U.set(snap.u);
        V.set(snap.v);
        B.set(snap.b);
        publish();
      },
      finish: () => {
        for (const w of workers) void w.terminate();
      },
    };
  }

  /** Runs `iterations` epochs (use `trainModel` for early stopping, cancellation and progress). */
  async fit(data: TrainData, ctx: FitContext): Promise<void> {
    await runEpochs(this.beginTraining(data, ctx), this.config.iterations);
  }

  private require(): Fitted {
    return requireFitted(this.fitted, this.name);
  }

  /** User vector for a history of item indices with strengths (fold-in, items fixed). */
  recalculateUser(items: Int32Array, weights: Float32Array): Float32Array {
    const f = this.require();
    const c = this.config;
    return foldInUser(
      f.itemFactors,
      f.itemBias.length ? f.itemBias : null,
      items,
      weights,
      this.nItems,
      c.factors,
      {
        epochs: c.foldInEpochs,
        lr: c.learningRate,
        reg: c.regularization,
      },
    );
  }

  scoreBatch(queries: readonly Query[], out: Float32Array): void {
    const n = this.nItems;
    scoreByFactors(this.require(), this.config.factors, queries, out, (query) => {
      const h = historyWeights(query.items, query.events, query.ts, query.time, n, this.config);
      return h.items.length > 0 ? this.recalculateUser(h.items, h.weights) : undefined;
    });
  }

  toArtifact(): ModelArtifact {
    const f = this.require();
    return {
      model: this.name,
      config: this.config,
      state: {},
      arrays: {
        userFactors: f.userFactors.slice(),
        itemFactors: f.itemFactors.slice(),
        itemBias: f.itemBias.slice(),
      },
    };
  }

  static fromArtifact(a: ModelArtifact, config: BprConfig): BprRecommender {
    const m = new BprRecommender(config);
    m.fitted = {
      userFactors: a.arrays.userFactors as Float32Array,
      itemFactors: a.arrays.itemFactors as Float32Array,
      itemBias: a.arrays.itemBias as Float32Array,
    };
    return m;
  }
}

function isUniform(d: Float32Array): boolean {
  for (let t = 1; t < d.length; t++) if (d[t] !== d[0]) return false;
  return true;
}

function toShared64(a: Float64Array): Float64Array {
  const s = new Float64Array(new SharedArrayBuffer(Math.max(8, a.byteLength)), 0, a.length);
  s.set(a);
  return s;
}

function toShared32(a: Int32Array): Int32Array {
  const s = sharedInt32(Math.max(1, a.length)).subarray(0, a.length);
  s.set(a);
  return s;
}

/** Registry entry of BPR (the lead wires it into `registry.ts`). */
export const bprEntry: ModelEntry = {
  name: 'bpr',
  family: 'collaborative',
  description: 'BPR matrix factorisation (Rendle et al. 2009), Hogwild SGD over worker threads, item biases',
  planted: 'groups',
  configSchema: BprConfigSchema,
  create: (c) => new BprRecommender(c as BprConfig),
  fromArtifact: (a, c) => BprRecommender.fromArtifact(a, c as BprConfig),
};
