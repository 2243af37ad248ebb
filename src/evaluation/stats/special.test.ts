import { describe, expect, it } from 'vitest';
import {
  incompleteBeta,
  incompleteGammaP,
  logGamma,
  normalCdf,
  normalTwoSidedP,
  studentTCdf,
  studentTTwoSidedP,
} from './special.js';

describe('special functions', () => {
  it('computes log-gamma at known points', () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12); // Γ(5) = 4!
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12); // Γ(1/2) = √π
    expect(logGamma(0.1)).toBeCloseTo(2.2527126517342055, 11); // Python math.lgamma(0.1)
    expect(logGamma(171.5)).toBeCloseTo(709.1431630309282, 9); // Python math.lgamma(171.5)
  });

  it('matches the closed forms of the regularised incomplete beta', () => {
    // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 − (1 − x)^b; I_x(a, b) = 1 − I_{1−x}(b, a)
    for (const x of [0, 0.01, 0.3, 0.5, 0.77, 0.999, 1]) {
      expect(incompleteBeta(1, 1, x)).toBeCloseTo(x, 13);
      expect(incompleteBeta(3.5, 1, x)).toBeCloseTo(x ** 3.5, 13);
      expect(incompleteBeta(1, 4, x)).toBeCloseTo(1 - (1 - x) ** 4, 13);
      expect(incompleteBeta(2.5, 7, x)).toBeCloseTo(1 - incompleteBeta(7, 2.5, 1 - x), 13);
    }
    expect(() => incompleteBeta(0, 1, 0.5)).toThrow();
  });

  it('matches the Student t table and the closed forms of Abramowitz & Stegun 26.7.3–4', () => {
    // Reference values: the finite series of A&S 26.7.3 (even ν) and 26.7.4 (odd ν), evaluated in
    // double precision; the table entries are the familiar two-sided 5 % critical values.
    expect(studentTTwoSidedP(2.228, 10)).toBeCloseTo(0.05001177181711136, 12); // t(0.975, 10) = 2.228
    expect(studentTTwoSidedP(3.182, 3)).toBeCloseTo(0.050017136543313634, 12); // t(0.975, 3) = 3.182
    expect(studentTTwoSidedP(2.042, 30)).toBeCloseTo(0.05002867065619809, 12); // t(0.975, 30) = 2.042
    expect(studentTTwoSidedP(2.576, 120)).toBeCloseTo(0.01120782954759314, 12);
    expect(studentTTwoSidedP(1.5, 7)).toBeCloseTo(0.17729848698996986, 12);
    expect(studentTTwoSidedP(4, 25)).toBeCloseTo(0.0004954436705321141, 14);
    expect(studentTTwoSidedP(1, 1)).toBeCloseTo(0.5, 13); // Cauchy: 1 − (2/π)·atan(1)
    expect(studentTTwoSidedP(0.5, 2)).toBeCloseTo(2 / 3, 13); // ν = 2: 1 − t/√(2 + t²) = 1 − 0.5/1.5
    expect(studentTTwoSidedP(-2.228, 10)).toBe(studentTTwoSidedP(2.228, 10));
    expect(studentTTwoSidedP(0, 5)).toBe(1);
    expect(studentTTwoSidedP(Infinity, 5)).toBe(0);
  });

  it('approaches the normal distribution for large degrees of freedom', () => {
    // 2·(1 − Φ(1.96)) = erfc(1.96/√2) = 0.04999579029644087 (Python math.erfc)
    expect(studentTTwoSidedP(1.96, 1e6)).toBeCloseTo(0.05, 4);
    expect(studentTTwoSidedP(1.96, Infinity)).toBeCloseTo(0.04999579029644087, 13);
    expect(normalTwoSidedP(3)).toBeCloseTo(0.0026997960632601913, 15);
    expect(normalTwoSidedP(0.5)).toBeCloseTo(0.6170750774519738, 13); // erfc(0.5/√2)
    expect(normalCdf(-1.96)).toBeCloseTo(0.024997895148220435, 13);
    // deep tail without cancellation (Python math.erfc(8/√2) = 1.2441921148543639e-15)
    expect(normalTwoSidedP(8) / 1.2441921148543639e-15).toBeCloseTo(1, 10);
  });

  it('gives CDFs that are monotone and symmetric', () => {
    let prev = 0;
    for (let t = -6; t <= 6; t += 0.25) {
      const c = studentTCdf(t, 4.5);
      expect(c).toBeGreaterThanOrEqual(prev);
      expect(c + studentTCdf(-t, 4.5)).toBeCloseTo(1, 13);
      prev = c;
    }
  });

  it('computes the lower incomplete gamma with its closed form for a = 1', () => {
    for (const x of [0.1, 1, 2.5, 10]) expect(incompleteGammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 13);
  });
});
