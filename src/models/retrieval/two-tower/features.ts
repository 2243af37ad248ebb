/**
 * Query-tower inputs shared by training and serving (one definition, so the two cannot drift):
 * the pooled history slots (most recent `historyLength` items, weight eventWeight·decay^age,
 * normalised to sum 1) and the funnel stage (`src/data/processing/funnel.ts`) as of the query time.
 */
import { DEFAULT_FUNNEL_CONFIG, FunnelStageCode, funnelStageCode } from '../../../data/processing/funnel.js';

/** Number of funnel stages (embedding rows of the stage feature). */
export const N_STAGES = 4;

/**
 * Fills `ids`/`wts` (length ≥ historyLength) with the history slots of rows `rows[s..e)` (time
 * order, oldest first) of the columns `item`/`event`; returns the slot count. Items outside
 * [0, nItems) are skipped; weights sum to 1 (0 slots when no item has positive weight).
 */
export function historySlots(
  item: Int32Array,
  event: Uint8Array,
  rows: Int32Array | null,
  s: number,
  e: number,
  nItems: number,
  historyLength: number,
  decay: number,
  eventWeight: Float64Array,
  ids: Int32Array,
  wts: Float32Array,
): number {
  let n = 0;
  let age = 0;
  let sum = 0;
  for (let p = e - 1; p >= s && n < historyLength; p--) {
    const r = rows ? rows[p] : p;
    const it = item[r];
    if (it < 0 || it >= nItems) continue;
    const w = (eventWeight[event[r]] ?? 1) * Math.pow(decay, age++);
    if (!(w > 0)) continue;
    ids[n] = it;
    wts[n++] = w;
    sum += w;
  }
  for (let k = 0; k < n; k++) wts[k] /= sum;
  return n;
}

/** Funnel stage code of rows `rows[s..e)` as of `asOf` (cold when there is no timestamp column). */
export function stageOf(
  event: Uint8Array,
  ts: Float64Array | undefined,
  item: Int32Array,
  rows: Int32Array,
  s: number,
  e: number,
  asOf: number,
): number {
  if (!ts) return e > s ? FunnelStageCode.browsing : FunnelStageCode.cold;
  return funnelStageCode(event, ts, item, rows, s, e, asOf, DEFAULT_FUNNEL_CONFIG);
}
