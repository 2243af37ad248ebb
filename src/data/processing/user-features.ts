/**
 * Per-user features as of a time, from events with ts < asOf only: recency, frequency, a
 * monetary proxy, RFM quintile scores, funnel stage and activity level. One pass over the rows
 * grouped by user (O(n + nUsers)) plus two native sorts of the active users' values.
 *
 * RetailRocket has no prices, so "monetary" is the number of transaction events.
 */
import { z } from 'zod';
import type { EventTable } from '../../core/events.js';
import { RecError } from '../../core/errors.js';
import { DAY_MS, FunnelConfigSchema, funnelStageCode } from './funnel.js';
import { groupByKey, rowsBefore } from './order.js';
import { DEFAULT_SESSION_GAP_MS } from './sessions.js';

export const ACTIVITY_LEVELS = ['new', 'occasional', 'regular', 'heavy'] as const;
export type ActivityLevel = (typeof ACTIVITY_LEVELS)[number];

/** User feature configuration; unknown keys are errors. */
export const UserFeatureConfigSchema = z
  .object({
    funnel: FunnelConfigSchema.prefault({}),
    /** Gap that separates two sessions when counting a user's sessions. */
    sessionGapMs: z.number().nonnegative().default(DEFAULT_SESSION_GAP_MS),
    /**
     * Activity level by number of sessions before asOf: `new` below `occasional` (0 or 1 session
     * with the defaults), `occasional` from 2, `regular` from 4, `heavy` from 10 sessions.
     */
    activity: z
      .object({
        occasional: z.number().int().positive().default(2),
        regular: z.number().int().positive().default(4),
        heavy: z.number().int().positive().default(10),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type UserFeatureConfig = z.infer<typeof UserFeatureConfigSchema>;

/** Feature columns, one entry per user index. */
export interface UserFeatures {
  nUsers: number;
  asOf: number;
  /** Days from the last event to asOf; NaN for users with no event before asOf. */
  recencyDays: Float32Array;
  /** Number of events (frequency). */
  events: Int32Array;
  /** Number of sessions (frequency in visits). */
  sessions: Int32Array;
  /** Number of transaction events (monetary proxy: the data has no prices). */
  transactions: Int32Array;
  /**
   * RFM quintile scores 1..5 among users active before asOf (0 for users with none): R from
   * recency (recent = 5), F from sessions, M from transactions. Tied values get the same score
   * (the score of the first of them in sorted order), so a mass of zeros all scores 1.
   */
  rScore: Uint8Array;
  fScore: Uint8Array;
  mScore: Uint8Array;
  /** `FunnelStageCode` (index into `FUNNEL_STAGES`). */
  funnelStage: Uint8Array;
  /** Index into `ACTIVITY_LEVELS`. */
  activity: Uint8Array;
  config: UserFeatureConfig;
}

export type UserFeatureOptions = { nUsers: number } & {
  [K in keyof UserFeatureConfig]?: Partial<UserFeatureConfig[K]>;
};

/** Per-user features of `events` as of `asOf` (users `0..nUsers-1`). */
export function userFeatures(events: EventTable, asOf: number, opts: UserFeatureOptions): UserFeatures {
  const { nUsers, ...rest } = opts;
  const parsed = UserFeatureConfigSchema.safeParse(rest);
  if (!parsed.success) {
    throw new RecError('CONFIG_INVALID', `Invalid user feature config: ${parsed.error.message}`);
  }
  const config = parsed.data;
  const rows = rowsBefore(events, asOf);
  for (let r = 0; r < rows.length; r++) {
    const u = events.user[rows[r]];
    if (u < 0 || u >= nUsers)
      throw new RecError('DATA_INVALID', `userFeatures: user index ${u} outside 0..${nUsers - 1}`);
  }
  const { sorted, start } = groupByKey(rows, events.user, nUsers);
  const f: UserFeatures = {
    nUsers,
    asOf,
    recencyDays: new Float32Array(nUsers).fill(NaN),
    events: new Int32Array(nUsers),
    sessions: new Int32Array(nUsers),
    transactions: new Int32Array(nUsers),
    rScore: new Uint8Array(nUsers),
    fScore: new Uint8Array(nUsers),
    mScore: new Uint8Array(nUsers),
    funnelStage: new Uint8Array(nUsers),
    activity: new Uint8Array(nUsers),
    config,
  };
  const { ts, event } = events;
  const { activity: act, sessionGapMs } = config;
  for (let u = 0; u < nUsers; u++) {
    const s = start[u];
    const e = start[u + 1];
    if (e === s) continue;
    let sessions = 1;
    let tx = 0;
    for (let p = s; p < e; p++) {
      if (p > s && ts[sorted[p]] - ts[sorted[p - 1]] > sessionGapMs) sessions++;
      if (event[sorted[p]] === 2) tx++;
    }
    f.events[u] = e - s;
    f.sessions[u] = sessions;
    f.transactions[u] = tx;
    f.recencyDays[u] = (asOf - ts[sorted[e - 1]]) / DAY_MS;
    f.funnelStage[u] = funnelStageCode(event, ts, events.item, sorted, s, e, asOf, config.funnel);
    f.activity[u] =
      sessions >= act.heavy ? 3 : sessions >= act.regular ? 2 : sessions >= act.occasional ? 1 : 0;
  }
  const active = new Int32Array(nUsers);
  let nActive = 0;
  for (let u = 0; u < nUsers; u++) if (f.events[u] > 0) active[nActive++] = u;
  const act2 = active.subarray(0, nActive);
  quintiles(act2, (u) => -f.recencyDays[u], f.rScore);
  quintiles(act2, (u) => f.sessions[u], f.fScore);
  quintiles(act2, (u) => f.transactions[u], f.mScore);
  return f;
}

/**
 * score[u] = 1 + floor(5 · lowerBound(sorted values, value(u)) / n) for each u in `users`:
 * the quintile of the first of the user's tied values.
 */
export function quintiles(users: Int32Array, value: (u: number) => number, score: Uint8Array): void {
  const n = users.length;
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = value(users[i]);
  const sortedV = v.slice().sort();
  for (let i = 0; i < n; i++) {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sortedV[mid] < v[i]) lo = mid + 1;
      else hi = mid;
    }
    score[users[i]] = 1 + Math.floor((5 * lo) / n);
  }
}
