/**
 * Why each item is recommended. A model that can explain itself implements
 * `ExplainingRecommender.explainRecommendations`; for the others the reason states only what is
 * true of how that model ranks (never an invented reason).
 */
import { PopularRecommender } from '../../models/baselines/popular/popular.js';
import type { Query, Recommender } from '../../models/types.js';

/** One item's reason: a sentence for people plus machine-readable evidence. */
export interface ItemReason {
  /** Human-readable, e.g. "Bought together with 123 (42 times)". */
  readonly text: string;
  /** Stable kind for dashboards, e.g. `popular`, `popular-category`, `co-purchase`, `similar`. */
  readonly kind: string;
  /** Optional evidence: item ids (model indices), counts, weights. */
  readonly evidence?: Readonly<Record<string, unknown>>;
}

/**
 * Optional interface of a model that explains its own recommendations. `items` are model item
 * indices in ranked order; returns one reason per item (undefined = no specific reason, the
 * generic one of the model is used). Evidence may name items by model index: the API maps
 * `evidence.items` (number[]) to external ids.
 */
export interface ExplainingRecommender extends Recommender {
  /**
   * Reasons for `items` (model indices) recommended for `query`. `itemLabel` turns a model index
   * into the name people see (the external item id) inside the message text.
   */
  explainRecommendations(
    query: Query,
    items: Int32Array,
    opts?: { itemLabel?: (item: number) => string; locale?: 'en' | 'ru' },
  ): readonly (ItemReason | undefined)[];
}

export function canExplain(m: Recommender): m is ExplainingRecommender {
  return typeof (m as Partial<ExplainingRecommender>).explainRecommendations === 'function';
}

/** What is known when a generic reason is built. */
export interface ReasonContext {
  readonly model: Recommender;
  /** Raw category of the item, -1 unknown. */
  readonly category: number;
  /** Category filter of the request, or undefined. */
  readonly filterCategory?: number;
  /** Categories present in the query history (for the category-aware popular model). */
  readonly historyCategories: ReadonlySet<number>;
}

/** The generic, true reason for a model that does not explain itself. */
export function genericReason(ctx: ReasonContext): ItemReason {
  const m = ctx.model;
  const inCat = (c: number): string => (c >= 0 ? ` in category ${c}` : '');
  if (m instanceof PopularRecommender) {
    const trending = m.config.halfLifeDays !== null;
    const where = ctx.filterCategory !== undefined ? inCat(ctx.filterCategory) : '';
    if (m.config.mode === 'category' && ctx.category >= 0 && ctx.historyCategories.has(ctx.category)) {
      return {
        text: `${trending ? 'Trending' : 'Popular'} in category ${ctx.category}, which you have been browsing`,
        kind: 'popular-category',
        evidence: { category: ctx.category },
      };
    }
    return trending
      ? {
          text: `Trending now${where}`,
          kind: 'trending',
          evidence: { category: ctx.category, halfLifeDays: m.config.halfLifeDays },
        }
      : {
          text: `Among the most popular items${where}`,
          kind: 'popular',
          evidence: { category: ctx.category },
        };
  }
  if (m.name === 'random') {
    return { text: 'Random pick (exploration baseline, not personalised)', kind: 'random' };
  }
  return { text: `Recommended by the ${m.name} model`, kind: 'model' };
}
