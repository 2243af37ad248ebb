/**
 * The recommend service: picks the model for a request, builds the model query from what the
 * server holds about the user (or from the posted session), scores, ranks with the shared top-K,
 * attaches reasons and the funnel stage. Pure with respect to HTTP: routes call it.
 */
import { RecError } from '../../core/errors.js';
import type { FunnelStage } from '../../data/processing/funnel.js';
import { topK } from '../../evaluation/list-metrics.js';
import type { Query } from '../../models/types.js';
import type { LoadedModel, ModelSnapshot } from './model-store.js';
import { historyStage } from './online-state.js';
import {
  canGenerateCandidates,
  candidateCount,
  DEFAULT_CANDIDATE_POLICY,
  rankCandidates,
  type CandidatePolicy,
  type Ranking,
} from './candidates.js';
import { canExplain, genericReason, type ItemReason } from './reasons.js';

/** Model choice: `preference` = best first; the first one loaded serves by default. */
export interface ModelPolicy {
  /** Default model order, best first (e.g. hybrid, popular-category, …). */
  preference: readonly string[];
  /** Cold-start order for users with nothing known (popular first). */
  coldStart: readonly string[];
  /** Inactivity gap that starts a new session (ms). */
  sessionGapMs: number;
  /**
   * ANN candidate generation for models that offer `candidates(query, n)`: n = max(k · perK, min).
   * `false` = always score the full catalogue. Default {@link DEFAULT_CANDIDATE_POLICY}.
   */
  candidates?: CandidatePolicy | false;
}

export const DEFAULT_MODEL_POLICY: ModelPolicy = {
  preference: ['hybrid', 'popular-category', 'popular-decay', 'popular'],
  coldStart: ['popular-decay', 'popular', 'popular-category'],
  sessionGapMs: 30 * 60_000,
  candidates: DEFAULT_CANDIDATE_POLICY,
};

/** A history in external ids, oldest first. */
export interface ExternalHistory {
  readonly items: readonly string[];
  readonly events: readonly number[];
  readonly ts: readonly number[];
}

export interface RecommendRequest {
  /** External user id; undefined for an anonymous session. */
  userId?: string;
  history: ExternalHistory;
  k: number;
  category?: number;
  exclude: readonly string[];
  /** Explicit model name; undefined = policy default. */
  model?: string;
  now: number;
}

export interface RecommendedItem {
  id: string;
  score: number;
  category: number | null;
  reason: string;
  reason_kind: string;
  evidence?: Record<string, unknown>;
}

export interface Recommendation {
  user_id: string | null;
  items: RecommendedItem[];
  model: string;
  model_version: string;
  funnel_stage: FunnelStage;
  explanation: string;
  cold_start: boolean;
  generated_at: string;
}

/** The model a request uses by default: the first of `preference` that is loaded. */
export function defaultModel(snap: ModelSnapshot, policy: ModelPolicy): LoadedModel {
  for (const n of policy.preference) {
    const m = snap.models.get(n);
    if (m) return m;
  }
  const first = snap.models.values().next().value as LoadedModel | undefined;
  if (!first)
    throw new RecError(
      'NOT_FITTED',
      'No model is loaded yet: the server is still starting or has no published models',
    );
  return first;
}

function coldStartModel(snap: ModelSnapshot, policy: ModelPolicy, fallback: LoadedModel): LoadedModel {
  for (const n of policy.coldStart) {
    const m = snap.models.get(n);
    if (m) return m;
  }
  return fallback;
}

/** Category per item index of `lm`: its own array, else one mapped from another loaded model. */
const categoryCache = new WeakMap<LoadedModel, Int32Array>();
export function itemCategories(lm: LoadedModel, snap: ModelSnapshot): Int32Array {
  if (lm.itemCategory) return lm.itemCategory;
  let c = categoryCache.get(lm);
  if (c) return c;
  c = new Int32Array(lm.items.size).fill(-1);
  for (const other of snap.models.values()) {
    if (!other.itemCategory) continue;
    for (let i = 0; i < c.length; i++) {
      const j = other.items.index(lm.items.id(i));
      if (j >= 0) c[i] = other.itemCategory[j];
    }
    break;
  }
  categoryCache.set(lm, c);
  return c;
}

