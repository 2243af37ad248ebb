/**
 * Scoring-time ALS algebra on fixed item factors: fold-in of a user from a history
 * (implicit's `recalculate_user`) and the item–item explanation of a score (implicit's `explain`,
 * after Hu, Koren & Volinsky 2008 §5): with W_u = (G + Yᵀ(C_u − I)Y)⁻¹ the user's weighted
 * system, x_u = W_u Σ_j c_uj y_j, so score(u, i) = y_i·x_u = Σ_j c_uj (y_iᵀ W_u y_j): item j's
 * contribution is c_uj · (W_u y_i)·y_j.
 *
 * Cost per call: O(|history|·k² + k³); memory O(k²).
 */
import { buildRowSystem } from './solver.js';
import { choleskyInPlace, choleskySolveInPlace } from './linalg.js';

/** The user's factored system: L (Cholesky of A), b, and the history it came from. */
export interface UserSystem {
  readonly L: Float64Array;
  readonly b: Float64Array;
  readonly items: Int32Array;
  readonly weights: Float32Array;
}

/** Factors the exact user system for `items` with strengths `weights` (G = YᵀY + λI given). */
export function userSystem(
  Y: Float32Array,
  G: Float64Array,
  items: Int32Array,
  weights: Float32Array,
  alpha: number,
  k: number,
): UserSystem {
  const L = new Float64Array(k * k);
  const b = new Float64Array(k);
  buildRowSystem(Y, G, items, weights, 0, items.length, alpha, k, L, b);
  choleskyInPlace(L, k);
  return { L, b, items, weights };
}

/** x_u = A⁻¹ b: the exact least-squares user factor for the history. */
export function solveUser(sys: UserSystem, k: number): Float32Array {
  const x = Float64Array.from(sys.b);
  choleskySolveInPlace(sys.L, k, x);
  return Float32Array.from(x);
}

/** One history item's share of a score. */
export interface Contribution {
  readonly item: number;
  readonly contribution: number;
}

/** What `explain` returns: the total score and the history items sorted by contribution. */
export interface AlsExplanation {
  /** Σ of all contributions = y_item · x_u for the exactly solved x_u. */
  readonly score: number;
  /** Top `n` history items by contribution, largest first. */
  readonly contributions: Contribution[];
}

/** Item–item contributions of the history to the score of `item` (see file header). */
export function explainScore(
  sys: UserSystem,
  Y: Float32Array,
  item: number,
  alpha: number,
  k: number,
  n: number,
): AlsExplanation {
  const wy = new Float64Array(k);
  for (let a = 0; a < k; a++) wy[a] = Y[item * k + a];
  choleskySolveInPlace(sys.L, k, wy);
  const all: Contribution[] = [];
  let score = 0;
  for (let t = 0; t < sys.items.length; t++) {
    const j = sys.items[t];
    let d = 0;
    for (let a = 0; a < k; a++) d += wy[a] * Y[j * k + a];
    const c = (1 + alpha * sys.weights[t]) * d;
    score += c;
    all.push({ item: j, contribution: c });
  }
  all.sort((p, q) => q.contribution - p.contribution || p.item - q.item);
  return { score, contributions: all.slice(0, n) };
}
