/**
 * Model comparison on the same evaluation cases: for each model against a baseline and each metric,
 * the means, the paired difference, its t-test p-value, the Holm-adjusted p-value (across the models
 * compared with the baseline, per metric), a bootstrap CI of the difference and Cohen's d_z.
 * Plain data: the CLI formats the table.
 */
import { RecError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { EvalResult } from './evaluator.js';
import {
  type ConfidenceInterval,
  bootstrapMeanCis,
  cohensDPaired,
  holm,
  pairedTTest,
} from './significance.js';

export interface CompareOptions {
  /** Index of the baseline in `results`; default 0. */
  baseline?: number;
  /** Metric keys present in every result's `perCase`, e.g. ['ndcg@10', 'hr@20']. */
  metrics: string[];
  /** Seeded generator for the bootstrap (one shared set of case resamples for all models and metrics). */
  rng: Rng;
  /** Bootstrap resamples; default 2,000. */
  bootstrap?: number;
  /** Family-wise significance level for `significant`; default 0.05. */
  alpha?: number;
  /** Confidence level of the bootstrap interval; default 0.95. */
  level?: number;
}

/** `***` for Holm-adjusted p < 0.001, `**` < 0.01, `*` < 0.05, otherwise empty. */
export type SignificanceMarker = '' | '*' | '**' | '***';

export interface ComparisonRow {
  readonly model: string;
  readonly baseline: string;
  readonly metric: string;
  readonly nCases: number;
  readonly mean: number;
  readonly baselineMean: number;
  /** mean − baselineMean (= mean of the paired differences). */
  readonly diff: number;
  /** diff / baselineMean (NaN when the baseline mean is 0). */
  readonly relativeDiff: number;
  readonly t: number;
  /** Two-sided paired t-test p-value. */
  readonly p: number;
  /** Holm-adjusted p over all models compared with the baseline on this metric. */
  readonly pHolm: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly ciLevel: number;
  /** Cohen's d for paired samples, mean(d)/sd(d). */
  readonly effectSize: number;
  /** pHolm < alpha. */
  readonly significant: boolean;
  readonly marker: SignificanceMarker;
}

export function significanceMarker(p: number): SignificanceMarker {
  return p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : '';
}

function check(results: readonly EvalResult[], base: number, metrics: readonly string[]): void {
  if (results.length < 2)
    throw new RecError('USAGE', `compareModels needs at least two results, got ${results.length}`);
  if (!Number.isInteger(base) || base < 0 || base >= results.length) {
    throw new RecError('USAGE', `Baseline index ${base} is out of range for ${results.length} results`);
  }
  if (metrics.length === 0)
    throw new RecError('USAGE', 'compareModels needs at least one metric, e.g. ndcg@10');
  const ref = results[base];
  if (ref.nCases < 2)
    throw new RecError('USAGE', `Paired comparisons need at least 2 cases, got ${ref.nCases}`);
  for (const r of results) {
    if (r.nCases !== ref.nCases || r.casesFingerprint !== ref.casesFingerprint) {
      throw new RecError(
        'USAGE',
        `Results of ${r.model} and ${ref.model} were computed on different cases (${r.nCases} vs ${ref.nCases} cases, fingerprints ${r.casesFingerprint} vs ${ref.casesFingerprint}); evaluate both models on the same cases`,
      );
    }
    for (const m of metrics) {
      if (!r.perCase.has(m)) {
        throw new RecError(
          'USAGE',
          `Metric ${m} is missing from the result of ${r.model}; available: ${[...r.perCase.keys()].join(', ')}`,
        );
      }
    }
  }
}

function mean(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/**
 * Compares every result with the baseline on each metric. Rows are ordered by model (input order,
 * baseline skipped), then metric (option order).
 *
 * @throws RecError USAGE when results come from different cases, a metric is missing, or fewer than
 *   two results / cases are given.
 */
export function compareModels(results: readonly EvalResult[], opts: CompareOptions): ComparisonRow[] {
  const base = opts.baseline ?? 0;
  check(results, base, opts.metrics);
  const alpha = opts.alpha ?? 0.05;
  const level = opts.level ?? 0.95;
  const baseline = results[base];
  const others = results.map((_, i) => i).filter((i) => i !== base);

  type Partial = Omit<ComparisonRow, 'pHolm' | 'significant' | 'marker' | 'ciLow' | 'ciHigh'>;
  const partial: Partial[][] = others.map((i) =>
    opts.metrics.map((metric) => {
      const a = results[i].perCase.get(metric)!;
      const b = baseline.perCase.get(metric)!;
      const tt = pairedTTest(a, b);
      const meanA = mean(a);
      const meanB = mean(b);
      return {
        model: results[i].model,
        baseline: baseline.model,
        metric,
        nCases: a.length,
        mean: meanA,
        baselineMean: meanB,
        diff: tt.meanDiff,
        relativeDiff: meanB !== 0 ? tt.meanDiff / meanB : NaN,
        t: tt.t,
        p: tt.p,
        ciLevel: level,
        effectSize: cohensDPaired(a, b),
      };
    }),
  );
  const cis = pairedBootstrap(results, others, base, opts, level);

  // Holm across the compared models, separately for each metric.
  const adjusted = opts.metrics.map((_, m) => holm(partial.map((rows) => rows[m].p)));
  return partial.flatMap((rows, o) =>
    rows.map((row, m) => {
      const pHolm = adjusted[m][o];
      const ci = cis[o * opts.metrics.length + m];
      return {
        ...row,
        ciLow: ci.low,
        ciHigh: ci.high,
        pHolm,
        significant: pHolm < alpha,
        marker: significanceMarker(pHolm),
      };
    }),
  );
}

/**
 * Bootstrap CIs of every (model, metric) paired difference with one shared set of case resamples
 * (column o · |metrics| + m of the row-major difference matrix).
 */
function pairedBootstrap(
  results: readonly EvalResult[],
  others: readonly number[],
  base: number,
  opts: CompareOptions,
  level: number,
): ConfidenceInterval[] {
  const n = results[base].nCases;
  const dims = others.length * opts.metrics.length;
  const diffs = new Float64Array(n * dims);
  others.forEach((model, o) =>
    opts.metrics.forEach((metric, m) => {
      const a = results[model].perCase.get(metric)!;
      const b = results[base].perCase.get(metric)!;
      const k = o * opts.metrics.length + m;
      for (let i = 0; i < n; i++) diffs[i * dims + k] = a[i] - b[i];
    }),
  );
  return bootstrapMeanCis(diffs, n, dims, { rng: opts.rng.fork(), resamples: opts.bootstrap, level });
}