const scratch = new WeakMap<LoadedModel, Float32Array>();

/** Builds the model query: history mapped to the model's item indices (unknown items dropped). */
export function buildQuery(
  lm: LoadedModel,
  userId: string | undefined,
  h: ExternalHistory,
  now: number,
  gapMs: number,
): Query {
  const idx: number[] = [];
  for (let i = 0; i < h.items.length; i++) if (lm.items.index(h.items[i]) >= 0) idx.push(i);
  const items = new Int32Array(idx.length);
  const events = new Uint8Array(idx.length);
  const ts = new Float64Array(idx.length);
  idx.forEach((src, j) => {
    items[j] = lm.items.index(h.items[src]);
    events[j] = h.events[src];
    ts[j] = h.ts[src];
  });
  // The current session: the suffix after the last gap longer than `gapMs`; empty when the last
  // event is older than that.
  let sessionStart = ts.length;
  if (ts.length > 0 && now - ts[ts.length - 1] <= gapMs) {
    sessionStart = ts.length - 1;
    while (sessionStart > 0 && ts[sessionStart] - ts[sessionStart - 1] <= gapMs) sessionStart--;
  }
  return {
    user: userId === undefined ? -1 : lm.users.index(userId),
    items,
    events,
    ts,
    sessionStart,
    time: now,
  };
}

/** Scores, filters and ranks for one request. */
export function recommend(snap: ModelSnapshot, policy: ModelPolicy, req: RecommendRequest): Recommendation {
  let lm: LoadedModel;
  if (req.model !== undefined) {
    const m = snap.models.get(req.model);
    if (!m) {
      throw new RecError(
        'UNKNOWN_MODEL',
        `Model "${req.model}" is not loaded; loaded: ${[...snap.models.keys()].join(', ')}`,
        {
          field: 'model',
        },
      );
    }
    lm = m;
  } else lm = defaultModel(snap, policy);
  let query = buildQuery(lm, req.userId, req.history, req.now, policy.sessionGapMs);
  const knowsNothing = query.user < 0 && query.items.length === 0;
  const cold = knowsNothing || (query.user < 0 && !lm.model.capabilities.coldUsers);
  if (cold && req.model === undefined) {
    const cs = coldStartModel(snap, policy, lm);
    if (cs !== lm) {
      lm = cs;
      query = buildQuery(lm, req.userId, req.history, req.now, policy.sessionGapMs);
    }
  }
  const cats = itemCategories(lm, snap);
  const exclude = new Set<number>();
  for (const id of req.exclude) {
    const i = lm.items.index(id);
    if (i >= 0) exclude.add(i);
  }
  // Items already in the cart or bought are not recommended again.
  for (let j = 0; j < query.items.length; j++) if (query.events[j] >= 1) exclude.add(query.items[j]);
  // The model's serving path (the hybrid's sparse one) unless the policy asks for full scoring.
  const serving = policy.candidates === false ? undefined : lm.serving;
  const cat = req.category;
  const ranked = serving
    ? serving.rank(query, req.k, cat === undefined ? null : (i) => cats[i] === cat, exclude)
    : (candidateRanking(lm, query, req, cats, exclude, policy.candidates ?? DEFAULT_CANDIDATE_POLICY) ??
      fullRanking(lm, query, req, cats, exclude));
  const historyCategories = new Set<number>();
  for (let j = 0; j < query.items.length; j++)
    if (cats[query.items[j]] >= 0) historyCategories.add(cats[query.items[j]]);
  const label = { itemLabel: (i: number): string => lm.items.id(i) };
  const own = serving?.explainRecommendations
    ? serving.explainRecommendations(query, ranked.items, label)
    : canExplain(lm.model)
      ? lm.model.explainRecommendations(query, ranked.items, label)
      : [];
  const items: RecommendedItem[] = Array.from(ranked.items, (it, r) => {
    const reason: ItemReason =
      own[r] ??
      genericReason({ model: lm.model, category: cats[it], filterCategory: req.category, historyCategories });
    const out: RecommendedItem = {
      id: lm.items.id(it),
      score: Number(ranked.scores[r].toFixed(6)),
      category: cats[it] >= 0 ? cats[it] : null,
      reason: reason.text,
      reason_kind: reason.kind,
    };
    if (reason.evidence) out.evidence = mapEvidence(lm, reason.evidence);
    return out;
  });
  const stage = historyStage(req.history, req.now);
  return {
    user_id: req.userId ?? null,
    items,
    model: lm.name,
    model_version: lm.version,
    funnel_stage: stage,
    explanation: explanationText(lm, query, stage, cold, req.category, items.length),
    cold_start: cold,
    generated_at: new Date(req.now).toISOString(),
  };
}

