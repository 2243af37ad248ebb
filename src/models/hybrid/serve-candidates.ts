/**
 * The hybrid's sparse serving path. `HybridRecommender.scoreBatch` (the reference, used by
 * evaluation) scores the whole catalogue with every component and keeps each one's top N; here
 * each component gives its top N and raw scores through a serving view (`serve-components.ts`:
 * popularity orders, neighbour lists, ANN search), the features are assembled by the same
 * `queryFeatures` as the full path, and the candidates are fused with the learned weights exactly
 * as `scoreBatch` does (same operations, float32 results). Non-candidates keep the full path's
 * score −10 + pop(i), so a ranking that runs out of candidates (filters) continues with them.
 *
 * With exact component lists (`ann: 'exact'`) `rank` equals top-K of `scoreBatch` bit for bit;
 * with HNSW the ALS / Item2Vec lists can miss items (recall measured by
 * `bench/api/serve-recall.ts`).
 *
 * Cost per query: Σ components' serving views (see there) + O(|candidates| · signals) fusion +
 * O(|candidates| log |candidates|) ranking. Memory: the component views' indexes and orders.
 */
import { ItemCfRecommender } from '../collaborative/itemcf/itemcf.js';
import { explainItems, toApiReason, type ApiReason, type Locale } from '../explain/explain.js';
import type { Query, Recommender } from '../types.js';
import type { ComponentRole } from './config.js';
import {
  FeatureScratch,
  queryFeatures,
  signalNames,
  type ComponentView,
  type FeatureOptions,
  type QueryFeatures,
} from './features.js';
import { effectiveWeights, fuseInto, gateValue, multipliersInto } from './fusion.js';
import type { HybridRecommender } from './hybrid.js';
import {
  componentServer,
  DEFAULT_COMPONENT_SERVE_OPTIONS,
  type ComponentServeOptions,
  type ComponentServer,
} from './serve-components.js';
import { scoreOrder } from './top-n.js';

/** A ranked list: item indices best first and their scores (as `scoreBatch` gives them). */
export interface ServedRanking {
  readonly items: Int32Array;
  readonly scores: Float32Array;
}

/** The fused scores of one query's candidate union (all other items score −10 + pop, or −∞ if bought). */
export interface ServedCandidates {
  readonly items: Int32Array;
  readonly scores: Float32Array;
  readonly features: QueryFeatures;
}

export class HybridServing {
  /** One serving view factory per component (`kind` says how each one avoids full scoring). */
  readonly servers: readonly ComponentServer[];
  private readonly fo: FeatureOptions;
  private readonly roles: ComponentRole[];
  private readonly signals: string[];
  private readonly scratch: FeatureScratch;
  private readonly mult: Float64Array;
  private fused = new Float64Array(256);
  /** Non-candidates in full-path order: −10 + pop desc, then lower index. */
  private readonly restOrder: Int32Array;
  private readonly mark: Uint8Array;
  private memo = new WeakMap<Query, QueryFeatures>();
  private readonly explainModels: Recommender[];

  constructor(
    readonly hybrid: HybridRecommender,
    opts: Partial<ComponentServeOptions> = {},
  ) {
    const st = hybrid.servingState;
    const n = st.pop.length;
    const o = { ...DEFAULT_COMPONENT_SERVE_OPTIONS, ...opts };
    this.servers = st.components.map((c) => componentServer(c.model, n, o));
    const cfg = hybrid.config;
    const cf = cfg.cartComplements
      ? st.components.find((c) => c.model instanceof ItemCfRecommender)
      : undefined;
    this.fo = {
      config: cfg,
      nItems: n,
      components: st.components,
      cart: cf ? (cf.model as ItemCfRecommender) : null,
    };
    this.roles = [...st.components.map((c) => c.role), ...(this.fo.cart ? (['neutral'] as const) : [])];
    this.signals = signalNames(this.fo);
    this.scratch = new FeatureScratch(n);
    this.mult = new Float64Array(this.roles.length);
    this.restOrder = scoreOrder(Float32Array.from(st.pop, (p) => -10 + p));
    this.mark = new Uint8Array(n);
    this.explainModels = st.components.map((c) => c.model);
  }

  get nItems(): number {
    return this.fo.nItems;
  }

