/**
 * ALS for implicit feedback — Hu, Koren & Volinsky (2008), "Collaborative Filtering for Implicit
 * Feedback Datasets", with the conjugate-gradient row solver of Takács, Pilászy & Tikk (2011) as in
 * implicit's `least_squares_cg`. Interaction strength w_ui = Σ event weight · time decay; confidence
 * c_ui = 1 + α·w_ui; score(u, i) = x_u · y_i.
 *
 * Cost per epoch: O(nnz·k·(s+1) + (nUsers + nItems)·k²·(s+1)) with s CG steps, spread over worker
 * threads. Memory: (nUsers + nItems)·k floats + the strength matrix in both orientations.
 *
 * Users unseen at training (`Query.user === -1`) with a history are folded in exactly
 * ({@link AlsRecommender.recalculateUser}); with no usable history every item scores 0 (the hybrid
 * handles such cold starts). `fit` runs `iterations` epochs of the training session; production
 * training goes through `trainModel`.
 */
import { RecError } from '../../../core/errors.js';
import { defaultThreads } from '../../../core/workers.js';
import { historyWeights, interactionMatrix, sharedAlloc, type Csr } from '../../common/csr.js';
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
import { AlsConfigSchema, type AlsConfig } from './config.js';
import { explainScore, solveUser, userSystem, type AlsExplanation } from './fold-in.js';
import { gram } from './linalg.js';
import { ALS_PARALLEL_MIN_NNZ, AlsEngine, initFactors } from './train.js';
import { requireFitted } from '../../common/fitted.js';

export { AlsConfigSchema, type AlsConfig } from './config.js';
export type { AlsExplanation, Contribution } from './fold-in.js';

interface Fitted {
  userFactors: Float32Array;
  itemFactors: Float32Array;
  /** Training strengths by user (for `explain` of known users). */
  userItems: Csr;
}

export class AlsRecommender implements IterativeRecommender {
  readonly name = 'als';
  readonly capabilities = {
    coldUsers: true,
    coldItems: false,
    sessionInput: false,
    itemToItem: false,
    incremental: false,
  } as const;
  private fitted: Fitted | undefined;
  /** G = YᵀY + λI of the fitted item factors, computed on first fold-in. */
  private itemGram: Float64Array | undefined;

  constructor(readonly config: AlsConfig) {}

  get defaultEpochs(): number {
    return this.config.iterations;
  }

  get nItems(): number {
    return this.fitted ? this.fitted.itemFactors.length / this.config.factors : 0;
  }

  beginTraining(data: TrainData, ctx: FitContext): EpochSession {
    const k = this.config.factors;
    const threads = this.config.threads ?? defaultThreads();
    const probe = data.events.length >= ALS_PARALLEL_MIN_NNZ && threads > 1;
    const { byRow, byCol } = interactionMatrix(data, {
      ...this.config,
      alloc: probe ? sharedAlloc : undefined,
    });
    const rng = ctx.rng.fork();
    const next = (): number => rng.next();
    // implicit's order: user factors then item factors, uniform [0, 0.01).
    const userFactors = initFactors(data.nUsers, k, next, probe);
    const itemFactors = initFactors(data.nItems, k, next, probe);
    const engine = new AlsEngine(
      { userFactors, itemFactors, byUser: byRow, byItem: byCol },
      {
        k,
        alpha: this.config.alpha,
        regularization: this.config.regularization,
        cgSteps: this.config.cgSteps,
        solver: this.config.solver,
        exactMaxNnz: this.config.exactMaxNnz,
        threads,
      },
    );
    const publish = (): void => {
      this.fitted = { userFactors, itemFactors, userItems: byRow };
      this.itemGram = undefined;
    };
    return {
      runEpoch: async () => {
        const r = await engine.epoch();
        publish();
        return r;
      },
      snapshot: () => ({ u: userFactors.slice(), i: itemFactors.slice() }),
      restore: (s) => {
        const snap = s as { u: Float32Array; i: Float32Array };
        userFactors.set(snap.u);
        itemFactors.set(snap.i);
        publish();
      },
      finish: () => engine.close(),
    };
  }

  /** Runs `iterations` epochs (use `trainModel` for early stopping, cancellation and progress). */
  async fit(data: TrainData, ctx: FitContext): Promise<void> {
    await runEpochs(this.beginTraining(data, ctx), this.config.iterations);
  }

