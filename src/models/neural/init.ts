/** Weight initialisers driven by the seeded {@link Rng} (never tfjs' own random state). */
import type { Rng } from '../../core/rng.js';

/**
 * Uniform in [−σ, σ] with σ = √(6 / (rows + cols)) unless given (Glorot; GRU4Rec's `init_matrix`
 * with `sigma = 0`). Row-major rows × cols.
 */
export function uniformInit(rng: Rng, rows: number, cols: number, sigma?: number): Float32Array {
  const s = sigma ?? Math.sqrt(6 / (rows + cols));
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = (rng.next() * 2 - 1) * s;
  return out;
}

/** Normal(0, σ²) values, row-major rows × cols. */
export function normalInit(rng: Rng, rows: number, cols: number, sigma: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = rng.normal() * sigma;
  return out;
}
