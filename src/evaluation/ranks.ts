/**
 * Ranks of the target items in a full ranking over the whole catalogue (no sampled negatives), with
 * conservative tie-breaking.
 *
 * Definition (1-based). Let `E` be the excluded items (removed from the ranking) and `T` the targets.
 * For a target `t ∉ E`:
 *
 *   rank(t) = 1 + #{j ∉ T ∪ E : s_j ≥ s_t} + #{t' ∈ T \ E, t' ≠ t : s_t' > s_t, or s_t' = s_t and t' < t}
 *
 * so a target tied with non-targets is placed after all of them (it never profits from a tie), and
 * tied targets are ordered by item index (every target keeps a distinct rank). A target in `E` cannot
 * be hit and gets {@link UNREACHABLE_RANK}. `-Infinity` scores rank last (after every finite score,
 * ties still conservative); `NaN` scores throw a `NUMERIC` error that names the item.
 */
import { RecError } from '../core/errors.js';
import { firstNan, nanScoreError, sortedContains } from './case-scores.js';

/**
 * Rank given to a target that is excluded from the ranking (it can never be recommended, hence never
 * hit). It is larger than any cut-off, so metrics treat it as a miss without a special case.
 */
export const UNREACHABLE_RANK = 0x7fffffff;

function checkTargets(targets: Int32Array, nItems: number): void {
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i];
    if (t < 0 || t >= nItems) {
      throw new RecError('DATA_INVALID', `Target item ${t} is outside the catalogue [0, ${nItems})`, {
        item: t,
      });
    }
  }
}

/** Sorted distinct copy of `a`. */
function sortedDistinct(a: Int32Array): Int32Array {
  const s = Int32Array.from(a).sort();
  let n = 0;
  for (let i = 0; i < s.length; i++) if (i === 0 || s[i] !== s[i - 1]) s[n++] = s[i];
  return s.subarray(0, n);
}

/**
 * Conservative full-ranking ranks of `targets` (distinct item indices) given the scores of one case,
 * `scores[offset + i]` for item `i < nItems`. Returns `out[i]` = rank of `targets[i]` (1-based), or
 * {@link UNREACHABLE_RANK} for an excluded target.
 *
 * Cost: for up to 16 targets (the usual case), ⌈|T|/4⌉ branch-free passes over the scores
 * (≈ 1 ns per item and pass, whatever the score distribution); above that one pass with a binary
 * search over the sorted target scores for the items scoring at least the lowest target. Set-up
 * O(|T| log |T| + |E| log |E|); no allocation proportional to nItems.
 *
 * How: G(t) = #{j ∉ E : s_j ≥ s_t} counts the target itself and every non-excluded target scoring at
 * least as high, so the definition above simplifies to rank(t) = G(t) − #{t' ∈ T \ E : s_t' = s_t, t' > t}.
 * G is first counted over all items, then the excluded items scoring ≥ s_t are subtracted.
 *
 * @throws RecError NUMERIC when a score is NaN; DATA_INVALID when a target is out of range or repeated.
 */
export function targetRanks(
  scores: Float32Array,
  offset: number,
  nItems: number,
  targets: Int32Array,
  exclude?: Int32Array,
  out?: Int32Array,
): Int32Array {
  const m = targets.length;
  const res = out ?? new Int32Array(m);
  if (m === 0) return res;
  checkTargets(targets, nItems);
  if (m > 1 && sortedDistinct(targets).length !== m) {
    throw new RecError(
      'DATA_INVALID',
      `Targets must be distinct items; an item is listed twice in [${targets.join(', ')}]`,
    );
  }
  const excl = exclude && exclude.length > 0 ? sortedDistinct(exclude) : undefined;
  if (excl && (excl[0] < 0 || excl[excl.length - 1] >= nItems)) {
    throw new RecError(
      'DATA_INVALID',
      `Excluded items must be in [0, ${nItems}); got ${excl[0]}..${excl[excl.length - 1]}`,
    );
  }

  // Targets that take part in the ranking; `ts[p]` is the score of `targets[live[p]]`.
  const live: number[] = [];
  for (let i = 0; i < m; i++) {
    const t = targets[i];
    if (scores[offset + t] !== scores[offset + t]) throw nanScoreError(t, offset);
    if (excl && sortedContains(excl, t)) res[i] = UNREACHABLE_RANK;
    else live.push(i);
  }
  const n = live.length;
  if (n === 0) return res;
  // Sorted by score ascending, ties by item index ascending (Infinity − Infinity is NaN, which is
  // falsy, so tied infinities fall through to the index as well).
  live.sort((a, b) => scores[offset + targets[a]] - scores[offset + targets[b]] || targets[a] - targets[b]);
  const ts = new Float64Array(n);
  for (let p = 0; p < n; p++) ts[p] = scores[offset + targets[live[p]]];

  // g[p] = G(target at sorted position p) = #{j : s_j ≥ ts[p]} over all items, then minus excluded ones.
  const g = new Float64Array(n);
  const nanAt =
    n <= GROUPED_MAX_TARGETS
      ? countGrouped(scores, offset, nItems, ts, g)
      : countBySearch(scores, offset, nItems, ts, g);
  if (nanAt >= 0) throw nanScoreError(nanAt, offset);
  if (excl) subtractExcluded(scores, offset, excl, ts, g);

  // Tied targets with a larger index rank before t: subtract them (positions after p in the same tie run).
  let runEnd = n;
  for (let p = n - 1; p >= 0; p--) {
    if (p < n - 1 && ts[p] !== ts[p + 1]) runEnd = p + 1;
    res[live[p]] = g[p] - (runEnd - 1 - p);
  }
  return res;
}

