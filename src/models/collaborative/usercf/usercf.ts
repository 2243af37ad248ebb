/**
 * User-CF — user-based collaborative filtering (Resnick et al. 1994; Herlocker et al. 1999), for
 * implicit feedback with cosine similarity and no dense user × user matrix:
 *
 * r̂_v = row v of the (event-weighted, optionally time-decayed) user × item matrix, L2-normalised;
 * for a query with profile a (`query-profile.ts`; works the same for users unseen at training),
 * sim(q, v) = a · r̂_v / ‖a‖ is accumulated only over users sharing an item with q, through the
 * item → user index; the `neighbours` most similar users (the query's own training user excluded)
 * give score(i) = Σ_v sim(q, v) · r̂_vi, plus `popularityTieBreak` · pop(i).
 *
 * Cost: fit O(nnz) time and memory (the matrix and its transpose). Score per query
 * O(Σ_{h ∈ profile} |users(h)| + C log C + Σ_{neighbours} |items(v)| + nItems), C = users touched;
 * scratch O(nUsers + nItems), allocated once.
 */
import { z } from 'zod';
import { RecError } from '../../../core/errors.js';
import { dropZeroEntries, interactionMatrix, transposeCsr, type Csr } from '../../common/csr.js';
import { EventWeightsSchema, weightTable } from '../../common/event-weights.js';
import type { ModelEntry } from '../../registry.js';
import type { FitContext, ModelArtifact, Query, Recommender, TrainData } from '../../types.js';
import { ProfileConfigShape, ProfileScratch } from '../itemcf/query-profile.js';

export const UserCfConfigSchema = z
  .object({
    /** Neighbour users aggregated per query. */
    neighbours: z.number().int().min(1).default(50),
    eventWeights: EventWeightsSchema.default({ view: 1, addtocart: 3, transaction: 5 }),
    /** Half-life in days of the training-event time decay; null = none. */
    halfLifeDays: z.number().positive().nullable().default(null),
    ...ProfileConfigShape,
    popularityTieBreak: z.number().min(0).default(1e-4),
  })
  .strict();
export type UserCfConfig = z.infer<typeof UserCfConfigSchema>;

interface UserCfState {
  /** user × item, rows L2-normalised. */
  users: Csr;
  /** item × user (transpose of `users`). */
  items: Csr;
  pop: Float32Array;
}

export class UserCfRecommender implements Recommender {
  readonly name = 'usercf';
  readonly capabilities = {
    coldUsers: true,
    coldItems: false,
    sessionInput: true,
    itemToItem: false,
    incremental: false,
  } as const;
  private state: UserCfState | undefined;
  private scratch:
    { profile: ProfileScratch; sim: Float64Array; touched: Int32Array; acc: Float64Array } | undefined;

  constructor(readonly config: UserCfConfig) {}

  get nItems(): number {
    return this.state?.pop.length ?? 0;
  }

