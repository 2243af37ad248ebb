/**
 * Reasons with evidence for recommended items. Each signal of the hybrid maps to one kind of
 * reason; the signal with the largest contribution (effective weight × normalised score) to the
 * item is tried first, then the others by contribution, then plain popularity. A reason is only
 * given when its evidence holds in the training data (a count > 0, a history item that is really
 * in the query, …), so every reason is true; `evidence` carries the numbers behind it.
 *
 * Evidence per code (items and categories as dense indices / raw category ids):
 * - popular-in-category {category, rank, count}: rank = 1 + items of that category with more events
 * - popular {rank, count}: the same over the whole catalogue
 * - trending {rank, count, days}: events in the last `days` days before the cut, rank among all items
 * - based-on-views {item, commonUsers, similarity?}: history item h sharing the most users with it
 * - similar-users {users}: training users (the query's own excluded) who touched it and a history item
 * - bought-together {item, count}: basket item z; count = users who bought both z and it
 * - similar-item {item, cosine}: history item with the highest Item2Vec cosine (> 0)
 * - similar-sessions {sessions}: training sessions holding it and an item of the current session
 *
 * Cost per item: O(|history| · |users(item)|) at most, plus O(nItems) for popularity ranks.
 */
import { ItemCfRecommender } from '../collaborative/itemcf/itemcf.js';
import { Item2VecRecommender } from '../content/item2vec/item2vec.js';
import type { Query, Recommender } from '../types.js';
import {
  countLinked,
  intersectCount,
  popularityRank,
  TREND_WINDOW_DAYS,
  type EvidenceStore,
} from './evidence.js';
import { formatMessage, type Locale, type ReasonCode } from './messages.js';

export type { Locale, ReasonCode } from './messages.js';

export interface Reason {
  code: ReasonCode;
  message: string;
  /** The numbers behind the reason; `item` / `category` are dense item indices / raw category ids. */
  evidence: Record<string, number>;
  /** Signal (component name or `cart`) the reason comes from; `popular` for the fallback. */
  source: string;
}

export interface Explanation {
  item: number;
  reason: Reason | null;
}

/** A reason as the API returns it: message, code, and the evidence with its signal as `source`. */
export interface ApiReason {
  text: string;
  kind: string;
  evidence: Record<string, unknown>;
}

/** The API's shape of a reason (`items` repeats the evidence item, for clients that list several). */
export function toApiReason(reason: Reason | null): ApiReason | undefined {
  if (!reason) return undefined;
  const { evidence } = reason;
  return {
    text: reason.message,
    kind: reason.code,
    evidence: {
      ...evidence,
      source: reason.source,
      ...('item' in evidence ? { items: [evidence.item] } : {}),
    },
  };
}

/** How items and categories are named in messages (default `#index` / the raw category id). */
export interface Labels {
  item?: (item: number) => string;
  category?: (category: number) => string;
}

export interface ExplainInput {
  query: Query;
  items: readonly number[];
  locale: Locale;
  labels: Labels;
  /** Candidates and normalised signals of the query. */
  features: { cands: Int32Array; values: Float32Array };
  /** Effective weight of each signal for this query. */
  effective: Float64Array;
  signals: readonly string[];
  /** Fitted component models (same order as the first signals). */
  models: readonly Recommender[];
  evidence: EvidenceStore;
}

type Kind = 'category' | 'popular' | 'trending' | 'views' | 'users' | 'sessions' | 'item2vec' | 'cart';

/** Reason kind of a signal name. */
export function kindOf(signal: string): Kind {
  if (signal === 'popular-category') return 'category';
  if (signal === 'popular-decay') return 'trending';
  if (signal === 'cart') return 'cart';
  if (signal === 'itemcf') return 'views';
  if (signal === 'item2vec') return 'item2vec';
  if (['sknn', 'vsknn', 'gru4rec', 'sasrec'].includes(signal)) return 'sessions';
  if (['als', 'bpr', 'usercf', 'ncf', 'two-tower'].includes(signal)) return 'users';
  return 'popular';
}

/** Distinct known history items, latest first. */
function historyItems(q: Query, n: number, from = 0): number[] {
  const out: number[] = [];
  for (let j = q.items.length - 1; j >= from; j--) {
    const it = q.items[j];
    if (it >= 0 && it < n && !out.includes(it)) out.push(it);
  }
  return out;
}

class ReasonFinder {
  private readonly n: number;
  constructor(private readonly x: ExplainInput) {
    this.n = x.evidence.itemCount.length;
  }

  private label(item: number): string {
    return this.x.labels.item ? this.x.labels.item(item) : `#${item}`;
  }

  private make(
    code: ReasonCode,
    source: string,
    evidence: Record<string, number>,
    extra: Record<string, string> = {},
  ): Reason {
    return { code, source, evidence, message: formatMessage(code, this.x.locale, { ...evidence, ...extra }) };
  }