/**
 * Ranks only the model's ANN candidates (n = max(k · perK, min)); undefined when the model offers
 * none, the policy is off, or too few candidates survive the filters (then the caller scores the
 * full catalogue, so a filter never shortens the list below what full scoring would give).
 */
function candidateRanking(
  lm: LoadedModel,
  query: Query,
  req: RecommendRequest,
  cats: Int32Array,
  exclude: ReadonlySet<number>,
  p: CandidatePolicy | false,
): Ranking | undefined {
  const m = lm.model;
  if (p === false || !canGenerateCandidates(m)) return undefined;
  const n = candidateCount(req.k, p, m.nItems);
  if (n >= m.nItems) return undefined; // the whole catalogue: exact scoring is as cheap
  const cat = req.category;
  const ranked = rankCandidates(
    m.candidates(query, n),
    req.k,
    (i) => cat === undefined || cats[i] === cat,
    exclude,
  );
  return ranked.items.length < req.k ? undefined : ranked;
}

/** Scores the full catalogue and ranks it with the shared top-K. */
function fullRanking(
  lm: LoadedModel,
  query: Query,
  req: RecommendRequest,
  cats: Int32Array,
  exclude: ReadonlySet<number>,
): Ranking {
  const n = lm.model.nItems;
  let scores = scratch.get(lm);
  if (!scores) scratch.set(lm, (scores = new Float32Array(n)));
  lm.model.scoreBatch([query], scores);
  if (req.category !== undefined) {
    for (let i = 0; i < n; i++) if (cats[i] !== req.category) scores[i] = -Infinity;
  }
  const items = topK(scores, 0, n, req.k, Int32Array.from(exclude));
  return { items, scores: Float32Array.from(items, (i) => scores[i]) };
}

/** Evidence with model item indices (`items`, `item`) turned into external item ids. */
function mapEvidence(lm: LoadedModel, ev: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...ev };
  const id = (i: unknown): unknown =>
    typeof i === 'number' && Number.isInteger(i) && i >= 0 && i < lm.items.size ? lm.items.id(i) : i;
  if (Array.isArray(ev.items)) out.items = ev.items.map(id);
  if (typeof ev.item === 'number') out.item = id(ev.item);
  return out;
}

function explanationText(
  lm: LoadedModel,
  q: Query,
  stage: FunnelStage,
  cold: boolean,
  category: number | undefined,
  count: number,
): string {
  const where = category !== undefined ? ` in category ${category}` : '';
  if (count === 0) return `No items to recommend${where}.`;
  if (cold)
    return `Nothing is known about this visitor yet, so these are the most popular items${where} (${lm.name}).`;
  const session = q.items.length - q.sessionStart;
  const known = q.user >= 0 ? 'a returning user' : 'a new visitor';
  return (
    `Personalised by ${lm.name} for ${known} from ${q.items.length} recent events ` +
    `(${session} in the current session); funnel stage: ${stage}${where ? `; filtered to${where}` : ''}.`
  );
}
