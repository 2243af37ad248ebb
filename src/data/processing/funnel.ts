/**
 * The funnel stage of a user (or session) as of a time — THE one definition shared by training,
 * evaluation and serving. Only events with ts < asOf are looked at.
 *
 * - `cold`: no events before asOf.
 * - `converted`: a transaction with asOf − ts ≤ `convertedWindowMs` (default 7 days).
 * - `intent`: otherwise, an addtocart with asOf − ts ≤ `intentWindowMs` (default 3 days) that is
 *   not followed (at the same time or later, before asOf) by a transaction of the same item — of
 *   any item when the history carries no item column.
 * - `browsing`: everything else.
 *
 * Cost: O(n + carts-in-window × n) per history; histories are per user, so this is linear in
 * practice.
 */
import { z } from 'zod';
import { RecError } from '../../core/errors.js';

export const DAY_MS = 86_400_000;

export const FUNNEL_STAGES = ['cold', 'browsing', 'intent', 'converted'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];
/** Numeric codes stored in feature arrays (`Uint8Array`); index into `FUNNEL_STAGES`. */
export const FunnelStageCode = { cold: 0, browsing: 1, intent: 2, converted: 3 } as const;

/** Funnel windows; unknown keys are errors. */
export const FunnelConfigSchema = z
  .object({
    convertedWindowMs: z
      .number()
      .nonnegative()
      .default(7 * DAY_MS),
    intentWindowMs: z
      .number()
      .nonnegative()
      .default(3 * DAY_MS),
  })
  .strict();
export type FunnelConfig = z.infer<typeof FunnelConfigSchema>;

export const DEFAULT_FUNNEL_CONFIG: FunnelConfig = Object.freeze(FunnelConfigSchema.parse({}));

/** Parses a partial funnel config (defaults filled in); throws `CONFIG_INVALID`. */
export function parseFunnelConfig(cfg: unknown = {}): FunnelConfig {
  const r = FunnelConfigSchema.safeParse(cfg);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new RecError('CONFIG_INVALID', `Invalid funnel config: ${msg}`, { issues: r.error.issues });
  }
  return r.data;
}

/** A history in any order; `items` is optional (see the module comment). `Query` fits it. */
export interface FunnelHistory {
  readonly events: Uint8Array;
  readonly ts: Float64Array;
  readonly items?: Int32Array;
}

/** The funnel stage of `history` as of `asOf`. */
export function funnelStage(history: FunnelHistory, asOf: number, cfg?: Partial<FunnelConfig>): FunnelStage {
  const config = cfg === undefined ? DEFAULT_FUNNEL_CONFIG : parseFunnelConfig(cfg);
  const n = history.events.length;
  if (history.ts.length !== n || (history.items && history.items.length !== n)) {
    throw new RecError('DATA_INVALID', 'funnelStage: events, ts and items must have the same length');
  }
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return FUNNEL_STAGES[funnelStageCode(history.events, history.ts, history.items, rows, 0, n, asOf, config)];
}

/**
 * Bulk form of `funnelStage` over rows `rows[s..e)` of columns (any order): returns a
 * `FunnelStageCode`. `funnelStage` is this function applied to the whole history.
 */
export function funnelStageCode(
  events: Uint8Array,
  ts: Float64Array,
  items: Int32Array | undefined,
  rows: Int32Array,
  s: number,
  e: number,
  asOf: number,
  cfg: FunnelConfig,
): number {
  let any = false;
  let lastTx = -Infinity;
  for (let p = s; p < e; p++) {
    const r = rows[p];
    if (!(ts[r] < asOf)) continue;
    any = true;
    if (events[r] === 2 && ts[r] > lastTx) lastTx = ts[r];
  }
  if (!any) return FunnelStageCode.cold;
  if (asOf - lastTx <= cfg.convertedWindowMs) return FunnelStageCode.converted;
  for (let p = s; p < e; p++) {
    const r = rows[p];
    const t = ts[r];
    if (events[r] !== 1 || !(t < asOf) || asOf - t > cfg.intentWindowMs) continue;
    if (!boughtAfter(events, ts, items, rows, s, e, asOf, t, items ? items[r] : -1))
      return FunnelStageCode.intent;
  }
  return FunnelStageCode.browsing;
}

/** True when a transaction of `item` (any item when `items` is absent) has from ≤ ts < asOf. */
function boughtAfter(
  events: Uint8Array,
  ts: Float64Array,
  items: Int32Array | undefined,
  rows: Int32Array,
  s: number,
  e: number,
  asOf: number,
  from: number,
  item: number,
): boolean {
  for (let p = s; p < e; p++) {
    const r = rows[p];
    if (events[r] === 2 && ts[r] >= from && ts[r] < asOf && (!items || items[r] === item)) return true;
  }
  return false;
}
