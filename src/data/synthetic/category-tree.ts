/**
 * The synthetic category tree: 1,669 nodes in 25 rooted trees (like the official file), depth ≤ 5,
 * raw ids a random subset of 0..1698. Some nodes hold items (leaves first); each populated category
 * has a complementary category in the same root tree (phone → phone case), which drives the
 * "bought together" structure.
 */
import type { Rng } from '../../core/rng.js';
import { permutation } from './sampling.js';

export const TREE_SIZE = 1_669;
const ROOTS = 25;
const MAX_DEPTH = 5;
const ID_RANGE = 1_699;

export interface CategoryTree {
  /** Raw category id of node n. */
  rawId: Int32Array;
  /** Parent node of node n, -1 for a root. */
  parent: Int32Array;
  /** Root node of node n. */
  root: Int32Array;
  /** Populated categories (node indices), in the order items are laid out. */
  populated: Int32Array;
  /** For populated category p (index into `populated`), its complementary populated category. */
  complement: Int32Array;
}

/** Builds the tree and chooses `nPopulated` categories that hold items. */
export function buildCategoryTree(rng: Rng, nPopulated: number): CategoryTree {
  const parent = new Int32Array(TREE_SIZE).fill(-1);
  const depth = new Int32Array(TREE_SIZE);
  const root = new Int32Array(TREE_SIZE);
  const children = new Int32Array(TREE_SIZE);
  for (let n = 0; n < ROOTS; n++) root[n] = n;
  // Random recursive forest: each new node hangs under a uniformly chosen earlier node.
  for (let n = ROOTS; n < TREE_SIZE; n++) {
    let p = rng.int(n);
    while (depth[p] >= MAX_DEPTH) p = parent[p];
    parent[n] = p;
    depth[n] = depth[p] + 1;
    root[n] = root[p];
    children[p]++;
  }
  const ids = permutation(rng, ID_RANGE).subarray(0, TREE_SIZE);
  const rawId = Int32Array.from(ids);
  const populated = choosePopulated(rng, children, Math.min(nPopulated, TREE_SIZE));
  const complement = chooseComplements(rng, populated, root, parent);
  return { rawId, parent, root, populated, complement };
}

function choosePopulated(rng: Rng, children: Int32Array, k: number): Int32Array {
  const leaves: number[] = [];
  const inner: number[] = [];
  for (let n = 0; n < TREE_SIZE; n++) (children[n] === 0 ? leaves : inner).push(n);
  rng.shuffle(leaves);
  rng.shuffle(inner);
  return Int32Array.from(leaves.concat(inner).slice(0, k));
}

function chooseComplements(
  rng: Rng,
  populated: Int32Array,
  root: Int32Array,
  parent: Int32Array,
): Int32Array {
  const k = populated.length;
  const comp = new Int32Array(k);
  for (let p = 0; p < k; p++) {
    const n = populated[p];
    // Prefer a category of the same root tree under another parent; fall back to any other one.
    let best = -1;
    for (let tries = 0; tries < 40 && best < 0; tries++) {
      const q = rng.int(k);
      const m = populated[q];
      if (q !== p && root[m] === root[n] && parent[m] !== parent[n]) best = q;
    }
    if (best < 0) best = k > 1 ? (p + 1 + rng.int(k - 1)) % k : p;
    comp[p] = best;
  }
  return comp;
}
