/**
 * Ablation study of the Funnel-Aware Hybrid, in the structure of the original study: the full
 * hybrid; without ALS; without session models; without content (Item2Vec); static weights instead
 * of per-stage weights; without explanations. Each variant is a registry model with a config
 * derived from the base hybrid config (the variant table below is the one place of that mapping);
 * every measured variant is evaluated on the same cases and compared with the full hybrid by
 * paired tests (`compareModels`: t-test, Holm across variants, bootstrap CI, Cohen's d_z).
 *
 * Honesty rules: a variant that cannot differ from the full model (its component is not in the
 * hybrid) is reported as skipped, not as a zero effect; "without explanations" is not retrained —
 * the hybrid's ranking never reads its explanations (they are computed after ranking, `explain()`),
 * so the row carries the full hybrid's metric unchanged and says so. An optional `posthocCheck`
 * verifies that claim on real queries.
 *
 * Training and evaluating is injected (`run`), so this module stays below `training/`.
 */
import { RecError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { DEFAULT_COMPONENTS, type ComponentSpec } from '../models/hybrid/config.js';
import { compareModels, type ComparisonRow } from './compare.js';
import type { EvalResult } from './evaluator.js';
import type { Query } from '../models/types.js';
import type { Scorer } from './types.js';

export const ABLATION_RECORD_VERSION = 1;

/** A model to train: registry name and config override (the shape `runExperiment` takes). */
export interface AblationModelSpec {
  name: string;
  config: Record<string, unknown>;
}

/** One row of the variant table: how a variant is derived from the base hybrid config. */
export interface AblationVariantDef {
  readonly id: string;
  readonly label: string;
  /** Registry model of the variant. */
  readonly model: string;
  /** Component names (registry names) removed from the base hybrid's components. */
  readonly dropComponents?: readonly string[];
  /** Keys set on top of the base config. */
  readonly override?: Readonly<Record<string, unknown>>;
  /** Not a model of its own: reported from the full hybrid's ranking with this note. */
  readonly posthoc?: string;
}

/** The study's variants, in report order; `full` first (the baseline of every comparison). */
export const ABLATION_TABLE: readonly AblationVariantDef[] = [
  { id: 'full', label: 'full hybrid', model: 'hybrid' },
  { id: 'no-als', label: 'without ALS', model: 'hybrid', dropComponents: ['als'] },
  {
    id: 'no-session',
    label: 'without session models',
    model: 'hybrid',
    dropComponents: ['sknn', 'vsknn', 'gru4rec', 'sasrec'],
  },
  { id: 'no-content', label: 'without content (Item2Vec)', model: 'hybrid', dropComponents: ['item2vec'] },
  { id: 'static-weights', label: 'static weights (one set for all stages)', model: 'hybrid-static' },
  {
    id: 'no-explanations',
    label: 'without explanations',
    model: 'hybrid',
    posthoc: 'no ranking change (explanations are post-hoc)',
  },
];

/** A variant resolved against a base config: what to train, or why nothing is trained. */
export interface AblationVariant {
  readonly id: string;
  readonly label: string;
  readonly model: string;
  /** The config override to train with; null for post-hoc and skipped variants. */
  readonly config: Record<string, unknown> | null;
  readonly kind: 'measured' | 'posthoc' | 'skipped';
  readonly note?: string;
}

/**
 * Resolves the variant table against `base` (the hybrid config override in use, e.g. `{}` or
 * `{ components: [...] }`). Dropping a component the base does not have, or every component, makes
 * the variant `skipped` with the reason.
 */
export function ablationVariants(
  base: Readonly<Record<string, unknown>> = {},
  table: readonly AblationVariantDef[] = ABLATION_TABLE,
): AblationVariant[] {
  const components = (base.components as ComponentSpec[] | undefined) ?? DEFAULT_COMPONENTS;
  return table.map((d): AblationVariant => {
    const head = { id: d.id, label: d.label, model: d.model };
    if (d.posthoc) return { ...head, config: null, kind: 'posthoc', note: d.posthoc };
    const config: Record<string, unknown> = { ...base, ...d.override };
    if (d.dropComponents) {
      const kept = components.filter((c) => !d.dropComponents!.includes(c.name));
      const names = d.dropComponents.join(', ');
      if (kept.length === components.length)
        return {
          ...head,
          config: null,
          kind: 'skipped',
          note: `the hybrid has no ${names} component (components: ${components.map((c) => c.name).join(', ')})`,
        };
      if (kept.length === 0)
        return { ...head, config: null, kind: 'skipped', note: `removing ${names} leaves no component` };
      config.components = kept;
    }
    return { ...head, config, kind: 'measured' };
  });
}

/** One metric of one variant against the full hybrid (null where nothing was measured). */
export interface AblationCell {
  readonly value: number | null;
  readonly diff: number | null;
  readonly relativeDiff: number | null;
  readonly p: number | null;
  readonly pHolm: number | null;
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  readonly effectSize: number | null;
  readonly marker: string;
}

export interface AblationRow {
  readonly id: string;
  readonly label: string;
  readonly model: string;
  readonly config: Record<string, unknown> | null;
  readonly kind: 'baseline' | 'measured' | 'posthoc' | 'skipped';
  readonly note?: string;
  /** Keyed by metric (`ndcg@10`, …). */
  readonly metrics: Readonly<Record<string, AblationCell>>;
  /** Primary metric per funnel stage (`stage=…` groups), when the cases carry stages. */
  readonly stages: Readonly<Record<string, number>>;
}

/** The ablation as stored in a run record (`record.ablation`) and read by the report. */
export interface AblationResult {
  readonly version: number;
  /** The headline metric (first of `metrics`). */
  readonly metric: string;
  readonly metrics: readonly string[];
  readonly baseline: string;
  readonly nCases: number;
  readonly rows: readonly AblationRow[];
  /** How significance was computed. */
  readonly method: string;
}

export interface PosthocCheck {
  /** Queries whose scores were compared before and after explaining. */
  readonly queries: number;
  readonly identical: boolean;
}

export interface AblationOptions {
  /**
   * Trains and evaluates `specs` on one stage's cases (the same cases for all), returning one
   * result per spec in order. The CLI passes `runExperiment`.
   */
  run(specs: AblationModelSpec[]): Promise<readonly EvalResult[]>;
  /** Base hybrid config override; default `{}` (registry defaults). */
  base?: Record<string, unknown>;
  /** Variant table; default {@link ABLATION_TABLE}. */
  table?: readonly AblationVariantDef[];
  /** Metrics, headline first; default `['ndcg@10', 'hr@20']` (those present in the results). */
  metrics?: string[];
  rng: Rng;
  bootstrap?: number;
  /** Verifies on real queries that explaining leaves the full model's scores unchanged. */
  posthocCheck?: () => Promise<PosthocCheck>;
}

/** Runs the measured variants (full hybrid first) and summarises them; see the module comment. */
export async function runAblation(
  opts: AblationOptions,
): Promise<{ ablation: AblationResult; results: readonly EvalResult[]; variants: AblationVariant[] }> {
  const variants = ablationVariants(opts.base ?? {}, opts.table);
  const measured = variants.filter((v) => v.kind === 'measured');
  if (measured.length === 0 || measured[0].id !== variants[0].id)
    throw new RecError(
      'USAGE',
      `The first ablation variant must be measured (it is the baseline); got ${variants[0]?.id ?? 'none'}`,
    );
  const results = await opts.run(measured.map((v) => ({ name: v.model, config: v.config! })));
  if (results.length !== measured.length)
    throw new RecError(
      'USAGE',
      `The ablation runner returned ${results.length} results for ${measured.length} variants`,
    );
  const check =
    opts.posthocCheck && variants.some((v) => v.kind === 'posthoc') ? await opts.posthocCheck() : undefined;
  if (check && !check.identical)
    throw new RecError(
      'NUMERIC',
      `Explaining changed the full hybrid's scores on ${check.queries} checked queries: explanations are not post-hoc, so "without explanations" needs a model of its own`,
    );
  const ablation = summarizeAblation(variants, results, {
    metrics: opts.metrics,
    rng: opts.rng,
    bootstrap: opts.bootstrap,
    posthocCheck: check,
  });
  return { ablation, results, variants };
}

const EMPTY: AblationCell = {
  value: null,
  diff: null,
  relativeDiff: null,
  p: null,
  pHolm: null,
  ciLow: null,
  ciHigh: null,
  effectSize: null,
  marker: '',
};

function fromComparison(r: ComparisonRow): AblationCell {
  const num = (v: number): number | null => (Number.isFinite(v) ? v : null);
  return {
    value: r.mean,
    diff: r.diff,
    relativeDiff: num(r.relativeDiff),
    p: r.p,
    pHolm: r.pHolm,
    ciLow: r.ciLow,
    ciHigh: r.ciHigh,
    effectSize: num(r.effectSize),
    marker: r.marker,
  };
}

function stagesOf(r: EvalResult, metric: string): Record<string, number> {
  return Object.fromEntries(
    r.groups.filter((g) => g.key === 'stage' && metric in g.mean).map((g) => [g.value, g.mean[metric]]),
  );
}

/**
 * Pure summary: `results[i]` belongs to the i-th measured variant (the full hybrid first).
 * Comparison rows come from `compareModels` with the full hybrid as baseline.
 */
export function summarizeAblation(
  variants: readonly AblationVariant[],
  results: readonly EvalResult[],
  opts: { metrics?: string[]; rng: Rng; bootstrap?: number; posthocCheck?: PosthocCheck },
): AblationResult {
  const full = results[0];
  const metrics = (opts.metrics ?? ['ndcg@10', 'hr@20']).filter((m) => full.perCase.has(m));
  if (metrics.length === 0)
    throw new RecError(
      'USAGE',
      `None of the ablation metrics is in the results; available: ${[...full.perCase.keys()].join(', ')}`,
    );
  const comparison =
    results.length > 1 ? compareModels(results, { metrics, rng: opts.rng, bootstrap: opts.bootstrap }) : [];
  const fullCells = Object.fromEntries(metrics.map((m) => [m, { ...EMPTY, value: full.mean[m] }]));
  let measured = 0;
  const rows = variants.map((v): AblationRow => {
    const head = { id: v.id, label: v.label, model: v.model, config: v.config, note: v.note };
    if (v.kind === 'skipped')
      return {
        ...head,
        kind: 'skipped',
        metrics: Object.fromEntries(metrics.map((m) => [m, EMPTY])),
        stages: {},
      };
    if (v.kind === 'posthoc') {
      const verified = opts.posthocCheck
        ? `; verified: scores identical before and after explaining on ${opts.posthocCheck.queries} queries`
        : '';
      const cells = Object.fromEntries(
        metrics.map((m) => [m, { ...EMPTY, value: full.mean[m], diff: 0, relativeDiff: 0 }]),
      );
      return {
        ...head,
        note: `${v.note}${verified}`,
        kind: 'posthoc',
        metrics: cells,
        stages: stagesOf(full, metrics[0]),
      };
    }
    const i = measured++;
    const r = results[i];
    if (i === 0) return { ...head, kind: 'baseline', metrics: fullCells, stages: stagesOf(r, metrics[0]) };
    const cells = Object.fromEntries(
      metrics.map((m, k) => [m, fromComparison(comparison[(i - 1) * metrics.length + k])]),
    );
    return { ...head, kind: 'measured', metrics: cells, stages: stagesOf(r, metrics[0]) };
  });
  return {
    version: ABLATION_RECORD_VERSION,
    metric: metrics[0],
    metrics,
    baseline: variants[0].label,
    nCases: full.nCases,
    rows,
    method:
      'Paired t-test against the full hybrid on the same cases, Holm-corrected across variants; 95% bootstrap CI of the difference; Cohen’s d_z',
  };
}

/** A scorer that can explain its recommendations (the hybrid). */
export interface ExplainingScorer extends Scorer {
  explain(query: Query, items: readonly number[]): unknown;
}

/**
 * Checks that explaining is post-hoc: scores `queries`, explains each query's top `k` items, scores
 * again, and compares the two score arrays bit for bit. Cost: two `scoreBatch` calls over
 * `queries.length × nItems` floats plus the explanations.
 */
export function checkPosthoc(model: ExplainingScorer, queries: readonly Query[], k = 10): PosthocCheck {
  const n = model.nItems;
  const before = new Float32Array(queries.length * n);
  model.scoreBatch(queries, before);
  queries.forEach((q, i) => model.explain(q, topIndices(before.subarray(i * n, (i + 1) * n), k)));
  const after = new Float32Array(queries.length * n);
  model.scoreBatch(queries, after);
  const a = new Uint32Array(before.buffer);
  const b = new Uint32Array(after.buffer);
  let identical = true;
  for (let i = 0; i < a.length && identical; i++) identical = a[i] === b[i];
  return { queries: queries.length, identical };
}

/** Indices of the `k` largest finite scores, best first (ties by lower index). */
function topIndices(scores: Float32Array, k: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (Number.isFinite(scores[i])) idx.push(i);
  idx.sort((x, y) => scores[y] - scores[x] || x - y);
  return idx.slice(0, k);
}
