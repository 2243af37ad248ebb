import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCsr, interactionMatrix, transposeCsr, type Csr } from '../../common/csr.js';
import { topKProduct } from './knn.js';
import {
  productScratch,
  topKProductReference,
  topKProductRows,
  allocTopK,
  weightItemUsers,
  type SimilarityKind,
} from './similarity.js';
import { countsTrainData } from './test-data.js';

// users × items counts; golden similarities computed with implicit 0.7.3 (K = 3):
// CosineRecommender / TFIDFRecommender / BM25Recommender(K1 = 1.2, B = 0.75).similarity.toarray()
const M = [
  [1, 3, 0, 0, 5],
  [0, 1, 1, 0, 0],
  [2, 0, 1, 1, 0],
  [0, 0, 0, 4, 1],
  [1, 1, 1, 0, 0],
];
const IMPLICIT: Record<SimilarityKind, number[][]> = {
  cosine: [
    [1.0, 0.492366, 0.707107, 0, 0],
    [0.492366, 1.0, 0, 0, 0.886969],
    [0.707107, 0.348155, 1.0, 0, 0],
    [0.19803, 0, 0, 1.0, 0.190261],
    [0.40032, 0.886969, 0, 0, 1.0],
  ],
  tfidf: [
    [1.0, 0.449376, 0.448601, 0, 0],
    [0.449376, 1.0, 0.762936, 0, 0],
    [0.448601, 0.762936, 1.0, 0, 0],
    [0.150885, 0, 0, 1.0, 0.698887],
    [0, 0.398139, 0, 0.698887, 1.0],
  ],
  bm25: [
    [0.212576, 0.131938, 0.14419, 0, 0],
    [0.131938, 0.408255, 0.349842, 0, 0],
    [0.14419, 0.349842, 0.490074, 0, 0],
    [0.068631, 0, 0, 0.77175, 0.386879],
    [0, 0.130518, 0, 0.386879, 0.350112],
  ],
};

function dense(
  t: { k: number; count: Int32Array; index: Int32Array; value: Float32Array },
  n: number,
): number[][] {
  return Array.from({ length: t.count.length }, (_, r) => {
    const row = new Array<number>(n).fill(0);
    for (let j = 0; j < t.count[r]; j++) row[t.index[r * t.k + j]] = t.value[r * t.k + j];
    return row;
  });
}

const randomCsr = (nRows: number, nCols: number): fc.Arbitrary<Csr> =>
  fc
    .array(fc.tuple(fc.nat(nRows - 1), fc.nat(nCols - 1), fc.integer({ min: 1, max: 4 })), { maxLength: 60 })
    .map((t) =>
      buildCsr(
        t.map((x) => x[0]),
        t.map((x) => x[1]),
        t.map((x) => x[2] / 2),
        nRows,
        nCols,
      ),
    );

describe('item–item similarity', () => {
  for (const kind of ['cosine', 'tfidf', 'bm25'] as const) {
    it(`matches implicit's ${kind} similarity (K = 3) on a small matrix`, async () => {
      const ui = interactionMatrix(countsTrainData(M), {
        eventWeights: { view: 1, addtocart: 3, transaction: 5 },
        halfLifeDays: null,
      });
      const x = weightItemUsers(ui.byCol, { kind, k1: 1.2, b: 0.75 });
      const top = await topKProduct(x, transposeCsr(x), 3, { excludeSelf: false, minValue: 0, threads: 1 });
      const got = dense(top, 5);
      for (let i = 0; i < 5; i++)
        for (let j = 0; j < 5; j++) expect(got[i][j]).toBeCloseTo(IMPLICIT[kind][i][j], 5);
    });
  }

  it('gives the same top-K rows from the fast kernel as from the reference kernel', () => {
    fc.assert(
      fc.property(randomCsr(12, 9), fc.integer({ min: 1, max: 6 }), fc.boolean(), (a, k, excludeSelf) => {
        const b = transposeCsr(a);
        const opts = { excludeSelf, minValue: 0 };
        const ref = topKProductReference(a, b, k, opts);
        const fast = allocTopK(a.nRows, k);
        const s = productScratch(b.nCols, k);
        // Two calls on one scratch: the scratch must come back clean.
        topKProductRows(a, b, fast, 0, 5, opts, s);
        topKProductRows(a, b, fast, 5, a.nRows, opts, s);
        expect(fast.count).toEqual(ref.count);
        expect(dense(fast, a.nRows)).toEqual(dense(ref, a.nRows));
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same result on two worker threads as in the calling thread', async () => {
    const rows: number[] = [];
    const cols: number[] = [];
    for (let u = 0; u < 300; u++)
      for (let j = 0; j < 6; j++) {
        rows.push((u * 7 + j * 13) % 200);
        cols.push(u);
      }
    const a = buildCsr(rows, cols, null, 200, 300);
    const b = transposeCsr(a);
    const one = await topKProduct(a, b, 5, { excludeSelf: false, minValue: 0, threads: 1 });
    const two = await topKProduct(a, b, 5, {
      excludeSelf: false,
      minValue: 0,
      threads: 2,
      minParallelWork: 0,
    });
    expect(Array.from(two.count)).toEqual(Array.from(one.count));
    expect(Array.from(two.index)).toEqual(Array.from(one.index));
    expect(Array.from(two.value)).toEqual(Array.from(one.value));
  }, 20_000);
});

describe('CSR helpers', () => {
  it('sums duplicate entries and sorts the columns of each row', () => {
    const m = buildCsr([1, 0, 1, 1], [2, 1, 0, 2], [1, 2, 3, 4], 2, 3);
    expect(Array.from(m.indptr)).toEqual([0, 1, 3]);
    expect(Array.from(m.indices)).toEqual([1, 0, 2]);
    expect(Array.from(m.data)).toEqual([2, 3, 5]);
  });

  it('gives back the matrix when transposed twice', () => {
    fc.assert(
      fc.property(randomCsr(7, 5), (a) => {
        const tt = transposeCsr(transposeCsr(a));
        expect(tt.indptr).toEqual(a.indptr);
        expect(tt.indices).toEqual(a.indices);
        expect(tt.data).toEqual(a.data);
      }),
    );
  });
});