  /** The query's features from the components' serving views (remembered for `explain*`). */
  features(q: Query): QueryFeatures {
    const views: ComponentView[] = this.servers.map((s) => s.view(q));
    const x = queryFeatures(q, this.fo, views, this.scratch);
    this.memo.set(q, x);
    return x;
  }

  /** Fused scores of the candidate union, as `scoreBatch` writes them (float32, ≥ −5; −∞ bought). */
  candidates(q: Query): ServedCandidates {
    const st = this.hybrid.servingState;
    const cfg = this.hybrid.config;
    const x = this.features(q);
    const K = x.cands.length;
    if (this.fused.length < K) this.fused = new Float64Array(K);
    multipliersInto(this.roles, cfg.fusion, gateValue(st.params.theta, x.gateX), this.mult);
    fuseInto(x, st.params.weights, cfg.stageWeights ? x.stage : 0, this.mult, this.fused);
    const scores = new Float32Array(K);
    for (let k = 0; k < K; k++) scores[k] = Math.max(-5, this.fused[k]);
    if (!cfg.repurchase && x.bought.length > 0) {
      const b = new Set(x.bought);
      for (let k = 0; k < K; k++) if (b.has(x.cands[k])) scores[k] = -Infinity;
    }
    return { items: x.cands, scores, features: x };
  }

  /**
   * The `k` best items for `q` among those passing `keep` and not in `exclude`: equal to the
   * shared top-K over `scoreBatch`'s row with the other items set to −∞ (same ties: lower index).
   */
  rank(
    q: Query,
    k: number,
    keep: ((item: number) => boolean) | null = null,
    exclude: ReadonlySet<number> = new Set(),
  ): ServedRanking {
    const c = this.candidates(q);
    const idx: number[] = [];
    for (let j = 0; j < c.items.length; j++) {
      const it = c.items[j];
      if (!(c.scores[j] > -Infinity) || exclude.has(it) || (keep !== null && !keep(it))) continue;
      idx.push(j);
    }
    idx.sort((a, b) => c.scores[b] - c.scores[a] || c.items[a] - c.items[b]);
    const m = Math.min(k, idx.length);
    const items: number[] = [];
    const scores: number[] = [];
    for (let r = 0; r < m; r++) {
      items.push(c.items[idx[r]]);
      scores.push(c.scores[idx[r]]);
    }
    if (items.length < k) this.fill(c, k, keep, exclude, items, scores);
    return { items: Int32Array.from(items), scores: Float32Array.from(scores) };
  }

  /** Continues a short ranking with the non-candidates in full-path order. */
  private fill(
    c: ServedCandidates,
    k: number,
    keep: ((item: number) => boolean) | null,
    exclude: ReadonlySet<number>,
    items: number[],
    scores: number[],
  ): void {
    const pop = this.hybrid.servingState.pop;
    const { mark } = this;
    for (const i of c.items) mark[i] = 1;
    if (!this.hybrid.config.repurchase) for (const i of c.features.bought) mark[i] = 1;
    for (let r = 0; r < this.restOrder.length && items.length < k; r++) {
      const i = this.restOrder[r];
      if (mark[i] || exclude.has(i) || (keep !== null && !keep(i))) continue;
      items.push(i);
      scores.push(Math.fround(-10 + pop[i]));
    }
    for (const i of c.items) mark[i] = 0;
    for (const i of c.features.bought) mark[i] = 0;
  }

  /**
   * Same as `HybridRecommender.explainRecommendations`, from the serving features of `query`
   * (those of the last `rank`/`candidates` call for this query object, else computed sparsely).
   */
  explainRecommendations(
    query: Query,
    items: Int32Array,
    opts: { itemLabel?: (item: number) => string; locale?: Locale } = {},
  ): (ApiReason | undefined)[] {
    const st = this.hybrid.servingState;
    const x = this.memo.get(query) ?? this.features(query);
    const eff = effectiveWeights(st.params, x, this.roles, this.hybrid.config);
    return explainItems({
      query,
      items: Array.from(items),
      locale: opts.locale ?? 'en',
      labels: { item: opts.itemLabel },
      features: x,
      effective: eff,
      signals: this.signals,
      models: this.explainModels,
      evidence: st.evidence,
    }).map(({ reason }) => toApiReason(reason));
  }
}
