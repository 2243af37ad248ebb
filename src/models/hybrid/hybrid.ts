/**
 * Funnel-Aware Hybrid — a learned, funnel-stage-dependent fusion of registry models (the
 * linear-fusion idea of Burke 2002 "Hybrid recommender systems", with weights fitted by direct
 * metric optimisation in the spirit of coordinate-ascent learning to rank, Metzler & Croft 2007).
 *
 * fit (TrainData only): carve an inner temporal validation from the training events (last
 * `innerValidFraction` of time, `inner-split.ts`), fit the components on the earlier part, learn
 * the per-stage weights and the session/history gate by NDCG@10 on the inner cases
 * (`learn-weights.ts`), then refit the components on all training data and build the evidence
 * store of the explanations.
 * score: the union of each component's top N is the candidate set; candidates get
 * Σ_c w[stage, c] · m_c(q) · v_c (`fusion.ts`, `features.ts`, ≥ −5); every other item gets
 * −10 + pop(i) ∈ [−10, −9] — a candidate-restricted model: non-candidates rank after all
 * candidates (by popularity), so full-ranking evaluation stays honest. Items the user bought get
 * −Infinity unless `repurchase`.
 *
 * Cost: fit = 2 × Σ components' fit + O(validation cases × candidates × signals × searches);
 * score = Σ components' score + O(C · nItems · log N) per query; memory = components + evidence
 * (≈ 4 int32 per training event).
 */
import { RecError } from '../../core/errors.js';
import { FUNNEL_STAGES } from '../../data/processing/funnel.js';
import { ItemCfRecommender } from '../collaborative/itemcf/itemcf.js';
import { buildEvidence, packEvidence, unpackEvidence, type EvidenceStore } from '../explain/evidence.js';
import {
  explainItems,
  toApiReason,
  type ApiReason,
  type Explanation,
  type Locale,
  type Labels,
} from '../explain/explain.js';
import type { ModelEntry } from '../registry.js';
import type { FitContext, ModelArtifact, Query, Recommender, TrainData } from '../types.js';
import {
  createComponents,
  fitComponents,
  packComponents,
  unpackComponents,
  type Component,
} from './components.js';
import {
  HybridConfigSchema,
  HybridStaticConfigSchema,
  type ComponentRole,
  type HybridConfig,
} from './config.js';
import { buildFeatures, signalNames, type FeatureOptions, type QueryFeatures } from './features.js';
import {
  N_STAGES,
  effectiveWeights,
  fuseInto,
  gateValue,
  multipliersInto,
  type FusionParams,
} from './fusion.js';
import { innerSplit } from './inner-split.js';
import { labelCases, learnFusion, type LearnReport } from './learn-weights.js';
import { requireFitted } from '../common/fitted.js';

interface Fitted {
  components: Component[];
  params: FusionParams;
  pop: Float32Array;
  evidence: EvidenceStore;
  report: LearnReport | null;
}

export class HybridRecommender implements Recommender {
  readonly capabilities = {
    coldUsers: true,
    coldItems: false,
    sessionInput: true,
    itemToItem: false,
    incremental: false,
  } as const;
  private fitted: Fitted | undefined;
  /**
   * Features of the queries last scored, so that explaining right after scoring (the API's
   * recommend → explain) does not score every component a second time. Keyed by the query
   * object; reset on fit.
   */
  private featureMemo = new WeakMap<Query, QueryFeatures>();

  constructor(
    readonly config: HybridConfig,
    readonly name: string = config.stageWeights ? 'hybrid' : 'hybrid-static',
  ) {
    createComponents(config.components); // validates names and component configs now
  }

  get nItems(): number {
    return this.fitted?.pop.length ?? 0;
  }

  /** What fit learned: inner-validation NDCG@10 (uniform, shared, final) and cases per stage; null when no inner split was possible. */
  get learnReport(): LearnReport | null {
    return this.require().report;
  }

  /**
   * The fitted state (components, fusion parameters, popularity, evidence), read-only, for serving
   * paths built outside this class (`serve-candidates.ts`). Do not mutate.
   */
  get servingState(): Readonly<Fitted> {
    return this.require();
  }

