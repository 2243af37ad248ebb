/**
 * Paired significance tests for model comparisons on the same evaluation cases: the paired t-test,
 * a percentile bootstrap confidence interval of the mean paired difference, the Holm–Bonferroni
 * step-down correction, and Cohen's d for paired samples (d_z).
 *
 * All functions take the per-case values of two models in the same case order (`a[i]` and `b[i]`
 * belong to case i) and look at the differences d_i = a_i − b_i.
 */
import { RecError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { studentTTwoSidedP } from './stats/special.js';

type Values = ArrayLike<number>;

export interface PairedTTest {
  readonly n: number;
  /** Mean of a − b. */
  readonly meanDiff: number;
  /** Sample standard deviation of a − b (n − 1 in the denominator). */
  readonly sdDiff: number;
  /** Standard error of the mean difference, sd / √n. */
  readonly se: number;
  readonly t: number;
  readonly df: number;
  /** Two-sided p-value. */
  readonly p: number;
}

function differences(a: Values, b: Values, min: number): Float64Array {
  if (a.length !== b.length) {
    throw new RecError(
      'USAGE',
      `Paired samples must have the same length (one value per case), got ${a.length} and ${b.length}`,
    );
  }
  if (a.length < min) throw new RecError('USAGE', `Paired test needs at least ${min} pairs, got ${a.length}`);
  const d = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    d[i] = a[i] - b[i];
    if (Number.isNaN(d[i])) throw new RecError('NUMERIC', `Paired value ${i} is NaN`);
  }
  return d;
}

/** Mean and sample standard deviation (two-pass, numerically stable). */
function meanSd(d: Float64Array): { mean: number; sd: number } {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i];
  const mean = s / d.length;
  let ss = 0;
  for (let i = 0; i < d.length; i++) ss += (d[i] - mean) * (d[i] - mean);
  return { mean, sd: Math.sqrt(ss / (d.length - 1)) };
}

/**
 * Paired t-test of H0: E[a − b] = 0. t = mean(d) / (sd(d) / √n), df = n − 1, two-sided p from the
 * Student t distribution. When every difference is equal (sd = 0): t = 0 and p = 1 if they are all
 * 0, otherwise t = ±Infinity and p = 0 (a constant non-zero difference).
 */
export function pairedTTest(a: Values, b: Values): PairedTTest {
  const d = differences(a, b, 2);
  const n = d.length;
  const { mean, sd } = meanSd(d);
  const se = sd / Math.sqrt(n);
  // Differences equal up to rounding count as constant.
  const constant = sd <= 1e-12 * Math.max(1, Math.abs(mean));
  let t: number;
  if (constant) t = mean === 0 ? 0 : mean > 0 ? Infinity : -Infinity;
  else t = mean / se;
  const p = constant && mean === 0 ? 1 : studentTTwoSidedP(t, n - 1);
  return { n, meanDiff: mean, sdDiff: sd, se, t, df: n - 1, p };
}

/**
 * Cohen's d for paired samples, d_z = mean(a − b) / sd(a − b). 0 when all differences are 0;
 * ±Infinity for a constant non-zero difference.
 */
export function cohensDPaired(a: Values, b: Values): number {
  const { mean, sd } = meanSd(differences(a, b, 2));
  if (sd <= 1e-12 * Math.max(1, Math.abs(mean))) return mean === 0 ? 0 : mean > 0 ? Infinity : -Infinity;
  return mean / sd;
}

export interface BootstrapOptions {
  readonly rng: Rng;
  /** Number of bootstrap resamples; default 2,000. */
  readonly resamples?: number;
  /** Confidence level; default 0.95. */
  readonly level?: number;
}

export interface ConfidenceInterval {
  /** The observed mean difference. */
  readonly mean: number;
  readonly low: number;
  readonly high: number;
  readonly level: number;
  readonly resamples: number;
}

/** Quantile of sorted values with linear interpolation between order statistics (Hyndman–Fan type 7). */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Percentile bootstrap CI of the mean paired difference mean(a − b): resample the n cases with
 * replacement `resamples` times (seeded `rng`), take the α/2 and 1 − α/2 quantiles (type 7) of the
 * resampled means. Cost O(resamples × n): 2,000 × 15,000 = 30 M draws.
 */
export function bootstrapPairedCi(a: Values, b: Values, opts: BootstrapOptions): ConfidenceInterval {
  const d = differences(a, b, 1);
  return bootstrapMeanCis(d, d.length, 1, opts)[0];
}

/**
 * Percentile bootstrap CIs of the means of `dims` columns sharing the same resamples of the n rows
 * (`values[i * dims + k]` = column k of case i, row-major). Used to bootstrap many paired
 * differences (models × metrics) with one set of draws: each resample draws n case indices once
 * (counts per case), then sweeps the rows in order. Cost O(resamples × n × (1 + dims)).
 */
export function bootstrapMeanCis(
  values: Float64Array,
  n: number,
  dims: number,
  opts: BootstrapOptions,
): ConfidenceInterval[] {
  const resamples = opts.resamples ?? 2000;
  const level = opts.level ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RecError('USAGE', `Bootstrap needs a positive integer number of resamples, got ${resamples}`);
  }
  if (!(level > 0 && level < 1))
    throw new RecError('USAGE', `Confidence level must be in (0, 1), got ${level}`);
  if (n < 1 || values.length !== n * dims) {
    throw new RecError(
      'USAGE',
      `Bootstrap needs n ≥ 1 rows of ${dims} values, got ${values.length} values for n = ${n}`,
    );
  }
  const means = new Float64Array(resamples * dims); // column k occupies [k * resamples, (k + 1) * resamples)
  const acc = new Float64Array(dims);
  const counts = new Int32Array(n); // how often each case is drawn in this resample
  const rng = opts.rng;
  for (let r = 0; r < resamples; r++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[rng.int(n)]++;
    // Weighted sums in case order: a sequential sweep over the rows instead of n random row reads.
    acc.fill(0);
    for (let i = 0; i < n; i++) {
      const c = counts[i];
      if (c === 0) continue;
      const row = i * dims;
      for (let k = 0; k < dims; k++) acc[k] += c * values[row + k];
    }
    for (let k = 0; k < dims; k++) means[k * resamples + r] = acc[k] / n;
  }
  const alpha = 1 - level;
  const out: ConfidenceInterval[] = [];
  for (let k = 0; k < dims; k++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += values[i * dims + k];
    const col = means.subarray(k * resamples, (k + 1) * resamples).sort();
    out.push({
      mean: total / n,
      low: quantileSorted(col, alpha / 2),
      high: quantileSorted(col, 1 - alpha / 2),
      level,
      resamples,
    });
  }
  return out;
}

/**
 * Holm–Bonferroni step-down adjusted p-values, in the input order. With p sorted ascending,
 * p̃_(i) = max_{j ≤ i} min(1, (m − j + 1) · p_(j)); reject H_i at level α iff p̃_i ≤ α
 * (Holm 1979, "A simple sequentially rejective multiple test procedure"). NaN inputs are rejected.
 */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  for (const p of pValues) {
    if (!(p >= 0 && p <= 1))
      throw new RecError('USAGE', `Holm correction needs p-values in [0, 1], got ${p}`);
  }
  const order = [...pValues.keys()].sort((i, j) => pValues[i] - pValues[j] || i - j);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((idx, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[idx]));
    adjusted[idx] = running;
  });
  return adjusted;
}
