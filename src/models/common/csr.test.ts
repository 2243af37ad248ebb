import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plantedData } from '../test-utils/planted.js';
import {
  buildCsr,
  csrNnz,
  dropZeroEntries,
  historyWeights,
  interactionMatrix,
  shareCsr,
  sharedAlloc,
  transposeCsr,
  type Csr,
} from './csr.js';

function dense(m: Csr): number[][] {
  const d = Array.from({ length: m.nRows }, () => new Array<number>(m.nCols).fill(0));
  for (let r = 0; r < m.nRows; r++)
    for (let t = m.indptr[r]; t < m.indptr[r + 1]; t++) d[r][m.indices[t]] += m.data[t];
  return d;
}

const triplets = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })).chain(([nr, nc]) =>
  fc.record({
    nr: fc.constant(nr),
    nc: fc.constant(nc),
    t: fc.array(fc.tuple(fc.nat(nr - 1), fc.nat(nc - 1), fc.integer({ min: 1, max: 9 })), { maxLength: 30 }),
  }),
);

describe('CSR', () => {
  it('sums duplicate triplets and keeps columns ascending inside each row', () => {
    fc.assert(
      fc.property(triplets, ({ nr, nc, t }) => {
        const m = buildCsr(
          t.map((x) => x[0]),
          t.map((x) => x[1]),
          t.map((x) => x[2]),
          nr,
          nc,
        );
        const want = Array.from({ length: nr }, () => new Array<number>(nc).fill(0));
        for (const [r, c, v] of t) want[r][c] += v;
        expect(dense(m)).toEqual(want);
        for (let r = 0; r < nr; r++)
          for (let p = m.indptr[r] + 1; p < m.indptr[r + 1]; p++)
            expect(m.indices[p]).toBeGreaterThan(m.indices[p - 1]);
      }),
    );
  });

  it('transposes into the same matrix seen by columns, and back', () => {
    fc.assert(
      fc.property(triplets, ({ nr, nc, t }) => {
        const m = buildCsr(
          t.map((x) => x[0]),
          t.map((x) => x[1]),
          null,
          nr,
          nc,
          sharedAlloc,
        );
        const tr = transposeCsr(m);
        const d = dense(m);
        expect(dense(tr)).toEqual(d[0].map((_, c) => d.map((row) => row[c])));
        expect(transposeCsr(tr)).toEqual({
          ...m,
          indptr: Int32Array.from(m.indptr),
          indices: Int32Array.from(m.indices),
          data: Float32Array.from(m.data),
        });
      }),
    );
  });

  it('weights events by type and halves them per half-life before the cut', () => {
    const { data } = plantedData();
    const plain = interactionMatrix(data, {
      eventWeights: { view: 1, addtocart: 3, transaction: 5 },
      halfLifeDays: null,
    });
    // user 0's last event is an add-to-cart: total strength = 7 views + 1 cart = 10
    let s = 0;
    for (let t = plain.byRow.indptr[0]; t < plain.byRow.indptr[1]; t++) s += plain.byRow.data[t];
    expect(s).toBeCloseTo(10, 5);
    expect(csrNnz(plain.byCol)).toBe(csrNnz(plain.byRow));
    const decayed = interactionMatrix(data, {
      eventWeights: { view: 1, addtocart: 3, transaction: 5 },
      halfLifeDays: 1,
    });
    const u = data.nUsers - 1; // events 1 hour before the cut: factor 2^(−1/24)
    const last = plain.byRow.indptr[u + 1] - 1;
    expect(decayed.byRow.data[last] / plain.byRow.data[last]).toBeGreaterThan(0.9);
    expect(decayed.byRow.data[0] / plain.byRow.data[0]).toBeLessThan(0.2);
  });

  it('drops stored zeros and keeps every other entry in place', () => {
    const m = buildCsr([0, 0, 1, 2, 2], [0, 2, 1, 0, 1], [1, 0, 0, 3, 4], 3, 3);
    const d = dropZeroEntries(m);
    expect(dense(d)).toEqual(dense(m));
    expect(Array.from(d.indptr)).toEqual([0, 1, 1, 3]);
    expect(Array.from(d.indices)).toEqual([0, 0, 1]);
    const noZeros = buildCsr([0, 1], [1, 0], [2, 5], 2, 2);
    expect(dropZeroEntries(noZeros)).toBe(noZeros);
  });

  it('copies a matrix into shared memory unchanged', () => {
    const m = buildCsr([0, 1, 1], [2, 0, 2], [1, 2, 3], 2, 3);
    const s = shareCsr(m);
    expect(s.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(s.indices.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect({
      ...s,
      indptr: Int32Array.from(s.indptr),
      indices: Int32Array.from(s.indices),
      data: Float32Array.from(s.data),
    }).toEqual(m);
  });

  it('turns a query history into distinct items with summed strengths, ignoring unknown items', () => {
    const h = historyWeights(Int32Array.of(4, 2, 4, 99), Uint8Array.of(0, 2, 1, 0), undefined, 0, 10, {
      eventWeights: { view: 1, addtocart: 3, transaction: 5 },
      halfLifeDays: null,
    });
    expect(Array.from(h.items)).toEqual([2, 4]);
    expect(Array.from(h.weights)).toEqual([5, 4]);
  });
});