/** Up to this many live targets, counts use branch-free passes (4 targets per pass); above, a binary search per item. */
const GROUPED_MAX_TARGETS = 16;

/**
 * g[p] = #{j : s_j ≥ ts[p]} with branch-free compares (`+(s >= t)` compiles without a jump, so the
 * cost does not depend on how predictable the comparison is: ≈ 1 ns per item and pass). Returns the
 * first NaN item or −1. A missing threshold is NaN, which no score reaches.
 */
function countGrouped(
  scores: Float32Array,
  offset: number,
  nItems: number,
  ts: Float64Array,
  g: Float64Array,
): number {
  const n = ts.length;
  const end = offset + nItems;
  let nan = 0;
  if (n === 1) {
    const t0 = ts[0];
    let c0 = 0;
    for (let j = offset; j < end; j++) {
      const s = scores[j];
      c0 += +(s >= t0);
      nan |= +(s !== s);
    }
    g[0] = c0;
  } else {
    for (let p = 0; p < n; p += 4) {
      const t0 = ts[p];
      const t1 = p + 1 < n ? ts[p + 1] : NaN;
      const t2 = p + 2 < n ? ts[p + 2] : NaN;
      const t3 = p + 3 < n ? ts[p + 3] : NaN;
      let c0 = 0;
      let c1 = 0;
      let c2 = 0;
      let c3 = 0;
      for (let j = offset; j < end; j++) {
        const s = scores[j];
        c0 += +(s >= t0);
        c1 += +(s >= t1);
        c2 += +(s >= t2);
        c3 += +(s >= t3);
        nan |= +(s !== s);
      }
      g[p] = c0;
      if (p + 1 < n) g[p + 1] = c1;
      if (p + 2 < n) g[p + 2] = c2;
      if (p + 3 < n) g[p + 3] = c3;
    }
  }
  return nan !== 0 ? firstNan(scores, offset, nItems) : -1;
}

/**
 * Same result as {@link countGrouped} for many targets: each item scoring at least the lowest target
 * adds one to a bucket at the number of target scores it reaches (binary search in the ascending
 * `ts`); a suffix sum turns buckets into counts. O(nItems + h log n) for h items above the lowest target.
 */
function countBySearch(
  scores: Float32Array,
  offset: number,
  nItems: number,
  ts: Float64Array,
  g: Float64Array,
): number {
  const n = ts.length;
  const bucket = new Float64Array(n + 1);
  const lowest = ts[0];
  const end = offset + nItems;
  for (let j = offset; j < end; j++) {
    const s = scores[j];
    if (s >= lowest) {
      let lo = 1;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ts[mid] <= s) lo = mid + 1;
        else hi = mid;
      }
      bucket[lo]++;
    } else if (s !== s) {
      return j - offset;
    }
  }
  let acc = 0;
  for (let p = n - 1; p >= 0; p--) {
    acc += bucket[p + 1];
    g[p] = acc;
  }
  return -1;
}

/** Removes excluded items from G: each excluded item with s_e ≥ ts[p] was counted in g[p]. */
function subtractExcluded(
  scores: Float32Array,
  offset: number,
  excl: Int32Array,
  ts: Float64Array,
  g: Float64Array,
): void {
  const n = ts.length;
  for (let e = 0; e < excl.length; e++) {
    const s = scores[offset + excl[e]];
    if (!(s >= ts[0])) continue;
    for (let p = 0; p < n && ts[p] <= s; p++) g[p]--;
  }
}

/**
 * Readable reference for {@link targetRanks}: sorts every non-excluded item by (score descending,
 * non-targets before targets, index ascending) and reads off positions. O(nItems log nItems); for tests.
 */
export function targetRanksReference(
  scores: Float32Array,
  offset: number,
  nItems: number,
  targets: Int32Array,
  exclude?: Int32Array,
): Int32Array {
  const isTarget = new Set(targets);
  const isExcluded = new Set(exclude ?? []);
  const items: number[] = [];
  for (let i = 0; i < nItems; i++) {
    const s = scores[offset + i];
    if (Number.isNaN(s)) throw nanScoreError(i, offset);
    if (!isExcluded.has(i)) items.push(i);
  }
  const key = (i: number): number => scores[offset + i];
  items.sort((a, b) => {
    const sa = key(a);
    const sb = key(b);
    if (sa !== sb) return sb > sa ? 1 : -1;
    const ta = isTarget.has(a) ? 1 : 0;
    const tb = isTarget.has(b) ? 1 : 0;
    return ta - tb || a - b;
  });
  const pos = new Map<number, number>();
  items.forEach((item, p) => pos.set(item, p + 1));
  return Int32Array.from(targets, (t) => pos.get(t) ?? UNREACHABLE_RANK);
}
