/**
 * Per-session features as of a time, from the session rows with ts < asOf only (rows at or after
 * asOf are ignored, so a session that straddles asOf is seen truncated). O(rows).
 */
import type { EventTable } from '../../core/events.js';
import type { SessionIndex } from '../../models/types.js';
import { DEFAULT_FUNNEL_CONFIG, funnelStageCode, parseFunnelConfig, type FunnelConfig } from './funnel.js';

export interface SessionFeatures {
  /** Number of rows before asOf. */
  length: Int32Array;
  /** Last minus first timestamp (ms) of those rows; 0 for sessions of 0 or 1 row. */
  durationMs: Float64Array;
  /** Distinct known categories (category ≥ 0) among those rows. */
  distinctCategories: Int32Array;
  /**
   * `FunnelStageCode` of the session's own rows, evaluated at min(asOf, last row ts + 1 ms): cold
   * (no rows before asOf), converted (a transaction in it, within the windows), intent (a cart not
   * followed by its purchase) or browsing. Same definition as `funnelStage`.
   */
  funnelStage: Uint8Array;
}

/** Features of every session of `sessions` as of `asOf`. */
export function sessionFeatures(
  events: EventTable,
  sessions: SessionIndex,
  asOf: number,
  funnel?: Partial<FunnelConfig>,
): SessionFeatures {
  const cfg = funnel === undefined ? DEFAULT_FUNNEL_CONFIG : parseFunnelConfig(funnel);
  const nS = sessions.offsets.length - 1;
  const out: SessionFeatures = {
    length: new Int32Array(nS),
    durationMs: new Float64Array(nS),
    distinctCategories: new Int32Array(nS),
    funnelStage: new Uint8Array(nS),
  };
  const { ts, category } = events;
  const lastSeenIn = new Map<number, number>();
  const { offsets, rows } = sessions;
  for (let s = 0; s < nS; s++) {
    let len = 0;
    let first = Infinity;
    let last = -Infinity;
    let cats = 0;
    for (let p = offsets[s]; p < offsets[s + 1]; p++) {
      const r = rows[p];
      if (!(ts[r] < asOf)) continue;
      len++;
      if (ts[r] < first) first = ts[r];
      if (ts[r] > last) last = ts[r];
      const c = category[r];
      if (c >= 0 && lastSeenIn.get(c) !== s) {
        lastSeenIn.set(c, s);
        cats++;
      }
    }
    out.length[s] = len;
    out.durationMs[s] = len > 0 ? last - first : 0;
    out.distinctCategories[s] = cats;
    const at = len > 0 ? Math.min(asOf, last + 1) : asOf;
    out.funnelStage[s] = funnelStageCode(
      events.event,
      ts,
      events.item,
      rows,
      offsets[s],
      offsets[s + 1],
      at,
      cfg,
    );
  }
  return out;
}
