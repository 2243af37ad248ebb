import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { buildCsr, sharedAlloc, transposeCsr } from '../../common/csr.js';
import { ALS_PARALLEL_MIN_NNZ, AlsEngine, costRanges, initFactors } from './train.js';

function engine(threads: number, exactMaxNnz: number): AlsEngine {
  const rng = new Rng(9);
  const nU = 3000;
  const nI = 400;
  const rows: number[] = [];
  const cols: number[] = [];
  for (let u = 0; u < nU; u++) {
    const n = 1 + (u % 13);
    for (let j = 0; j < n; j++) {
      rows.push(u);
      cols.push(((u % 4) * 100 + rng.int(100)) % nI);
    }
  }
  const byUser = buildCsr(rows, cols, null, nU, nI, sharedAlloc);
  const k = 8;
  const next = (): number => rng.next();
  return new AlsEngine(
    {
      userFactors: initFactors(nU, k, next, true),
      itemFactors: initFactors(nI, k, next, true),
      byUser,
      byItem: transposeCsr(byUser, sharedAlloc),
    },
    { k, alpha: 5, regularization: 0.1, cgSteps: 3, solver: 'cg', exactMaxNnz, threads },
  );
}

describe('ALS engine', () => {
  it('gives the same factors on two worker threads as on the calling thread', async () => {
    const one = engine(1, 16);
    const two = engine(2, 16);
    expect(two.state.byUser.indptr[3000]).toBeGreaterThanOrEqual(ALS_PARALLEL_MIN_NNZ);
    try {
      for (let e = 0; e < 2; e++) {
        const a = await one.epoch();
        const b = await two.epoch();
        expect(b.loss).toBeCloseTo(a.loss, 8);
      }
      for (let t = 0; t < one.state.userFactors.length; t += 97) {
        expect(two.state.userFactors[t]).toBeCloseTo(one.state.userFactors[t], 4);
      }
    } finally {
      one.close();
      two.close();
    }
  });

  it('reaches a lower loss with exact short rows than with pure 3-step CG', async () => {
    const cg = engine(1, 0);
    const mixed = engine(1, 16);
    let a = 0;
    let b = 0;
    for (let e = 0; e < 3; e++) {
      a = (await cg.epoch()).loss;
      b = (await mixed.epoch()).loss;
    }
    expect(b).toBeLessThanOrEqual(a);
  });

  it('splits rows into ranges of about equal cost', () => {
    const indptr = Int32Array.from({ length: 101 }, (_, r) => r * r);
    const b = costRanges(indptr, 100, 8, 3, 0, 2);
    expect(b[0]).toBe(0);
    expect(b[2]).toBe(100);
    expect(b[1]).toBeGreaterThan(60); // long rows at the end: the first range holds more rows
  });
});
