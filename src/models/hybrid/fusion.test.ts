import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import type { QueryFeatures } from './features.js';
import { caseNdcg, fuseInto, gateValue, multipliersInto } from './fusion.js';
import { labelCases, learnFusion } from './learn-weights.js';
import { topN, topNReference } from './top-n.js';

describe('top-N selection', () => {
  it('agrees with a full sort (ties by lower index, non-finite and skipped items left out)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: -3, max: 3 }).map((x) => x / 2),
            fc.constant(-Infinity),
          ),
          { minLength: 0, maxLength: 60 },
        ),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.boolean(), { maxLength: 60 }),
        (vals, n, sk) => {
          const row = Float32Array.from(vals);
          const skip = Uint8Array.from(row, (_, i) => (sk[i] ? 1 : 0));
          expect(topN(row, n, skip)).toEqual(topNReference(row, n, skip));
        },
      ),
    );
  });
});

describe('case NDCG@10', () => {
  it('is 1 for a target ranked first and 1/log2(3) for one ranked second', () => {
    expect(caseNdcg(Float64Array.of(3, 2, 1), 3, Uint8Array.of(1, 0, 0), 1)).toBe(1);
    expect(caseNdcg(Float64Array.of(2, 3, 1), 3, Uint8Array.of(1, 0, 0), 1)).toBeCloseTo(
      1 / Math.log2(3),
      12,
    );
  });

  it('ranks a target after the non-targets it ties with', () => {
    expect(caseNdcg(Float64Array.of(1, 1, 1), 3, Uint8Array.of(1, 0, 0), 1)).toBeCloseTo(
      1 / Math.log2(4),
      12,
    );
  });

  it('counts targets outside the candidates in the ideal DCG', () => {
    expect(caseNdcg(Float64Array.of(1), 1, Uint8Array.of(1), 2)).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 12);
  });
});

describe('the session + history gate', () => {
  it('scales session signals by γ, history ones by 1 − γ, neutral ones not at all', () => {
    const roles = ['session', 'history', 'neutral'] as const;
    expect(Array.from(multipliersInto(roles, 'gate', 0.8, new Float64Array(3)))).toEqual([
      0.8, 0.19999999999999996, 1,
    ]);
    expect(Array.from(multipliersInto(roles, 'session-only', 0.8, new Float64Array(3)))).toEqual([1, 0, 1]);
    expect(Array.from(multipliersInto(roles, 'history-only', 0.8, new Float64Array(3)))).toEqual([0, 1, 1]);
    expect(Array.from(multipliersInto(roles, 'none', 0.8, new Float64Array(3)))).toEqual([1, 1, 1]);
    expect(gateValue(Float64Array.of(0, 0, 0, 0), Float64Array.of(1, 2, 3, 4))).toBe(0.5);
  });
});

/** Cases whose targets signal `good[stage]` ranks first and the other signal ranks last. */
function plantedCases(
  n: number,
  good: number[],
  rng: Rng,
): { feats: QueryFeatures[]; targets: Int32Array[] } {
  const feats: QueryFeatures[] = [];
  const targets: Int32Array[] = [];
  for (let q = 0; q < n; q++) {
    const stage = q % 2 === 0 ? 0 : 1;
    const K = 20;
    const values = new Float32Array(K * 2);
    const target = rng.int(K);
    for (let k = 0; k < K; k++) {
      const noise = rng.next() * 0.9;
      values[k * 2 + good[stage]] = k === target ? 1 : noise;
      values[k * 2 + (1 - good[stage])] = k === target ? 0 : noise;
    }
    feats.push({
      cands: Int32Array.from({ length: K }, (_, k) => k),
      values,
      stage,
      gateX: Float64Array.of(1, 0, 0, 0),
      bought: new Int32Array(0),
    });
    targets.push(Int32Array.of(target));
  }
  return { feats, targets };
}

const CFG = {
  fusion: 'none',
  stageWeights: true,
  randomStarts: 8,
  searchRounds: 4,
  minStageCases: 10,
} as const;

