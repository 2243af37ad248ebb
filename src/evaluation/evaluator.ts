/**
 * The full-ranking evaluator: scores every case against the whole catalogue in batches, ranks the
 * targets conservatively (`ranks.ts`), keeps per-case metric values (for paired significance tests),
 * aggregates them overall and per group, and computes beyond-accuracy metrics of the top-max(K) lists.
 *
 * Memory: one scratch `Float32Array(batch × nItems)` allocated once (64 MB by default, see
 * {@link chooseBatchSize}), plus `nCases × |ks| × 5` doubles of per-case values.
 */
import { RecError, isRecError } from '../core/errors.js';
import type { ProgressFn } from '../core/progress.js';
import type { Query } from '../models/types.js';
import { ListMetricsAccumulator, type ListMetrics, topK } from './list-metrics.js';
import { RANKING_METRICS, caseMetricsInto, metricKey } from './metrics.js';
import { targetRanks } from './ranks.js';
import type { EvalCase, Scorer } from './types.js';

export interface EvaluateOptions {
  /** Cut-offs, e.g. [10, 20] (positive integers; duplicates removed, sorted ascending). */
  ks: number[];
  /** Cases scored per `scoreBatch` call; default {@link chooseBatchSize}(nItems). */
  batchSize?: number;
  /** Training interaction count of each item (length nItems): novelty and average popularity. */
  itemPopularity: Float64Array | Int32Array;
  /** Category of each item (length nItems, −1 unknown): intra-list diversity. */
  itemCategory: Int32Array;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
}

/** Mean metrics of the cases sharing one group label (`case.groups[key] === value`). */
export interface GroupResult {
  readonly key: string;
  readonly value: string;
  readonly nCases: number;
  readonly mean: Readonly<Record<string, number>>;
}

export interface EvalResult {
  /** `scorer.name`. */
  readonly model: string;
  readonly nCases: number;
  readonly nItems: number;
  /** Cut-offs, ascending. */
  readonly ks: readonly number[];
  /** Metric keys in a stable order, e.g. `precision@10`, `recall@10`, `ndcg@10`, `mrr@10`, `hr@10`, then K = 20… */
  readonly metricKeys: readonly string[];
  /** Per-case values, `perCase.get('ndcg@10')[i]` for `cases[i]` (same order as the input). */
  readonly perCase: ReadonlyMap<string, Float64Array>;
  /** Mean over all cases of each metric key. */
  readonly mean: Readonly<Record<string, number>>;
  /** Per group key/value, sorted by key then value. */
  readonly groups: readonly GroupResult[];
  /** Beyond-accuracy metrics of the top-`k` lists, k = max(ks), seen/excluded items removed. */
  readonly lists: ListMetrics & { readonly k: number };
  /**
   * Hash of the cases (targets, users, query lengths, times): two results are paired case by case
   * only when their fingerprints are equal (checked by `compareModels`).
   */
  readonly casesFingerprint: string;
  readonly elapsedMs: number;
}

/** Bytes of score scratch the evaluator aims for. */
export const DEFAULT_SCRATCH_BYTES = 64 * 1024 * 1024;

/**
 * Cases per batch so that `batch × nItems` float32 scores fit in `scratchBytes` (at least 1, at most
 * 1,024). E.g. 235,061 items → 71 cases (64 MB); 37,000 items → 453 cases.
 */
export function chooseBatchSize(nItems: number, scratchBytes = DEFAULT_SCRATCH_BYTES): number {
  return Math.max(1, Math.min(1024, Math.floor(scratchBytes / 4 / Math.max(1, nItems))));
}

function normaliseKs(ks: number[]): number[] {
  if (ks.length === 0)
    throw new RecError('USAGE', 'evaluate needs at least one cut-off K (e.g. ks: [10, 20])');
  for (const k of ks) {
    if (!Number.isInteger(k) || k < 1)
      throw new RecError('USAGE', `Cut-off K must be a positive integer, got ${k}`);
  }
  return [...new Set(ks)].sort((a, b) => a - b);
}

function checkInputs(scorer: Scorer, cases: readonly EvalCase[], opts: EvaluateOptions): void {
  const n = scorer.nItems;
  if (opts.itemPopularity.length !== n || opts.itemCategory.length !== n) {
    throw new RecError(
      'USAGE',
      `itemPopularity (${opts.itemPopularity.length}) and itemCategory (${opts.itemCategory.length}) must have one entry per item of ${scorer.name} (${n})`,
    );
  }
  cases.forEach((c, i) => {
    if (c.targets.length === 0) {
      throw new RecError(
        'DATA_INVALID',
        `Case ${i} has no targets; protocols must drop cases without a target`,
        { case: i },
      );
    }
  });
}

