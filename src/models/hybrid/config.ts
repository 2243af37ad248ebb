/**
 * Config of the Funnel-Aware Hybrid (`hybrid`, `hybrid-static`). Components are registry models
 * named with their own configs; the fusion, candidate generation and weight-learning knobs are
 * documented field by field. Unknown keys are errors (also inside a component spec).
 */
import { z } from 'zod';
import { DEFAULT_SESSION_GAP_MS } from '../../data/processing/sessions.js';
import { FunnelConfigSchema } from '../../data/processing/funnel.js';

/**
 * Role of a component in the session + history fusion: `history` (long-term preference, e.g. ALS),
 * `session` (short-term context, e.g. session-kNN, Item2Vec) or `neutral` (popularity, Item-CF,
 * cart complements: not gated).
 */
export const ComponentRoleSchema = z.enum(['history', 'session', 'neutral']);
export type ComponentRole = z.infer<typeof ComponentRoleSchema>;

export const ComponentSpecSchema = z
  .object({
    /** Registry name of the component model. */
    name: z.string().min(1),
    /** The component's own config (validated by its schema when the hybrid is created). */
    config: z.record(z.string(), z.unknown()).default({}),
    /** Fusion role; default from the model name (see `defaultRole`). */
    role: ComponentRoleSchema.optional(),
  })
  .strict();
export type ComponentSpec = z.infer<typeof ComponentSpecSchema>;

/**
 * Default component set: popularity in the user's categories, recent ("trending") popularity with
 * a 2-day half-life, ALS, Item-CF, session-kNN, Item2Vec. The trending signal was added after the
 * P1 VALIDATION stage of `full` showed that cold users (92 % of its cases) are ranked better by it
 * and that the static row cannot use it without hurting the others (bench/hybrid/RESULTS.md).
 */
export const DEFAULT_COMPONENTS: ComponentSpec[] = [
  { name: 'popular-category', config: {} },
  { name: 'popular-decay', config: { halfLifeDays: 2 } },
  { name: 'als', config: {} },
  { name: 'itemcf', config: {} },
  { name: 'sknn', config: {} },
  { name: 'item2vec', config: {} },
];

export function hybridConfigSchema(defaults: { stageWeights: boolean }) {
  return z
    .object({
      components: z.array(ComponentSpecSchema).min(1).default(DEFAULT_COMPONENTS),
      /** Candidates taken from each component's top list (their union is scored). */
      candidatesPerComponent: z.number().int().min(1).max(10_000).default(100),
      /**
       * Per-query normalisation of each component's scores: `rank` (1 − rank/N inside the
       * component's top N, 0 outside — robust to the very different score scales), `minmax` or
       * `zscore` (clipped to ±3) over the candidate union. Default `minmax`: chosen on the P1
       * VALIDATION stage of the small synthetic set (`npx tsx bench/hybrid/select.ts`: NDCG@10
       * rank 7.430 %, minmax 7.847 %, zscore 7.749 %; minmax vs rank Holm p 2.8e-11).
       */
      normalisation: z.enum(['rank', 'minmax', 'zscore']).default('minmax'),
      /** One learned weight vector per funnel stage (`hybrid`) or one for all (`hybrid-static`). */
      stageWeights: z.boolean().default(defaults.stageWeights),
      /**
       * Session + history fusion: `gate` (learned logistic gate γ(q) on session length, history
       * length and time since the last event: session components × γ, history components × 1 − γ),
       * `session-only` (history components off), `history-only` (session components off) or
       * `none` (no gate: every component weighted by its learned weight alone).
       */
      fusion: z.enum(['gate', 'session-only', 'history-only', 'none']).default('gate'),
      /** Adds the derived "cart complements" component (co-purchase partners of cart/bought items). */
      cartComplements: z.boolean().default(true),
      /** Allow items the user already bought to be recommended again. */
      repurchase: z.boolean().default(false),
      /** Last fraction of the training time span held out to learn the weights. */
      innerValidFraction: z.number().gt(0).lt(1).default(0.1),
      /** Inner validation cases sampled (seeded) for weight learning: the natural sample. */
      maxValidCases: z.number().int().min(1).default(3000),
      /**
       * Per-stage weights only: each funnel stage is topped up with further seeded inner
       * validation users of that stage up to this many cases (0 = natural sample only), so that
       * rare stages can learn their own row. The shared row and the gate use the natural sample.
       * Default 1000, chosen on the P1 VALIDATION stage of `full` with the default components
       * (`bench/hybrid/design.ts`: 3.643 vs 3.581 % NDCG@10 for the natural sample; static 3.439 %).
       * Without the trending component it had not helped (3.507 vs 3.587 %); bench/hybrid/RESULTS.md.
       */
      perStageCases: z.number().int().min(0).default(1000),
      /**
       * How inner validation cases are built: `users` (P1-style: history before the inner cut →
       * items after it), `sessions` (P2-style: session prefix → next item) or `auto` (`sessions`
       * when the users are anonymous sessions, see `inner-split.ts`).
       */
      innerCases: z.enum(['auto', 'users', 'sessions']).default('auto'),
      /** A stage needs this many inner validation cases to get its own weights (else the shared ones). */
      minStageCases: z.number().int().min(1).default(50),
      /** Random points of the simplex tried before coordinate ascent. */
      randomStarts: z.number().int().min(0).default(16),
      /** Coordinate-ascent passes over the weights (each stops early without improvement). */
      searchRounds: z.number().int().min(1).default(4),
      funnel: FunnelConfigSchema.default({
        convertedWindowMs: 7 * 86_400_000,
        intentWindowMs: 3 * 86_400_000,
      }),
      /** Inactivity gap that starts a new session in the inner validation histories. */
      sessionGapMs: z.number().positive().default(DEFAULT_SESSION_GAP_MS),
    })
    .strict();
}
export const HybridConfigSchema = hybridConfigSchema({ stageWeights: true });
export const HybridStaticConfigSchema = hybridConfigSchema({ stageWeights: false });
export type HybridConfig = z.infer<typeof HybridConfigSchema>;

/** Default fusion role of a registry model. */
export function defaultRole(name: string): ComponentRole {
  if (['als', 'bpr', 'usercf', 'ncf', 'two-tower'].includes(name)) return 'history';
  if (['sknn', 'vsknn', 'gru4rec', 'sasrec', 'item2vec'].includes(name)) return 'session';
  return 'neutral';
}
