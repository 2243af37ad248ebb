import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { lossAndGradient, type Gru4RecLoss } from './losses.js';

function check(loss: Gru4RecLoss, eluAlpha: number): void {
  const rng = new Rng(3);
  const M = 3;
  const Ny = 7;
  const x = Float32Array.from({ length: M * Ny }, () => rng.normal() * 1.5);
  const opts = { bpreg: 0.7, eluAlpha, batchSize: 4 };
  const g = new Float32Array(M * Ny);
  lossAndGradient(loss, x, M, Ny, opts, g);
  const scratch = new Float32Array(M * Ny);
  const f = (v: Float64Array): number => lossAndGradient(loss, Float32Array.from(v), M, Ny, opts, scratch);
  const h = 1e-2;
  for (let k = 0; k < x.length; k++) {
    const p = Float64Array.from(x);
    const m = Float64Array.from(x);
    p[k] += h;
    m[k] -= h;
    const fd = (f(p) - f(m)) / (2 * h);
    expect(Math.abs(fd - g[k])).toBeLessThan(2e-3 + 1e-2 * Math.abs(fd));
  }
}

describe('GRU4Rec losses', () => {
  it('have BPR-max gradients that match finite differences (elu-0.5 and linear)', () => {
    check('bpr-max', 0.5);
    check('bpr-max', 0);
  });

  it('have cross-entropy gradients that match finite differences', () => {
    check('cross-entropy', 0);
  });

  it('give the cross-entropy of a uniform row as log Ny', () => {
    const x = new Float32Array(2 * 5);
    const v = lossAndGradient(
      'cross-entropy',
      x,
      2,
      5,
      { bpreg: 0, eluAlpha: 0, batchSize: 2 },
      new Float32Array(10),
    );
    expect(v).toBeCloseTo(Math.log(5), 6);
  });
});
