/**
 * Item-CF — item-based collaborative filtering (Sarwar et al. 2001, "Item-based collaborative
 * filtering recommendation algorithms"; weightings as implicit's Cosine/TFIDF/BM25 recommenders).
 *
 * fit: user × item matrix r_ui (event-weighted, optionally time-decayed), item × item similarity
 * (`similarity.ts`) with the top `neighbours` per item kept as CSR, plus the "bought together" and
 * "viewed together" co-occurrence counts (`cooccurrence.ts`) for the explainer.
 * score(q, i) = Σ_h a_h · sim(h, i) over the query profile a (`query-profile.ts`: event weights,
 * optional recency decay, history vs. current session), plus `popularityTieBreak` · pop(i) so that
 * items no neighbour reaches (and cold queries) fall back to popularity.
 *
 * Cost: fit O(Σ_u |items(u)|² + Σ_baskets |basket|²) time, split over worker threads;
 * memory O(nnz + nItems · (neighbours + 2·coTopK)). Score O(nItems + Σ_h |neighbours(h)|) per query.
 */
import { z } from 'zod';
import { RecError } from '../../../core/errors.js';
import { defaultThreads } from '../../../core/workers.js';
import { dropZeroEntries, interactionMatrix, transposeCsr, type Csr } from '../../common/csr.js';
import { EventWeightsSchema, weightTable } from '../../common/event-weights.js';
import type { ModelEntry } from '../../registry.js';
import type { FitContext, ModelArtifact, Query, Recommender, TrainData } from '../../types.js';
import { coOccurrence, purchaseBaskets, sessionBaskets } from './cooccurrence.js';
import { topKProduct } from './knn.js';
import { ProfileConfigShape, ProfileScratch } from './query-profile.js';
import { topKToCsr, weightItemUsers } from './similarity.js';
import { requireFitted } from '../../common/fitted.js';

export const ItemCfConfigSchema = z
  .object({
    similarity: z.enum(['cosine', 'tfidf', 'bm25']).default('cosine'),
    /** Neighbours kept per item (K of implicit). */
    neighbours: z.number().int().min(1).max(100_000).default(100),
    bm25K1: z.number().positive().default(1.2),
    bm25B: z.number().min(0).max(1).default(0.75),
    eventWeights: EventWeightsSchema.default({ view: 1, addtocart: 3, transaction: 5 }),
    /** Half-life in days of the training-event time decay; null = none. */
    halfLifeDays: z.number().positive().nullable().default(null),
    ...ProfileConfigShape,
    /** Partners kept per item in the co-purchase / co-view tables (0 = do not compute them). */
    coTopK: z.number().int().min(0).default(50),
    coPurchaseBasket: z.enum(['user', 'transaction']).default('user'),
    /** Baskets (sessions, purchase sets) with more distinct items are left out of co-occurrence. */
    maxBasketItems: z.number().int().min(2).default(200),
    /** Weight of normalised popularity added to every score (orders the items no neighbour reaches). */
    popularityTieBreak: z.number().min(0).default(1e-4),
    /** Worker threads for the similarity product; 0 = all cores. */
    threads: z.number().int().min(0).default(0),
  })
  .strict();
export type ItemCfConfig = z.infer<typeof ItemCfConfigSchema>;

/** A co-occurrence partner: `count` baskets hold both items. */
export interface CoItem {
  item: number;
  count: number;
}

const EMPTY: Csr = {
  nRows: 0,
  nCols: 0,
  indptr: new Int32Array(1),
  indices: new Int32Array(0),
  data: new Float32Array(0),
};

interface ItemCfState {
  sim: Csr;
  coBuy: Csr;
  coView: Csr;
  pop: Float32Array;
}

export class ItemCfRecommender implements Recommender {
  readonly name = 'itemcf';
  readonly capabilities = {
    coldUsers: true,
    coldItems: false,
    sessionInput: true,
    itemToItem: true,
    incremental: false,
  } as const;
  private state: ItemCfState | undefined;
  private scratch: ProfileScratch | undefined;

  constructor(readonly config: ItemCfConfig) {}

  get nItems(): number {
    return this.state?.pop.length ?? 0;
  }

  async fit(data: TrainData, ctx: FitContext): Promise<void> {
    const c = this.config;
    const threads = c.threads || defaultThreads();
    const userItems = dropZeroEntries(interactionMatrix(data, c).byRow);
    const itemUsers = weightItemUsers(transposeCsr(userItems), {
      kind: c.similarity,
      k1: c.bm25K1,
      b: c.bm25B,
    });
    ctx.logger?.debug?.({ model: this.name, nnz: userItems.indices.length }, 'item-cf: similarity product');
    // sim = X·Xᵀ with X the weighted item × user matrix; B = Xᵀ (user × item).
    const top = await topKProduct(itemUsers, transposeCsr(itemUsers), c.neighbours, {
      excludeSelf: false,
      minValue: 0,
      threads,
    });
    const sim = topKToCsr(top, data.nItems);
    let coBuy = EMPTY;
    let coView = EMPTY;
    if (c.coTopK > 0) {
      coBuy = await coOccurrence(
        purchaseBaskets(data, c.coPurchaseBasket, c.maxBasketItems),
        c.coTopK,
        threads,
      );
      coView = await coOccurrence(sessionBaskets(data, c.maxBasketItems), c.coTopK, threads);
    }
    const pop = new Float32Array(data.nItems);
    let max = 0;
    for (let i = 0; i < data.nItems; i++) {
      for (let p = itemUsers.indptr[i]; p < itemUsers.indptr[i + 1]; p++) pop[i] += 1;
      if (pop[i] > max) max = pop[i];
    }
    if (max > 0) for (let i = 0; i < pop.length; i++) pop[i] /= max;
    this.state = { sim, coBuy, coView, pop };
    this.scratch = undefined;
  }