  private marked(items: number[]): Uint8Array {
    const m = new Uint8Array(this.n);
    for (const i of items) m[i] = 1;
    return m;
  }

  find(kind: Kind, source: string, item: number): Reason | null {
    const e = this.x.evidence;
    const q = this.x.query;
    const hist = historyItems(q, this.n).filter((h) => h !== item);
    switch (kind) {
      case 'category': {
        const category = e.itemCategory[item];
        if (category < 0 || e.itemCount[item] === 0) return null;
        const ev = { category, rank: popularityRank(e, item, true), count: e.itemCount[item] };
        return this.make('popular-in-category', source, ev, {
          category: this.x.labels.category?.(category) ?? String(category),
        });
      }
      case 'popular':
        if (e.itemCount[item] === 0) return null;
        return this.make('popular', source, {
          rank: popularityRank(e, item, false),
          count: e.itemCount[item],
        });
      case 'trending':
        if (e.itemRecent[item] === 0) return null;
        return this.make('trending', source, {
          rank: popularityRank(e, item, false, e.itemRecent),
          count: e.itemRecent[item],
          days: TREND_WINDOW_DAYS,
        });
      case 'views': {
        let best = -1;
        let bestN = 0;
        for (const h of hist) {
          const c = intersectCount(e.itemUsers, h, e.itemUsers, item);
          if (c > bestN) [best, bestN] = [h, c];
        }
        if (best < 0) return null;
        const ev: Record<string, number> = { item: best, commonUsers: bestN };
        const cf = this.x.models.find((m) => m instanceof ItemCfRecommender) as ItemCfRecommender | undefined;
        const sim = cf?.similarItems(best, Infinity).find((s) => s.item === item);
        if (sim) ev.similarity = sim.score;
        return this.make('based-on-views', source, ev, { item: this.label(best) });
      }
      case 'users': {
        if (hist.length === 0) return null;
        const users = countLinked(e.itemUsers, item, e.userItems, this.marked(hist), q.user);
        return users > 0 ? this.make('similar-users', source, { users }) : null;
      }
      case 'sessions': {
        const from = q.sessionStart > 0 && q.sessionStart < q.items.length ? q.sessionStart : 0;
        const cur = historyItems(q, this.n, from).filter((h) => h !== item);
        if (cur.length === 0) return null;
        const sessions = countLinked(e.itemSessions, item, e.sessionItems, this.marked(cur));
        return sessions > 0 ? this.make('similar-sessions', source, { sessions }) : null;
      }
      case 'item2vec': {
        const w2v = this.x.models.find((m) => m instanceof Item2VecRecommender) as
          Item2VecRecommender | undefined;
        if (!w2v || !w2v.hasVector(item)) return null;
        let best = -1;
        let bestCos = 0;
        for (const h of hist) {
          if (!w2v.hasVector(h)) continue;
          const s = w2v.cosine(h, item);
          if (s > bestCos) [best, bestCos] = [h, s];
        }
        return best < 0
          ? null
          : this.make('similar-item', source, { item: best, cosine: bestCos }, { item: this.label(best) });
      }
      case 'cart': {
        let best = -1;
        let bestN = 0;
        for (const z of hist) {
          if (!basketHas(q, z)) continue;
          const c = intersectCount(e.itemBuyers, z, e.itemBuyers, item);
          if (c > bestN) [best, bestN] = [z, c];
        }
        return best < 0
          ? null
          : this.make('bought-together', source, { item: best, count: bestN }, { item: this.label(best) });
      }
    }
  }
}

/** True when `item` was added to the cart or bought in the query history. */
function basketHas(q: Query, item: number): boolean {
  for (let j = 0; j < q.items.length; j++) if (q.items[j] === item && q.events[j] >= 1) return true;
  return false;
}

/** Explains each item (see the module comment). */
export function explainItems(x: ExplainInput): Explanation[] {
  const finder = new ReasonFinder(x);
  const S = x.signals.length;
  const posOf = new Map<number, number>();
  x.features.cands.forEach((i, k) => posOf.set(i, k));
  return x.items.map((item) => {
    if (!Number.isInteger(item) || item < 0 || item >= x.evidence.itemCount.length)
      return { item, reason: null };
    const k = posOf.get(item);
    const contrib = x.signals.map(
      (_, c) => x.effective[c] * (k === undefined ? 0 : x.features.values[k * S + c]),
    );
    const order = x.signals
      .map((_, c) => c)
      .sort((a, b) => contrib[b] - contrib[a] || x.effective[b] - x.effective[a] || a - b);
    for (const c of order) {
      if (x.effective[c] <= 0 && contrib[c] <= 0) continue;
      const r = finder.find(kindOf(x.signals[c]), x.signals[c], item);
      if (r) return { item, reason: r };
    }
    return { item, reason: finder.find('popular', 'popular', item) };
  });
}
