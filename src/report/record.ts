/**
 * What the report reads from a run record, and the small helpers that add report data to a record
 * (`evaluate` calls {@link withReportData} before saving): the data set's conversion funnel and the
 * ablation study. Also picks which stored records a report shows.
 */
import type { Dataset } from '../data/dataset.js';
import { datasetStats } from '../data/stats.js';
import type { AblationResult } from '../evaluation/ablation.js';
import type { ComparisonRow } from '../evaluation/compare.js';
import type { RunRecord } from '../training/run-store.js';

/** Conversion funnel of the evaluated (cleaned) data set: event and visitor counts per step. */
export interface FunnelRecord {
  /** Events per type. */
  readonly events: { readonly view: number; readonly addtocart: number; readonly transaction: number };
  /** Visitors with at least one event of the type. */
  readonly visitors: {
    readonly all: number;
    readonly view: number;
    readonly addtocart: number;
    readonly transaction: number;
  };
  /** addtocart / view events and transaction / addtocart events. */
  readonly rates: { readonly cartPerView: number; readonly transactionPerCart: number };
  readonly synthetic: boolean;
  /** Where the counts come from. */
  readonly source: string;
}

/** A run record as the report reads it: the stored record plus the optional report fields. */
export type ReportRecord = RunRecord & { funnel?: FunnelRecord; ablation?: AblationResult };

/** The funnel of `ds` (all its events, after cleaning), from `datasetStats`. Cost: O(events). */
export function funnelOfDataset(ds: Dataset): FunnelRecord {
  const s = datasetStats(ds);
  const f = s.funnel;
  const n = (share: number): number => Math.round(share * s.visitors);
  return {
    events: { view: s.view, addtocart: s.addtocart, transaction: s.transaction },
    visitors: {
      all: s.visitors,
      view: n(f.visitorsViewed),
      addtocart: n(f.visitorsCarted),
      transaction: n(f.visitorsBought),
    },
    rates: { cartPerView: f.cartPerView, transactionPerCart: f.transactionPerCart },
    synthetic: s.synthetic,
    source: `all ${s.events.toLocaleString('en-US')} events of ${s.name} (${s.firstDay}..${s.lastDay}) after cleaning`,
  };
}

/**
 * The record with the report fields added: `funnel` from `dataset` when it has event types (not
 * for session-only or MovieLens data, whose events are all views), `ablation` when given.
 */
export function withReportData<R extends RunRecord>(
  record: R,
  extra: { dataset?: Dataset; ablation?: AblationResult },
): R & { funnel?: FunnelRecord; ablation?: AblationResult } {
  const out: R & { funnel?: FunnelRecord; ablation?: AblationResult } = { ...record };
  if (extra.dataset) {
    const funnel = funnelOfDataset(extra.dataset);
    if (funnel.events.addtocart + funnel.events.transaction > 0) out.funnel = funnel;
  }
  if (extra.ablation) out.ablation = extra.ablation;
  return out;
}

/** The comparison rows of a record (stored as plain JSON). */
export function comparisonOf(r: ReportRecord): ComparisonRow[] {
  return Array.isArray(r.comparison) ? (r.comparison as ComparisonRow[]) : [];
}

/** Our own models: the hybrid and its variants. */
export function isOurs(model: string): boolean {
  return model.startsWith('hybrid');
}

/**
 * Records to show: the newest record of each (protocol, data set, model list, ablation or not)
 * unless `all`; newest experiments first.
 */
export function selectRecords(records: readonly ReportRecord[], all = false): ReportRecord[] {
  const sorted = [...records].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  if (all) return sorted;
  const seen = new Set<string>();
  return sorted.filter((r) => {
    const key = [
      r.protocol,
      r.dataset.fingerprint,
      r.stage,
      r.models.map((m) => m.model).join(','),
      r.ablation ? 'ablation' : '',
    ].join('|');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Headline metric keys of a record: NDCG at the smallest K and HR at the largest K present. */
export function headlineMetrics(r: ReportRecord): { ndcg: string; hr: string; mrr: string } {
  const keys = Object.keys(r.models[0]?.result.mean ?? {});
  const ks = [...new Set(keys.map((k) => Number(k.split('@')[1])).filter((k) => Number.isFinite(k)))].sort(
    (a, b) => a - b,
  );
  const k1 = ks[0] ?? 10;
  const kMax = ks[ks.length - 1] ?? 20;
  return { ndcg: `ndcg@${k1}`, hr: `hr@${kMax}`, mrr: `mrr@${kMax}` };
}