  /** Signal names (components, then `cart`) and the learned weights, one row per funnel stage. */
  weights(): { signals: string[]; stages: number[][]; theta: number[] } {
    const f = this.require();
    const names = signalNames(this.featureOptions(f.components));
    const S = names.length;
    const stages = Array.from({ length: N_STAGES }, (_, s) =>
      Array.from(f.params.weights.subarray(s * S, (s + 1) * S)),
    );
    return { signals: names, stages, theta: Array.from(f.params.theta) };
  }

  /** For the run record: the weights per funnel stage (by name), the gate θ and the inner-validation report. */
  learned(): Record<string, unknown> {
    const w = this.weights();
    return {
      signals: w.signals,
      stageWeights: Object.fromEntries(FUNNEL_STAGES.map((name, s) => [name, w.stages[s]])),
      theta: w.theta,
      inner: this.learnReport,
    };
  }

  async fit(data: TrainData, ctx: FitContext): Promise<void> {
    const c = this.config;
    const comps = createComponents(c.components);
    const split = innerSplit(data, {
      fraction: c.innerValidFraction,
      maxCases: c.maxValidCases,
      perStageCases: c.stageWeights ? c.perStageCases : 0,
      cases: c.innerCases,
      sessionGapMs: c.sessionGapMs,
      funnel: c.funnel,
      rng: ctx.rng.fork(),
    });
    const learnRng = ctx.rng.fork();
    let params: FusionParams;
    let report: LearnReport | null = null;
    const S = comps.length + (this.cartOf(comps) ? 1 : 0);
    if (split && split.cases.length > 0) {
      await fitComponents(comps, split.train, ctx);
      const feats = buildFeatures(
        split.cases.map((x) => x.query),
        this.featureOptions(comps),
      );
      const learned = learnFusion(
        labelCases(
          feats,
          split.cases.map((x) => x.targets),
          split.cases.map((x) => x.natural),
        ),
        this.roles(comps),
        c,
        learnRng,
      );
      params = learned.params;
      report = learned.report;
      ctx.logger?.info?.(
        { model: this.name, innerCases: split.mode, ...report },
        'hybrid: learned fusion weights on the inner validation',
      );
    } else {
      params = { weights: new Float64Array(N_STAGES * S).fill(1 / S), theta: new Float64Array(4) };
    }
    await fitComponents(comps, data, ctx);
    const evidence = buildEvidence(data);
    let max = 0;
    for (const v of evidence.itemCount) max = Math.max(max, v);
    const pop = Float32Array.from(evidence.itemCount, (v) => (max > 0 ? v / max : 0));
    this.fitted = { components: comps, params, pop, evidence, report };
    this.featureMemo = new WeakMap();
  }

  private cartOf(comps: readonly Component[]): ItemCfRecommender | null {
    if (!this.config.cartComplements) return null;
    const cf = comps.find((x) => x.model instanceof ItemCfRecommender);
    return cf ? (cf.model as ItemCfRecommender) : null;
  }

  private featureOptions(comps: readonly Component[]): FeatureOptions {
    return {
      config: this.config,
      nItems: comps[0].model.nItems,
      components: comps,
      cart: this.cartOf(comps),
    };
  }

  private roles(comps: readonly Component[]): ComponentRole[] {
    return [...comps.map((x) => x.role), ...(this.cartOf(comps) ? (['neutral'] as const) : [])];
  }

  private require(): Fitted {
    return requireFitted(this.fitted, this.name);
  }

  /** Features of queries under the fitted components (used by `scoreBatch` and `explain`). */
  features(queries: readonly Query[]): QueryFeatures[] {
    return buildFeatures(queries, this.featureOptions(this.require().components));
  }

  scoreBatch(queries: readonly Query[], out: Float32Array): void {
    const f = this.require();
    const n = f.pop.length;
    const roles = this.roles(f.components);
    const S = roles.length;
    const mult = new Float64Array(S);
    const fused = new Float64Array(n);
    const feats = this.features(queries);
    for (let q = 0; q < queries.length; q++) {
      const x = feats[q];
      this.featureMemo.set(queries[q], x);
      const base = q * n;
      for (let i = 0; i < n; i++) out[base + i] = -10 + f.pop[i];
      multipliersInto(roles, this.config.fusion, gateValue(f.params.theta, x.gateX), mult);
      fuseInto(x, f.params.weights, this.config.stageWeights ? x.stage : 0, mult, fused);
      for (let k = 0; k < x.cands.length; k++) out[base + x.cands[k]] = Math.max(-5, fused[k]);
      if (!this.config.repurchase) for (const b of x.bought) out[base + b] = -Infinity;
    }
  }