  async fit(data: TrainData, _ctx: FitContext): Promise<void> {
    const m = dropZeroEntries(interactionMatrix(data, this.config).byRow);
    const norm = new Float32Array(m.data.length);
    for (let u = 0; u < m.nRows; u++) {
      let ss = 0;
      for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) ss += m.data[p] * m.data[p];
      const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
      for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) norm[p] = m.data[p] * inv;
    }
    const users: Csr = { ...m, data: norm };
    const items = transposeCsr(users);
    const pop = new Float32Array(data.nItems);
    let max = 0;
    for (let i = 0; i < data.nItems; i++)
      max = Math.max(max, (pop[i] = items.indptr[i + 1] - items.indptr[i]));
    if (max > 0) for (let i = 0; i < pop.length; i++) pop[i] /= max;
    this.setState({ users, items, pop });
  }

  private setState(st: UserCfState): void {
    this.state = st;
    this.scratch = {
      profile: new ProfileScratch(st.pop.length),
      sim: new Float64Array(st.users.nRows),
      touched: new Int32Array(st.users.nRows),
      acc: new Float64Array(st.pop.length),
    };
  }

  scoreBatch(queries: readonly Query[], out: Float32Array): void {
    const st = this.state;
    const sc = this.scratch;
    if (!st || !sc)
      throw new RecError(
        'NOT_FITTED',
        `Model "${this.name}" is not fitted: call fit() or load an artifact first`,
      );
    const n = st.pop.length;
    const ew = weightTable(this.config.eventWeights);
    for (let q = 0; q < queries.length; q++) {
      const acc = this.scoreOne(queries[q], st, sc, ew);
      const base = q * n;
      for (let i = 0; i < n; i++) out[base + i] = acc[i] + this.config.popularityTieBreak * st.pop[i];
    }
  }

  private scoreOne(
    query: Query,
    st: UserCfState,
    sc: NonNullable<UserCfRecommender['scratch']>,
    ew: Float64Array,
  ): Float64Array {
    const { profile, sim, touched, acc } = sc;
    acc.fill(0);
    profile.fill(query.items, query.events, query.sessionStart, ew, this.config);
    let qq = 0;
    for (let t = 0; t < profile.size; t++) qq += profile.weight[profile.items[t]] ** 2;
    if (qq === 0) return acc;
    const inv = 1 / Math.sqrt(qq);
    // sim(q, v) over the users sharing an item with the query (item → user index).
    let nt = 0;
    const { indptr: iPtr, indices: iUser, data: iVal } = st.items;
    for (let t = 0; t < profile.size; t++) {
      const h = profile.items[t];
      const a = profile.weight[h] * inv;
      if (a === 0) continue; // keeps sim[v] > 0 for every touched user (matrix entries are > 0)
      for (let p = iPtr[h]; p < iPtr[h + 1]; p++) {
        const v = iUser[p];
        if (v === query.user) continue;
        if (sim[v] === 0) touched[nt++] = v;
        sim[v] += a * iVal[p];
      }
    }
    // The k most similar users (ties: lower user index first); the scratch is cleared on the way.
    const cand = Array.from(touched.subarray(0, nt));
    const simOf = new Float64Array(nt);
    cand.forEach((v, j) => {
      simOf[j] = sim[v];
      sim[v] = 0;
    });
    const order = Array.from(cand.keys()).sort((x, y) => simOf[y] - simOf[x] || cand[x] - cand[y]);
    const k = Math.min(this.config.neighbours, order.length);
    const { indptr: uPtr, indices: uItem, data: uVal } = st.users;
    for (let j = 0; j < k; j++) {
      const v = cand[order[j]];
      const s = simOf[order[j]];
      for (let p = uPtr[v]; p < uPtr[v + 1]; p++) acc[uItem[p]] += s * uVal[p];
    }
    return acc;
  }

  toArtifact(): ModelArtifact {
    const st = this.state;
    if (!st) throw new RecError('NOT_FITTED', `Model "${this.name}" is not fitted: call fit() first`);
    return {
      model: this.name,
      config: this.config,
      state: { nItems: st.pop.length, nUsers: st.users.nRows },
      arrays: { indptr: st.users.indptr, indices: st.users.indices, data: st.users.data, pop: st.pop },
    };
  }

  static fromArtifact(a: ModelArtifact, config: UserCfConfig): UserCfRecommender {
    const m = new UserCfRecommender(config);
    const indptr = a.arrays.indptr as Int32Array | undefined;
    if (!indptr) throw new RecError('ARTIFACT_INVALID', 'User-CF artifact lacks its user × item matrix');
    const users: Csr = {
      nRows: indptr.length - 1,
      nCols: Number(a.state.nItems),
      indptr,
      indices: a.arrays.indices as Int32Array,
      data: a.arrays.data as Float32Array,
    };
    m.setState({ users, items: transposeCsr(users), pop: a.arrays.pop as Float32Array });
    return m;
  }
}

/** Registry entry of User-CF (wired into `registry.ts` by the lead). */
export const usercfEntry: ModelEntry = {
  name: 'usercf',
  family: 'collaborative',
  description:
    'User-based CF: cosine user neighbours found through the item → user index (no user × user matrix)',
  planted: 'groups',
  configSchema: UserCfConfigSchema,
  create: (c) => new UserCfRecommender(c as UserCfConfig),
  fromArtifact: (a, c) => UserCfRecommender.fromArtifact(a, c as UserCfConfig),
};
