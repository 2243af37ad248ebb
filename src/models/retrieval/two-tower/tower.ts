/**
 * The two towers in plain TypeScript (serving needs no tfjs):
 *   query  q = normalise(Σ_k a_k · H[h_k] + S[stage])   (a_k: recency/event weights, Σ a_k = 1)
 *   item   v_i = normalise(E[i] + C[category(i)])
 *   score(q, i) = q · v_i  (cosine; τ and the logQ correction only shape training).
 * Cost: O(L·d) per query vector, O(nItems · d) to score the catalogue.
 */

/** L2-normalises `x` in place (a zero vector stays zero); returns it. */
export function normalise(x: Float32Array): Float32Array {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += x[k] * x[k];
  if (s > 0) {
    const inv = 1 / Math.sqrt(s);
    for (let k = 0; k < x.length; k++) x[k] *= inv;
  }
  return x;
}

/** Query vector from history slots and a stage row (stage < 0 = no stage feature). */
export function queryVector(
  H: Float32Array,
  S: Float32Array,
  dim: number,
  ids: Int32Array,
  wts: Float32Array,
  n: number,
  stage: number,
  out: Float32Array = new Float32Array(dim),
): Float32Array {
  out.fill(0);
  for (let k = 0; k < n; k++) {
    const o = ids[k] * dim;
    const a = wts[k];
    for (let j = 0; j < dim; j++) out[j] += a * H[o + j];
  }
  if (stage >= 0) for (let j = 0; j < dim; j++) out[j] += S[stage * dim + j];
  return normalise(out);
}

/** Normalised item vectors V (nItems × dim) from the id and category embeddings. */
export function itemTower(
  E: Float32Array,
  C: Float32Array | null,
  itemCat: Int32Array,
  dim: number,
): Float32Array {
  const n = itemCat.length;
  const V = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const v = V.subarray(i * dim, (i + 1) * dim);
    v.set(E.subarray(i * dim, (i + 1) * dim));
    if (C) {
      const c = itemCat[i] * dim;
      for (let j = 0; j < dim; j++) v[j] += C[c + j];
    }
    normalise(v);
  }
  return V;
}

/** out[i] = q · V[i] for every item. */
export function scoreItems(V: Float32Array, q: Float32Array, dim: number, out: Float32Array): void {
  const n = out.length;
  for (let i = 0, o = 0; i < n; i++, o += dim) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += q[j] * V[o + j];
    out[i] = s;
  }
}

/** Dense category index of every item: raw ids in first-seen order, unknown (−1) → the last row. */
export function categoryIndex(itemCategory: Int32Array): { itemCat: Int32Array; nRows: number } {
  const map = new Map<number, number>();
  for (const c of itemCategory) if (c >= 0 && !map.has(c)) map.set(c, map.size);
  const unknown = map.size;
  return {
    itemCat: Int32Array.from(itemCategory, (c) => (c >= 0 ? map.get(c)! : unknown)),
    nRows: unknown + 1,
  };
}
