/**
 * User-level temporal cases (P1, P3): each user active in `[from, to)` is asked for
 * recommendations at `from` with everything the system knew before `from` as history; the targets
 * are the distinct items they interacted with in `[from, to)` that the training catalogue knows.
 */
import { EventCode, type EventTable } from '../../core/events.js';
import {
  DEFAULT_FUNNEL_CONFIG,
  FUNNEL_STAGES,
  funnelStageCode,
  type FunnelConfig,
} from '../../data/processing/funnel.js';
import type { Query } from '../../models/types.js';
import type { EvalCase } from '../types.js';
import type { IndexMaps } from './train-data.js';

export interface UserCaseOptions {
  /** Exclude items already in the user's history from the ranking (and from the targets). */
  excludeSeen: boolean;
  /** Inactivity gap that starts the current session inside the history. */
  sessionGapMs: number;
  funnel?: FunnelConfig;
}

/** Cases for all targets, and for targets of each event type (breakdown by target event type). */
export interface UserCases {
  all: EvalCase[];
  byEvent: Record<'view' | 'addtocart' | 'transaction', EvalCase[]>;
  /** Users active in the window whose targets were all unknown items (dropped, counted). */
  droppedNoKnownTarget: number;
}

/**
 * Builds the cases. `events` must be time-sorted (the EventTable contract); history = rows with
 * ts < from (mapped to train indices; items unknown to training are dropped from histories).
 */
export function buildUserCases(
  events: EventTable,
  from: number,
  to: number,
  maps: IndexMaps,
  opts: UserCaseOptions,
): UserCases {
  const future = new Map<number, number[]>();
  const hist = new Map<number, number[]>();
  for (let r = 0; r < events.length; r++) {
    const t = events.ts[r];
    if (t >= to) break;
    const u = events.user[r];
    const bucket = t < from ? hist : future;
    let list = bucket.get(u);
    if (!list) bucket.set(u, (list = []));
    list.push(r);
  }
  const out: UserCases = {
    all: [],
    byEvent: { view: [], addtocart: [], transaction: [] },
    droppedNoKnownTarget: 0,
  };
  const users = Array.from(future.keys()).sort((a, b) => a - b);
  for (const u of users) {
    const query = userQuery(events, hist.get(u) ?? [], maps, u, from, opts.sessionGapMs);
    const seen = opts.excludeSeen ? Int32Array.from(new Set(query.items)).sort() : undefined;
    const seenSet = new Set(seen ?? []);
    const perType: Set<number>[] = [new Set(), new Set(), new Set()];
    const all = new Set<number>();
    for (const r of future.get(u)!) {
      const it = maps.itemFromDataset[events.item[r]];
      if (it < 0 || seenSet.has(it)) continue;
      all.add(it);
      perType[events.event[r]].add(it);
    }
    if (all.size === 0) {
      out.droppedNoKnownTarget++;
      continue;
    }
    const stage =
      FUNNEL_STAGES[
        funnelStageCode(
          query.events,
          query.ts!,
          query.items,
          Int32Array.from(query.items.keys()),
          0,
          query.items.length,
          from,
          opts.funnel ?? DEFAULT_FUNNEL_CONFIG,
        )
      ];
    const groups = { user: query.user >= 0 ? 'warm' : 'cold', stage };
    const mk = (targets: Set<number>): EvalCase => ({
      query,
      targets: Int32Array.from(targets).sort(),
      exclude: seen,
      groups,
    });
    out.all.push(mk(all));
    (['view', 'addtocart', 'transaction'] as const).forEach((name) => {
      if (perType[EventCode[name]].size > 0) out.byEvent[name].push(mk(perType[EventCode[name]]));
    });
  }
  return out;
}

function userQuery(
  events: EventTable,
  rows: number[],
  maps: IndexMaps,
  u: number,
  time: number,
  gapMs: number,
): Query {
  const kept = rows.filter((r) => maps.itemFromDataset[events.item[r]] >= 0);
  const items = Int32Array.from(kept, (r) => maps.itemFromDataset[events.item[r]]);
  const ev = Uint8Array.from(kept, (r) => events.event[r]);
  const ts = Float64Array.from(kept, (r) => events.ts[r]);
  // The current session is the last run of events separated by at most `gapMs`.
  let sessionStart = Math.max(ts.length - 1, 0);
  while (sessionStart > 0 && ts[sessionStart] - ts[sessionStart - 1] <= gapMs) sessionStart--;
  return { user: maps.userFromDataset[u], items, events: ev, ts, sessionStart, time };
}
