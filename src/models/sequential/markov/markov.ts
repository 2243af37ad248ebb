/**
 * Markov-style next-item baselines: the first-order Markov chain (MC) and Sequential Rules (SR,
 * Ludewig & Jannach 2018, "Evaluation of session-based recommendation algorithms", UMUAI §3.1).
 * The baselines every session-based table reports beside session-kNN and the neural models.
 *
 * fit: inside every training session, each event at position p adds a rule from the item at p − d
 * to the item at p for d = 1 .. `steps`, with weight 1/d (`weighting: 'div'`), 1 − (d−1)/steps
 * (`linear`) or 1 (`one`); rules from an item to itself are kept unless `selfRules: false`, and no
 * rule crosses a session boundary. `steps: 1` is the first-order Markov chain (transition counts), the default; SR uses
 * `steps: 10`. Rules are kept as a sparse item × item matrix (summed weights).
 *
 * score: rule weights out of the current session's last `context` known items (the last one
 * weighted 1, the one before ½, …; `context: 1` = the last item only, as in SR), plus
 * `popularityTieBreak` · (events of the item) so that items without a rule, and empty queries,
 * follow popularity.
 *
 * Cost: fit O(events · steps) time, O(distinct rules) memory; score O(Σ rules out of the context
 * items + nItems) per query.
 */
import { z } from 'zod';
import { RecError } from '../../../core/errors.js';
import { buildCsr, type Csr } from '../../common/csr.js';
import { requireFitted } from '../../common/fitted.js';
import type { ModelEntry } from '../../registry.js';
import type { FitContext, ModelArtifact, Query, Recommender, TrainData } from '../../types.js';

export const MarkovConfigSchema = z
  .object({
    /** Rule distance: 1 = first-order Markov chain; SR uses 10. */
    steps: z.number().int().min(1).max(100).default(1),
    /** Weight of a rule at distance d: `div` 1/d, `linear` 1 − (d−1)/steps, `one` 1. */
    weighting: z.enum(['div', 'linear', 'one']).default('div'),
    /** Session items (from the end) the rules are read from; item j from the end weighs 1/(j+1). */
    context: z.number().int().min(1).max(100).default(1),
    /**
     * Keep rules from an item to itself (repeated events on one item, e.g. view then add-to-cart):
     * the chain's own transitions, and a strong signal on RetailRocket sessions, where a large share
     * of next items repeat one of the session (P2 validation HR@20: 35.2 % with, 21.1 % without).
     */
    selfRules: z.boolean().default(true),
    popularityTieBreak: z.number().min(0).default(1e-6),
  })
  .strict();
export type MarkovConfig = z.infer<typeof MarkovConfigSchema>;

interface MarkovState {
  rules: Csr;
  /** Training events per item. */
  pop: Float32Array;
}

/** Weight of a rule at distance d (1 ≤ d ≤ steps). */
export function ruleWeight(d: number, cfg: Pick<MarkovConfig, 'steps' | 'weighting'>): number {
  if (cfg.weighting === 'div') return 1 / d;
  if (cfg.weighting === 'linear') return 1 - (d - 1) / cfg.steps;
  return 1;
}

/** The rule matrix and item popularity of the training sessions (see the header). */
export function buildRules(data: TrainData, cfg: MarkovConfig): MarkovState {
  const { offsets, rows } = data.sessions;
  const item = data.events.item;
  const src: number[] = [];
  const dst: number[] = [];
  const val: number[] = [];
  const pop = new Float32Array(data.nItems);
  for (let s = 0; s + 1 < offsets.length; s++) {
    const r0 = offsets[s];
    const r1 = offsets[s + 1];
    for (let p = r0; p < r1; p++) {
      const to = item[rows[p]];
      pop[to]++;
      for (let d = 1; d <= cfg.steps && p - d >= r0; d++) {
        const from = item[rows[p - d]];
        if (from === to && !cfg.selfRules) continue;
        src.push(from);
        dst.push(to);
        val.push(ruleWeight(d, cfg));
      }
    }
  }
  return { rules: buildCsr(src, dst, val, data.nItems, data.nItems), pop };
}