  /**
   * A true reason for each of `items` (dense indices) recommended for `query`, from the signal
   * that contributed most to its score, with its evidence; messages in `locale`.
   */
  explain(query: Query, items: readonly number[], locale: Locale = 'en', labels: Labels = {}): Explanation[] {
    const f = this.require();
    const x = this.featureMemo.get(query) ?? this.features([query])[0];
    const roles = this.roles(f.components);
    const eff = effectiveWeights(f.params, x, roles, this.config);
    return explainItems({
      query,
      items,
      locale,
      labels,
      features: x,
      effective: eff,
      signals: signalNames(this.featureOptions(f.components)),
      models: f.components.map((c) => c.model),
      evidence: f.evidence,
    });
  }

  /**
   * The API's optional `explainRecommendations` (src/api/services/reasons.ts), structurally:
   * English message as `text`, reason code as `kind`, the evidence plus `items` (the evidence item,
   * a model index the API maps to an external id) and `source` (the contributing signal).
   */
  explainRecommendations(
    query: Query,
    items: Int32Array,
    opts: { itemLabel?: (item: number) => string; locale?: Locale } = {},
  ): (ApiReason | undefined)[] {
    return this.explain(query, Array.from(items), opts.locale ?? 'en', { item: opts.itemLabel }).map(
      ({ reason }) => toApiReason(reason),
    );
  }

  toArtifact(): ModelArtifact {
    const f = this.require();
    const arrays: ModelArtifact['arrays'] = { weights: f.params.weights, theta: f.params.theta, pop: f.pop };
    const components = packComponents(f.components, arrays);
    packEvidence(f.evidence, arrays);
    return {
      model: this.name,
      config: this.config,
      state: { nItems: f.pop.length, components, report: f.report },
      arrays,
    };
  }

  static fromArtifact(a: ModelArtifact, config: HybridConfig): HybridRecommender {
    const m = new HybridRecommender(config, a.model);
    const weights = a.arrays.weights;
    const theta = a.arrays.theta;
    const pop = a.arrays.pop;
    if (
      !(weights instanceof Float64Array) ||
      !(theta instanceof Float64Array) ||
      !(pop instanceof Float32Array)
    ) {
      throw new RecError(
        'ARTIFACT_INVALID',
        `Hybrid artifact "${a.model}" lacks its weights, gate or popularity`,
      );
    }
    m.fitted = {
      components: unpackComponents(a.state.components, a.arrays),
      params: { weights, theta },
      pop,
      evidence: unpackEvidence(a.arrays),
      report: (a.state.report as LearnReport | null) ?? null,
    };
    return m;
  }
}

/** Registry entry `hybrid`: per-stage learned weights (wired into `registry.ts` by the lead). */
export const hybridEntry: ModelEntry = {
  name: 'hybrid',
  family: 'hybrid',
  description:
    'Funnel-aware hybrid: per-funnel-stage weights learned on an inner validation, session/history gate, cart complements, explanations',
  planted: 'groups',
  configSchema: HybridConfigSchema,
  create: (c) => new HybridRecommender(c as HybridConfig, 'hybrid'),
  fromArtifact: (a, c) => HybridRecommender.fromArtifact(a, c as HybridConfig),
};

/** Registry entry `hybrid-static`: the same hybrid with one weight set for every stage. */
export const hybridStaticEntry: ModelEntry = {
  name: 'hybrid-static',
  family: 'hybrid',
  description:
    'Hybrid with one learned weight set for all funnel stages (the comparison for per-stage weights)',
  planted: 'groups',
  configSchema: HybridStaticConfigSchema,
  create: (c) => new HybridRecommender(c as HybridConfig, 'hybrid-static'),
  fromArtifact: (a, c) => HybridRecommender.fromArtifact(a, c as HybridConfig),
};
