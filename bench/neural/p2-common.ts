/**
 * Shared by the P2 benchmark scripts: the fixed validation sample (so every script scores the same
 * cases) and the metrics they report.
 */
import { Rng } from '../../src/core/rng.js';
import { evaluate, type EvalResult } from '../../src/evaluation/evaluator.js';
import type { PreparedProtocol, ProtocolStage } from '../../src/evaluation/protocols/index.js';
import type { EvalCase } from '../../src/evaluation/types.js';
import type { Recommender } from '../../src/models/types.js';

/** `n` validation cases drawn by a seeded shuffle (seed 7), kept in their original order. */
export function validationSample(p: PreparedProtocol, n: number): EvalCase[] {
  const all = p.validation.cases;
  const rng = new Rng(7);
  const idx = Array.from({ length: all.length }, (_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx
    .slice(0, Math.min(n, all.length))
    .sort((x, y) => x - y)
    .map((i) => all[i]);
}

function popularity(stage: ProtocolStage): Float64Array {
  const d = stage.train.data;
  const pop = new Float64Array(d.nItems);
  for (let r = 0; r < d.events.length; r++) pop[d.events.item[r]]++;
  return pop;
}

/** Full-ranking evaluation (@10, @20) of `model` on `cases` of `stage`, per case and mean. */
export function evaluateOn(model: Recommender, stage: ProtocolStage, cases: readonly EvalCase[]): EvalResult {
  return evaluate(model, cases, {
    ks: [10, 20],
    itemPopularity: popularity(stage),
    itemCategory: stage.train.data.itemCategory,
  });
}

/** Mean HR/MRR/NDCG@10,20 (full ranking) of `model` on `cases` of `stage`. */
export function metrics(
  model: Recommender,
  stage: ProtocolStage,
  cases: readonly EvalCase[],
): Record<string, number> {
  return evaluateOn(model, stage, cases).mean;
}