  private require(): Fitted {
    return requireFitted(this.fitted, this.name);
  }

  private gramOfItems(): Float64Array {
    this.itemGram ??= gram(this.require().itemFactors, this.config.factors, this.config.regularization);
    return this.itemGram;
  }

  /**
   * Folds in a user unseen at training: the exact least-squares user factor for the history
   * `items` (item indices) with interaction strengths `weights`, item factors fixed.
   */
  recalculateUser(items: Int32Array, weights: Float32Array): Float32Array {
    const f = this.require();
    return solveUser(
      userSystem(f.itemFactors, this.gramOfItems(), items, weights, this.config.alpha, this.config.factors),
      this.config.factors,
    );
  }

  /**
   * Which history items contributed most to the score of `item` (implicit's `explain`): a known
   * user index uses its training history, a query its own history. Contributions sum to `score`.
   */
  explain(userOrQuery: number | Query, item: number, n = 10): AlsExplanation {
    const f = this.require();
    if (item < 0 || item >= this.nItems)
      throw new RecError(
        'UNKNOWN_ITEM',
        `Item index ${item} is outside the ALS catalogue [0, ${this.nItems})`,
      );
    let items: Int32Array;
    let weights: Float32Array;
    if (typeof userOrQuery === 'number') {
      const u = userOrQuery;
      if (u < 0 || u >= f.userItems.nRows)
        throw new RecError(
          'UNKNOWN_USER',
          `User index ${u} is outside the ALS training users [0, ${f.userItems.nRows})`,
        );
      const t0 = f.userItems.indptr[u];
      const t1 = f.userItems.indptr[u + 1];
      items = f.userItems.indices.slice(t0, t1);
      weights = f.userItems.data.slice(t0, t1);
    } else {
      ({ items, weights } = this.queryHistory(userOrQuery));
    }
    const sys = userSystem(
      f.itemFactors,
      this.gramOfItems(),
      items,
      weights,
      this.config.alpha,
      this.config.factors,
    );
    return explainScore(sys, f.itemFactors, item, this.config.alpha, this.config.factors, n);
  }

  private queryHistory(q: Query): { items: Int32Array; weights: Float32Array } {
    return historyWeights(q.items, q.events, q.ts, q.time, this.nItems, this.config);
  }

  scoreBatch(queries: readonly Query[], out: Float32Array): void {
    scoreByFactors(this.require(), this.config.factors, queries, out, (query) => {
      const h = this.queryHistory(query);
      return h.items.length > 0 ? this.recalculateUser(h.items, h.weights) : undefined;
    });
  }

  toArtifact(): ModelArtifact {
    const f = this.require();
    return {
      model: this.name,
      config: this.config,
      state: { nUsers: f.userItems.nRows, nItems: this.nItems },
      arrays: {
        userFactors: f.userFactors.slice(),
        itemFactors: f.itemFactors.slice(),
        userIndptr: f.userItems.indptr.slice(),
        userIndices: f.userItems.indices.slice(),
        userStrength: f.userItems.data.slice(),
      },
    };
  }

  static fromArtifact(a: ModelArtifact, config: AlsConfig): AlsRecommender {
    const m = new AlsRecommender(config);
    const s = a.state as { nUsers: number; nItems: number };
    m.fitted = {
      userFactors: a.arrays.userFactors as Float32Array,
      itemFactors: a.arrays.itemFactors as Float32Array,
      userItems: {
        nRows: s.nUsers,
        nCols: s.nItems,
        indptr: a.arrays.userIndptr as Int32Array,
        indices: a.arrays.userIndices as Int32Array,
        data: a.arrays.userStrength as Float32Array,
      },
    };
    return m;
  }
}

/** Registry entry of ALS (the lead wires it into `registry.ts`). */
export const alsEntry: ModelEntry = {
  name: 'als',
  family: 'collaborative',
  description: 'Implicit-feedback ALS (Hu et al. 2008), conjugate-gradient solver, worker threads',
  planted: 'groups',
  configSchema: AlsConfigSchema,
  create: (c) => new AlsRecommender(c as AlsConfig),
  fromArtifact: (a, c) => AlsRecommender.fromArtifact(a, c as AlsConfig),
};