describe('weight learning by NDCG@10', () => {
  it('puts the weight on the informative signal', () => {
    const { feats, targets } = plantedCases(60, [1, 1], new Rng(1));
    const { params, report } = learnFusion(
      labelCases(feats, targets),
      ['neutral', 'neutral'],
      CFG,
      new Rng(2),
    );
    expect(params.weights[1]).toBeGreaterThan(params.weights[0]);
    expect(report.final).toBeGreaterThan(0.99);
    expect(report.final).toBeGreaterThan(report.uniform);
  });

  it('learns different weights per stage when the stages need different signals, and one set when static', () => {
    const { feats, targets } = plantedCases(80, [0, 1], new Rng(3));
    const cases = labelCases(feats, targets);
    const per = learnFusion(cases, ['neutral', 'neutral'], CFG, new Rng(4));
    expect(per.params.weights[0]).toBeGreaterThan(per.params.weights[1]); // stage 0 (cold) → signal 0
    expect(per.params.weights[3]).toBeGreaterThan(per.params.weights[2]); // stage 1 (browsing) → signal 1
    expect(per.report.final).toBeGreaterThan(0.99);
    const stat = learnFusion(cases, ['neutral', 'neutral'], { ...CFG, stageWeights: false }, new Rng(4));
    expect(Array.from(stat.params.weights.subarray(0, 2))).toEqual(
      Array.from(stat.params.weights.subarray(2, 4)),
    );
    expect(stat.report.final).toBeLessThan(per.report.final);
  });

  it('is deterministic for a seed', () => {
    const { feats, targets } = plantedCases(40, [0, 1], new Rng(5));
    const a = learnFusion(
      labelCases(feats, targets),
      ['session', 'history'],
      { ...CFG, fusion: 'gate' },
      new Rng(9),
    );
    const b = learnFusion(
      labelCases(feats, targets),
      ['session', 'history'],
      { ...CFG, fusion: 'gate' },
      new Rng(9),
    );
    expect(a.params).toEqual(b.params);
  });
});

describe('weight learning with per-stage top-up cases', () => {
  it('learns the shared row on the natural cases only and a stage row on all cases of its stage', () => {
    // Natural cases: stage 0 needs signal 0. Top-up cases: stage 1 needs signal 1.
    const a = plantedCases(40, [0, 0], new Rng(6));
    const b = plantedCases(40, [1, 1], new Rng(7));
    const keep = (x: typeof a, stage: number) => x.feats.flatMap((f, q) => (f.stage === stage ? [q] : []));
    const nat = keep(a, 0);
    const top = keep(b, 1);
    const cases = labelCases(
      [...nat.map((q) => a.feats[q]), ...top.map((q) => b.feats[q])],
      [...nat.map((q) => a.targets[q]), ...top.map((q) => b.targets[q])],
      [...nat.map(() => true), ...top.map(() => false)],
    );
    const { params, report } = learnFusion(cases, ['neutral', 'neutral'], CFG, new Rng(8));
    expect(params.weights[0]).toBeGreaterThan(params.weights[1]); // shared / stage 0 → signal 0
    expect(params.weights[3]).toBeGreaterThan(params.weights[2]); // stage 1 row from its top-up cases
    expect(params.weights[4]).toBe(params.weights[0]); // stage 2 (no cases) keeps the shared row
    expect(report.stageCases.slice(0, 2)).toEqual([nat.length, top.length]);
  });
});

describe('weight learning starting points', () => {
  it('is never worse on its learning cases than the best single signal (one-hot rows are tried)', () => {
    const { feats, targets } = plantedCases(60, [0, 1], new Rng(12));
    const cases = labelCases(feats, targets);
    const { params } = learnFusion(
      cases,
      ['neutral', 'neutral'],
      { ...CFG, randomStarts: 0, searchRounds: 1 },
      new Rng(13),
    );
    const ndcgOf = (w: Float64Array, stageRows: boolean): number => {
      let sum = 0;
      for (const c of cases) {
        const s = new Float64Array(c.f.cands.length);
        fuseInto(c.f, w, stageRows ? c.f.stage : 0, Float64Array.of(1, 1), s);
        sum += caseNdcg(s, c.f.cands.length, c.relevant, c.nTargets);
      }
      return sum / cases.length;
    };
    const learned = ndcgOf(params.weights, true);
    for (const oneHot of [Float64Array.of(1, 0), Float64Array.of(0, 1)])
      expect(learned).toBeGreaterThanOrEqual(ndcgOf(oneHot, false) - 1e-12);
  });
});
