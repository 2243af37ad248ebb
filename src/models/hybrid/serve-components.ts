/**
 * Sparse serving views of the hybrid's components: each gives, for one query, the component's
 * top N (exactly what `topN` of its full score row gives, see `features.ts` `ComponentView`) and
 * its raw score of any item — without scoring the whole catalogue where the model allows it:
 *
 * - `popular` / `popular-category`: precomputed popularity orders (global and per category); the
 *   top N is merged from the prefixes of the query's categories and of the global order.
 * - `itemcf`, `sknn` / `vsknn`: their sparse neighbour sums plus `popularityTieBreak · pop`; the
 *   top N comes from the items the sum touches and a prefix of the precomputed popularity order.
 * - `als`, `item2vec`: the query vector searched in an ANN index over the item vectors
 *   (`retrieval/ann`, usearch HNSW); the `oversample · N` results are re-scored with the model's own
 *   arithmetic and cut to N. Exact with the `exact` index; with HNSW the list can miss items.
 * - anything else: the component's full `scoreBatch` (exact; the reference cost).
 *
 * The scores are bit-identical to the models' `scoreBatch` (same operations in the same order), so
 * with exact lists the hybrid's serving features equal its full-path features. The model state is
 * read through public API (`toArtifact`, exported kernels); nothing is mutated.
 *
 * Cost per query: popular O(#categories · N); itemcf O(Σ_h |neighbours(h)| + N); sknn as its kernel
 * (+ one O(nItems) scan for the touched items); ALS / item2vec one ANN search + O(oversample·N·dim).
 * Memory: popularity orders O(nItems) per component; ANN indexes ≈ nItems · (4·dim + 144) bytes;
 * ALS factors are copied once by `toArtifact` (users + items).
 */
import { PopularRecommender } from '../baselines/popular/popular.js';
import { AlsRecommender } from '../collaborative/als/als.js';
import { ItemCfRecommender } from '../collaborative/itemcf/itemcf.js';
import { weightTable } from '../common/event-weights.js';
import { Item2VecRecommender } from '../content/item2vec/item2vec.js';
import { SessionKnnRecommender } from '../sequential/sknn/sknn.js';
import type { Query, Recommender } from '../types.js';
import { isConstant, type ComponentView } from './features.js';
import {
  DEFAULT_COMPONENT_SERVE_OPTIONS,
  DenseServer,
  takePrefix,
  topOfList,
  type ComponentServeOptions,
  type ComponentServer,
} from './serve-common.js';
import { ItemCfServer, SknnServer } from './serve-neighbours.js';
import { AlsServer, Item2VecServer } from './serve-vectors.js';
import { scoreOrder } from './top-n.js';

export {
  DEFAULT_COMPONENT_SERVE_OPTIONS,
  DenseServer,
  type ComponentServeOptions,
  type ComponentServer,
} from './serve-common.js';

/** The serving view of a fitted component model (`nItems` items). */
export function componentServer(
  model: Recommender,
  nItems: number,
  opts: ComponentServeOptions = DEFAULT_COMPONENT_SERVE_OPTIONS,
): ComponentServer {
  if (model instanceof PopularRecommender) return new PopularServer(model, nItems);
  if (model instanceof ItemCfRecommender) return new ItemCfServer(model);
  if (model instanceof SessionKnnRecommender) return new SknnServer(model);
  if (model instanceof AlsRecommender) return new AlsServer(model, opts);
  if (model instanceof Item2VecRecommender) return new Item2VecServer(model, opts);
  return new DenseServer(model, nItems);
}

class PopularServer implements ComponentServer {
  readonly kind = 'sparse';
  private readonly pop: Float32Array;
  private readonly cat: Int32Array;
  private readonly order: Int32Array;
  private readonly catOrder = new Map<number, Int32Array>();
  private readonly dense: DenseServer | null;

  constructor(
    private readonly model: PopularRecommender,
    nItems: number,
  ) {
    const a = model.toArtifact().arrays;
    this.pop = a.pop as Float32Array;
    this.cat = a.itemCategory as Int32Array;
    this.order = scoreOrder(this.pop);
    const lists = new Map<number, number[]>();
    for (const i of this.order) {
      const c = this.cat[i];
      if (c < 0) continue;
      let l = lists.get(c);
      if (!l) lists.set(c, (l = []));
      l.push(i);
    }
    for (const [c, l] of lists) this.catOrder.set(c, Int32Array.from(l));
    // Degenerate rows (constant popularity, no smoothing) keep the exact dense path.
    const degenerate =
      this.order.length !== this.pop.length ||
      isConstant(this.pop) ||
      (model.config.mode === 'category' && !(model.config.categorySmoothing > 0));
    this.dense = degenerate ? new DenseServer(model, nItems) : null;
  }

  view(q: Query): ComponentView {
    if (this.dense) return this.dense.view(q);
    const { pop, cat } = this;
    const cfg = this.model.config;
    if (cfg.mode !== 'category' || q.items.length === 0) {
      const val = (i: number): number => pop[i];
      return {
        top: (N, skip) => {
          const items: number[] = [];
          takePrefix(this.order, val, N, skip, null, items);
          return topOfList(items, val, N, skip);
        },
        scores: (items, out) => {
          for (let k = 0; k < items.length; k++) out[k] = pop[items[k]];
        },
      };
    }
    // The query's category shares, exactly as PopularRecommender.scoreCategory.
    const w = weightTable(cfg.eventWeights);
    const share = new Map<number, number>();
    let total = 0;
    for (let j = 0; j < q.items.length; j++) {
      const it = q.items[j];
      if (it < 0 || it >= pop.length) continue;
      const c = cat[it];
      if (c < 0) continue;
      const v = w[q.events[j]] ?? 1;
      share.set(c, (share.get(c) ?? 0) + v);
      total += v;
    }
    const lambda = cfg.categorySmoothing;
    const shareOf = (i: number): number => (total > 0 ? (share.get(cat[i]) ?? 0) / total : 0);
    const val = (i: number): number => Math.fround((shareOf(i) + lambda) * pop[i]);
    return {
      top: (N, skip) => {
        // Merge of the query's category orders and the global order (items of those categories
        // left out of it): along each list the value never increases.
        const lists: Int32Array[] = [];
        const mults: number[] = [];
        for (const c of share.keys()) {
          const l = this.catOrder.get(c);
          const sc = total > 0 ? (share.get(c) ?? 0) / total : 0;
          if (l && sc > 0) {
            lists.push(l);
            mults.push(sc + lambda);
          }
        }
        lists.push(this.order);
        mults.push(0 + lambda);
        const global = lists.length - 1;
        const head = new Int32Array(lists.length);
        const items: number[] = [];
        let last = NaN;
        for (;;) {
          let best = -1;
          let bestV = -Infinity;
          let bestI = 0;
          for (let l = 0; l < lists.length; l++) {
            const list = lists[l];
            let h = head[l];
            while (h < list.length && (skip[list[h]] || (l === global && shareOf(list[h]) > 0))) h++;
            head[l] = h;
            if (h >= list.length) continue;
            const i = list[h];
            const v = Math.fround(mults[l] * pop[i]);
            if (v > bestV || (v === bestV && i < bestI)) [best, bestV, bestI] = [l, v, i];
          }
          if (best < 0 || (items.length >= N && bestV !== last)) break;
          items.push(bestI);
          last = bestV;
          head[best]++;
        }
        return topOfList(items, val, N, skip);
      },
      scores: (items, out) => {
        for (let k = 0; k < items.length; k++) out[k] = val(items[k]);
      },
    };
  }
}
