import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { buildCsr } from '../../common/csr.js';
import { symv4 } from './cg.js';
import { addGramUpper, gram } from './linalg.js';
import { SolveScratch, solveRowsCg } from './solver.js';
import { WasmKernels, wasmKernelsAvailable } from './wasm-kernels.js';

describe.skipIf(!wasmKernelsAvailable())('ALS WebAssembly kernels', () => {
  it('multiply by the loaded matrix bit for bit like the JavaScript symv4, odd and even k', () => {
    for (const k of [1, 7, 8, 64]) {
      const rng = new Rng(k);
      const w = new WasmKernels(k);
      const G = Float64Array.from({ length: k * k }, () => rng.normal());
      w.loadMatrix(G);
      const V = w.vector(0);
      const O = w.vector(1);
      for (let a = 0; a < k; a++) for (let l = 0; l < 4; l++) V[a * 4 + l] = rng.normal();
      const ref = new Float64Array(4 * k);
      symv4(G, V, ref, k);
      w.symv(V, O);
      expect(Array.from(O.subarray(0, 4 * k))).toEqual(Array.from(ref));
    }
  });

  it('sum the gathered rows, with and without their dot products, as plain loops do', () => {
    for (const k of [7, 64]) {
      const rng = new Rng(k + 1);
      const w = new WasmKernels(k);
      const kp = w.layout.kp;
      for (let e = 0; e < 6; e++) {
        for (let a = 0; a < k; a++) w.gather[e * kp + a] = rng.normal();
        w.coefA[e] = rng.next();
        w.coefB[e] = 1 + rng.next();
      }
      for (let a = 0; a < k; a++) w.lane[a] = rng.normal();
      const ax = new Float64Array(k);
      const sum = new Float64Array(k);
      for (let e = 1; e < 6; e++) {
        let d = 0;
        for (let a = 0; a < k; a++) d += w.gather[e * kp + a] * w.lane[a];
        for (let a = 0; a < k; a++) {
          ax[a] += w.coefA[e] * d * w.gather[e * kp + a];
          sum[a] += w.coefB[e] * w.gather[e * kp + a];
        }
      }
      w.laneAcc.fill(0);
      w.rowsAx(1, 5);
      for (let a = 0; a < k; a++) expect(w.laneAcc[a]).toBeCloseTo(ax[a], 10);
      w.laneAcc.fill(0);
      w.rowsSum(1, 5);
      for (let a = 0; a < k; a++) expect(w.laneAcc[a]).toBeCloseTo(sum[a], 10);
      w.laneAcc.fill(0);
      w.rowsAx(1, 0);
      expect(Array.from(w.laneAcc)).toEqual(new Array<number>(kp).fill(0));
    }
  });

  it('add the Gram matrix bit for bit like the JavaScript kernel, blocks of eight and tail alike', () => {
    for (const [k, n] of [
      [1, 9],
      [7, 19],
      [64, 43],
    ]) {
      const rng = new Rng(n);
      const Y = Float32Array.from({ length: n * k }, () => rng.normal());
      const ref = new Float64Array(k * k);
      const got = new Float64Array(k * k);
      addGramUpper(Y, k, 2, n, ref);
      new WasmKernels(k).addGramUpper(Y, 2, n, got);
      for (let a = 0; a < k; a++) for (let b = a; b < k; b++) expect(got[a * k + b]).toBe(ref[a * k + b]);
    }
  });

  it('give the CG half-step the factors of the JavaScript kernels up to rounding', () => {
    const k = 9;
    const rng = new Rng(3);
    const nRows = 11;
    const nCols = 30;
    const Y = Float32Array.from({ length: nCols * k }, () => rng.normal() * 0.3);
    const X = Float32Array.from({ length: nRows * k }, () => rng.next() * 0.01);
    const rows: number[] = [];
    const cols: number[] = [];
    for (let u = 0; u < nRows; u++)
      for (let i = 0; i < nCols; i++)
        if (rng.next() < 0.3) {
          rows.push(u);
          cols.push(i);
        }
    const side = buildCsr(rows, cols, null, nRows, nCols);
    const G = gram(Y, k, 0.1);
    const b = X.slice();
    const lb = solveRowsCg(b, Y, G, side, 4, 3, 0, nRows, new SolveScratch(k, 0, false));
    // a large gather area (every block in WebAssembly) and one of 12 rows (longer blocks split or in JS)
    for (const gatherBytes of [1 << 20, 12 * 10 * 8]) {
      const a = X.slice();
      const la = solveRowsCg(a, Y, G, side, 4, 3, 0, nRows, new SolveScratch(k, 0, true, gatherBytes));
      for (let t = 0; t < a.length; t++) expect(a[t]).toBeCloseTo(b[t], 6);
      expect(la).toBeCloseTo(lb, 6);
    }
  });
});
