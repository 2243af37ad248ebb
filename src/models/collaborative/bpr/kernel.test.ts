import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { aliasTable, bprObjective, bprStep, bprStepReference, type Triple } from './kernel.js';

function triple(rng: Rng, k: number): Triple {
  const v = (): number[] => Array.from({ length: k }, () => rng.normal() * 0.5);
  return { u: v(), vi: v(), vj: v(), bi: rng.normal() * 0.3, bj: rng.normal() * 0.3 };
}

describe('BPR kernel', () => {
  it('the SGD step follows the finite-difference gradient of ln σ(x_uij) − λ/2‖θ‖²', () => {
    const rng = new Rng(3);
    const reg = 0.05;
    const lr = 1e-3;
    const h = 1e-6;
    for (let rep = 0; rep < 5; rep++) {
      const t = triple(rng, 5);
      const step = bprStepReference(t, lr, reg);
      const check = (
        get: (x: Triple) => number,
        set: (x: Triple, v: number) => void,
        moved: number,
      ): void => {
        const plus = structuredClone(t);
        const minus = structuredClone(t);
        set(plus, get(t) + h);
        set(minus, get(t) - h);
        const numeric = (bprObjective(plus, reg) - bprObjective(minus, reg)) / (2 * h);
        expect((moved - get(t)) / lr).toBeCloseTo(numeric, 5);
      };
      for (let a = 0; a < 5; a++) {
        check(
          (x) => x.u[a],
          (x, v) => (x.u[a] = v),
          step.u[a],
        );
        check(
          (x) => x.vi[a],
          (x, v) => (x.vi[a] = v),
          step.vi[a],
        );
        check(
          (x) => x.vj[a],
          (x, v) => (x.vj[a] = v),
          step.vj[a],
        );
      }
      check(
        (x) => x.bi,
        (x, v) => (x.bi = v),
        step.bi,
      );
      check(
        (x) => x.bj,
        (x, v) => (x.bj = v),
        step.bj,
      );
    }
  });

  it('the flat-array step equals the readable reference step', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.boolean(), (seed, bias) => {
        const rng = new Rng(seed);
        const k = 7;
        const t = triple(rng, k);
        if (!bias) {
          t.bi = 0;
          t.bj = 0;
        }
        const ref = bprStepReference(t, 0.05, 0.01);
        const U = Float32Array.from(t.u);
        const V = Float32Array.from([...t.vi, ...t.vj]);
        const B = Float32Array.of(t.bi, t.bj);
        bprStep(U, 0, V, 0, k, bias ? B : null, 0, 1, k, 0.05, 0.01);
        for (let a = 0; a < k; a++) {
          expect(U[a]).toBeCloseTo(ref.u[a], 5);
          expect(V[a]).toBeCloseTo(ref.vi[a], 5);
          expect(V[k + a]).toBeCloseTo(ref.vj[a], 5);
        }
        if (bias) expect(B[0]).toBeCloseTo(ref.bi, 5);
      }),
      { numRuns: 50 },
    );
  });

  it('the alias table draws interactions in proportion to their strength', () => {
    const w = Float32Array.of(1, 3, 5, 1);
    const { prob, alias } = aliasTable(w);
    const rng = new Rng(1);
    const hits = new Float64Array(4);
    const n = 200_000;
    for (let s = 0; s < n; s++) {
      let t = rng.int(4);
      if (rng.next() >= prob[t]) t = alias[t];
      hits[t]++;
    }
    for (let t = 0; t < 4; t++) expect(hits[t] / n).toBeCloseTo(w[t] / 10, 2);
  });
});