  scoreBatch(queries: readonly Query[], out: Float32Array): void {
    const st = this.requireFitted();
    const n = st.pop.length;
    const scratch = (this.scratch ??= new ProfileScratch(n));
    const ew = weightTable(this.config.eventWeights);
    const acc = new Float64Array(n);
    const { indptr, indices, data } = st.sim;
    const tie = this.config.popularityTieBreak;
    for (let q = 0; q < queries.length; q++) {
      const query = queries[q];
      scratch.fill(query.items, query.events, query.sessionStart, ew, this.config);
      acc.fill(0);
      for (let t = 0; t < scratch.size; t++) {
        const h = scratch.items[t];
        const a = scratch.weight[h];
        for (let p = indptr[h]; p < indptr[h + 1]; p++) acc[indices[p]] += a * data[p];
      }
      const base = q * n;
      for (let i = 0; i < n; i++) out[base + i] = acc[i] + tie * st.pop[i];
    }
  }

  /** The `n` most similar items to `item` (itself included when it is among its neighbours). */
  similarItems(item: number, n = 10): { item: number; score: number }[] {
    return rowOf(this.requireFitted().sim, item, n).map(([i, v]) => ({ item: i, score: v }));
  }

  /** Items bought together with `item` (same user's purchases or same transaction), most often first. */
  coPurchase(item: number, n = Infinity): CoItem[] {
    return rowOf(this.requireFitted().coBuy, item, n).map(([i, v]) => ({ item: i, count: v }));
  }

  /** Items viewed in the same session as `item`, most often first. */
  coView(item: number, n = Infinity): CoItem[] {
    return rowOf(this.requireFitted().coView, item, n).map(([i, v]) => ({ item: i, count: v }));
  }

  private requireFitted(): ItemCfState {
    return requireFitted(this.state, this.name);
  }

  toArtifact(): ModelArtifact {
    const st = this.requireFitted();
    const arrays: ModelArtifact['arrays'] = { pop: st.pop };
    for (const [key, m] of [
      ['sim', st.sim],
      ['coBuy', st.coBuy],
      ['coView', st.coView],
    ] as const) {
      arrays[`${key}Indptr`] = m.indptr;
      arrays[`${key}Indices`] = m.indices;
      arrays[`${key}Data`] = m.data;
    }
    return { model: this.name, config: this.config, state: { nItems: st.pop.length }, arrays };
  }

  static fromArtifact(a: ModelArtifact, config: ItemCfConfig): ItemCfRecommender {
    const m = new ItemCfRecommender(config);
    const n = Number(a.state.nItems);
    const csr = (key: string): Csr => {
      const indptr = a.arrays[`${key}Indptr`] as Int32Array | undefined;
      if (!indptr) throw new RecError('ARTIFACT_INVALID', `Item-CF artifact lacks the "${key}" matrix`);
      return {
        nRows: indptr.length - 1,
        nCols: n,
        indptr,
        indices: a.arrays[`${key}Indices`] as Int32Array,
        data: a.arrays[`${key}Data`] as Float32Array,
      };
    };
    m.state = {
      sim: csr('sim'),
      coBuy: csr('coBuy'),
      coView: csr('coView'),
      pop: a.arrays.pop as Float32Array,
    };
    return m;
  }
}

/** Entries of row `r` (already best-first), at most `n`; empty for rows outside the matrix. */
function rowOf(m: Csr, r: number, n: number): [number, number][] {
  if (!Number.isInteger(r) || r < 0 || r >= m.nRows) return [];
  const out: [number, number][] = [];
  for (let p = m.indptr[r]; p < m.indptr[r + 1] && out.length < n; p++) out.push([m.indices[p], m.data[p]]);
  return out;
}

/** Registry entry of Item-CF (wired into `registry.ts` by the lead). */
export const itemcfEntry: ModelEntry = {
  name: 'itemcf',
  family: 'collaborative',
  description:
    'Item-based CF: cosine / TF-IDF / BM25 item–item top-K neighbours, plus co-purchase and co-view counts',
  planted: 'groups',
  configSchema: ItemCfConfigSchema,
  create: (c) => new ItemCfRecommender(c as ItemCfConfig),
  fromArtifact: (a, c) => ItemCfRecommender.fromArtifact(a, c as ItemCfConfig),
};