/** FNV-1a (32 bit) over the numbers that identify the cases. */
export function fingerprintCases(cases: readonly EvalCase[]): string {
  let h = 0x811c9dc5;
  const mix = (x: number): void => {
    h = Math.imul(h ^ (x & 0xffff), 0x01000193);
    h = Math.imul(h ^ ((x >>> 16) & 0xffff), 0x01000193);
  };
  mix(cases.length);
  for (const c of cases) {
    mix(c.query.user);
    mix(c.query.items.length);
    mix(Math.floor(c.query.time / 1000));
    mix(c.targets.length);
    for (let i = 0; i < c.targets.length; i++) mix(c.targets[i]);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

function withCase(e: unknown, i: number): unknown {
  if (!isRecError(e)) return e;
  return new RecError(e.code, `Case ${i}: ${e.message}`, { ...e.details, case: i }, e);
}

/**
 * Evaluates `scorer` on `cases` with full ranking over all `scorer.nItems` items.
 * A score buffer is pre-filled with NaN before each batch, so a scorer that leaves a score unwritten
 * fails with a NUMERIC error instead of being ranked on stale values.
 *
 * @throws RecError CANCELLED when `signal` aborts (checked between batches); NUMERIC on NaN scores;
 *   DATA_INVALID for a case without targets or with bad indices; USAGE for bad options.
 */
export function evaluate(scorer: Scorer, cases: readonly EvalCase[], opts: EvaluateOptions): EvalResult {
  const started = Date.now();
  const ks = normaliseKs(opts.ks);
  checkInputs(scorer, cases, opts);
  const nItems = scorer.nItems;
  const keys = ks.flatMap((k) => RANKING_METRICS.map((m) => metricKey(m, k)));
  const columns = keys.map(() => new Float64Array(cases.length));
  if (opts.batchSize !== undefined && !(Number.isInteger(opts.batchSize) && opts.batchSize >= 1)) {
    throw new RecError('USAGE', `batchSize must be a positive integer, got ${opts.batchSize}`);
  }
  const batch = Math.max(1, Math.min(opts.batchSize ?? chooseBatchSize(nItems), cases.length));
  const scratch = new Float32Array(batch * nItems);
  const maxK = ks[ks.length - 1];
  const listBuf = new Int32Array(Math.min(maxK, nItems));
  let ranksBuf = new Int32Array(16);
  const row = new Float64Array(keys.length);
  const lists = new ListMetricsAccumulator(nItems, opts.itemPopularity, opts.itemCategory);
  const task = `evaluate ${scorer.name}`;

  for (let start = 0; start < cases.length; start += batch) {
    if (opts.signal?.aborted)
      throw new RecError('CANCELLED', `Evaluation of ${scorer.name} was cancelled after ${start} cases`);
    const end = Math.min(cases.length, start + batch);
    const queries: Query[] = [];
    for (let i = start; i < end; i++) queries.push(cases[i].query);
    const out = scratch.subarray(0, (end - start) * nItems);
    out.fill(NaN);
    scorer.scoreBatch(queries, out);
    for (let i = start; i < end; i++) {
      const c = cases[i];
      const offset = (i - start) * nItems;
      if (c.targets.length > ranksBuf.length) ranksBuf = new Int32Array(c.targets.length * 2);
      try {
        const ranks = targetRanks(
          out,
          offset,
          nItems,
          c.targets,
          c.exclude,
          ranksBuf.subarray(0, c.targets.length),
        );
        caseMetricsInto(ranks, ks, row);
        lists.add(topK(out, offset, nItems, maxK, c.exclude, listBuf));
      } catch (e) {
        throw withCase(e, i);
      }
      for (let m = 0; m < keys.length; m++) columns[m][i] = row[m];
    }
    opts.onProgress?.({ task, done: end, total: cases.length, unit: 'cases' });
  }

  const perCase = new Map(keys.map((k, m) => [k, columns[m]] as const));
  const all = Int32Array.from(cases.keys());
  return {
    model: scorer.name,
    nCases: cases.length,
    nItems,
    ks,
    metricKeys: keys,
    perCase,
    mean: meansOver(keys, columns, all),
    groups: groupMeans(cases, keys, columns),
    lists: { ...lists.result(), k: maxK },
    casesFingerprint: fingerprintCases(cases),
    elapsedMs: Date.now() - started,
  };
}

function meansOver(
  keys: readonly string[],
  columns: Float64Array[],
  idx: ArrayLike<number>,
): Record<string, number> {
  const mean: Record<string, number> = {};
  keys.forEach((k, m) => {
    let s = 0;
    const col = columns[m];
    for (let j = 0; j < idx.length; j++) s += col[idx[j]];
    mean[k] = idx.length > 0 ? s / idx.length : NaN;
  });
  return mean;
}

function groupMeans(
  cases: readonly EvalCase[],
  keys: readonly string[],
  columns: Float64Array[],
): GroupResult[] {
  const byGroup = new Map<string, Map<string, number[]>>();
  cases.forEach((c, i) => {
    for (const [key, value] of Object.entries(c.groups)) {
      let values = byGroup.get(key);
      if (!values) byGroup.set(key, (values = new Map()));
      let idx = values.get(value);
      if (!idx) values.set(value, (idx = []));
      idx.push(i);
    }
  });
  const out: GroupResult[] = [];
  for (const key of [...byGroup.keys()].sort()) {
    const values = byGroup.get(key)!;
    for (const value of [...values.keys()].sort()) {
      const idx = values.get(value)!;
      out.push({ key, value, nCases: idx.length, mean: meansOver(keys, columns, idx) });
    }
  }
  return out;
}

/** JSON-friendly view of a result without the per-case arrays (NaN becomes null in JSON). */
export interface EvalSummary {
  readonly model: string;
  readonly nCases: number;
  readonly nItems: number;
  readonly ks: readonly number[];
  readonly mean: Readonly<Record<string, number>>;
  readonly groups: readonly GroupResult[];
  readonly lists: ListMetrics & { readonly k: number };
  readonly casesFingerprint: string;
  readonly elapsedMs: number;
}

/** Drops `perCase` (a Map, large) so that the result can be written with `JSON.stringify`. */
export function summarizeResult(r: EvalResult): EvalSummary {
  const { perCase: _perCase, metricKeys: _keys, ...rest } = r;
  return rest;
}