export class MarkovRecommender implements Recommender {
  readonly capabilities = {
    coldUsers: true,
    coldItems: false,
    sessionInput: true,
    itemToItem: true,
    incremental: false,
  } as const;
  private state: MarkovState | undefined;

  constructor(
    readonly config: MarkovConfig,
    readonly name = 'markov',
  ) {}

  get nItems(): number {
    return this.state?.pop.length ?? 0;
  }

  async fit(data: TrainData, _ctx: FitContext): Promise<void> {
    this.state = buildRules(data, this.config);
  }

  scoreBatch(queries: readonly Query[], out: Float32Array): void {
    const { rules, pop } = requireFitted(this.state, this.name);
    const n = pop.length;
    const tie = this.config.popularityTieBreak;
    for (let q = 0; q < queries.length; q++) {
      const row = out.subarray(q * n, (q + 1) * n);
      for (let i = 0; i < n; i++) row[i] = tie * pop[i];
      const context = contextItems(queries[q], n, this.config.context);
      for (let j = 0; j < context.length; j++) {
        const it = context[j];
        const w = 1 / (j + 1);
        for (let t = rules.indptr[it]; t < rules.indptr[it + 1]; t++)
          row[rules.indices[t]] += w * rules.data[t];
      }
    }
  }

  /** Rules out of `item`, strongest first (for explanations: "often viewed next"). */
  next(item: number, limit = 20): { item: number; weight: number }[] {
    const { rules } = requireFitted(this.state, this.name);
    const out: { item: number; weight: number }[] = [];
    for (let t = rules.indptr[item]; t < rules.indptr[item + 1]; t++)
      out.push({ item: rules.indices[t], weight: rules.data[t] });
    return out.sort((a, b) => b.weight - a.weight || a.item - b.item).slice(0, limit);
  }

  toArtifact(): ModelArtifact {
    const { rules, pop } = requireFitted(this.state, this.name);
    return {
      model: this.name,
      config: this.config,
      state: { nItems: pop.length },
      arrays: { indptr: rules.indptr, indices: rules.indices, data: rules.data, pop },
    };
  }

  static fromArtifact(a: ModelArtifact, config: MarkovConfig): MarkovRecommender {
    const m = new MarkovRecommender(config, a.model);
    const n = Number(a.state.nItems);
    const { indptr, indices, data, pop } = a.arrays;
    if (!indptr || !indices || !data || !pop || indptr.length !== n + 1 || pop.length !== n)
      throw new RecError(
        'ARTIFACT_INVALID',
        `Markov artifact "${a.model}" lacks its rule matrix or popularity`,
      );
    m.state = {
      rules: {
        nRows: n,
        nCols: n,
        indptr: indptr as Int32Array,
        indices: indices as Int32Array,
        data: data as Float32Array,
      },
      pop: pop as Float32Array,
    };
    return m;
  }
}

/** The last `max` known items of the query's current session (whole history if it has none), newest first. */
function contextItems(q: Query, nItems: number, max: number): number[] {
  const from = q.sessionStart > 0 && q.sessionStart < q.items.length ? q.sessionStart : 0;
  const out: number[] = [];
  for (let j = q.items.length - 1; j >= from && out.length < max; j--) {
    const it = q.items[j];
    if (it >= 0 && it < nItems) out.push(it);
  }
  return out;
}

/** Registry entry `markov`: first-order Markov chain; `steps: 10` gives Sequential Rules (SR). */
export const markovEntry: ModelEntry = {
  name: 'markov',
  family: 'sequential',
  description:
    'Markov chain / Sequential Rules: items that followed the session’s last item in training sessions',
  planted: 'groups',
  configSchema: MarkovConfigSchema,
  create: (c) => new MarkovRecommender(c as MarkovConfig),
  fromArtifact: (a, c) => MarkovRecommender.fromArtifact(a, c as MarkovConfig),
};
