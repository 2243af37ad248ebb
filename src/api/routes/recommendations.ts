/**
 * GET /recommendations/:user_id and POST /recommendations/session.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { EventCodeValue } from '../../core/events.js';
import { eventCode } from '../../core/events.js';
import type { ApiContext } from '../context.js';
import { sessionRecommendationsSchema, userRecommendationsSchema } from '../schemas.js';
import type { ModelSnapshot } from '../services/model-store.js';
import type { UserHistory } from '../services/online-state.js';
import { recommend } from '../services/recommend.js';

interface UserQuery {
  k: number;
  category?: number;
  exclude?: string;
  model?: string;
}

interface SessionBody {
  events: { item_id: string; event: 'view' | 'addtocart' | 'transaction'; ts?: number }[];
  k: number;
  category?: number;
  exclude?: string[];
  model?: string;
}

const EMPTY = { items: [], events: [], ts: [] } as const;

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The cache field of a request: everything the answer depends on (model snapshot, the user's
 * state version, the query), so a stale entry is never read.
 */
function cacheField(generation: number, version: number, q: UserQuery): string {
  let f = generation + '|' + version + '|' + q.k;
  // The common request (only k) gets the short field; the others spell every parameter out.
  if (q.category !== undefined || q.model !== undefined || q.exclude !== undefined)
    f += '|' + (q.category ?? '') + '|' + (q.model ?? '') + '|' + (q.exclude ?? '');
  return f;
}

function sendBody(reply: FastifyReply, body: string, cache: 'hit' | 'miss'): void {
  void reply.header('x-cache', cache).type(JSON_TYPE).send(body);
}

/** A cache hit: the stored JSON body is sent as is (no serialisation). */
function sendHit(ctx: ApiContext, reply: FastifyReply, body: string): void {
  ctx.metrics.cacheHit();
  sendBody(reply, body, 'hit');
}

/** A miss: recommend, store the serialised body, send it. */
function sendMiss(
  ctx: ApiContext,
  reply: FastifyReply,
  snap: ModelSnapshot,
  userId: string,
  h: UserHistory | undefined,
  q: UserQuery,
  field: string,
): void | Promise<void> {
  ctx.metrics.cacheMiss();
  const rec = recommend(snap, ctx.config.policy, {
    userId,
    history: h ?? EMPTY,
    k: q.k,
    category: q.category,
    exclude: q.exclude ? q.exclude.split(',').filter((s) => s.length > 0) : [],
    model: q.model,
    now: ctx.now(),
  });
  const body = JSON.stringify(rec);
  const stored = ctx.cache.set(userId, field, body);
  if (stored instanceof Promise) return stored.then(() => sendBody(reply, body, 'miss'));
  sendBody(reply, body, 'miss');
}

export function registerRecommendationRoutes(app: FastifyInstance, ctx: ApiContext): void {
  // Not async and no per-request closures: a hit in the in-process LRU is answered synchronously
  // with the stored body (the hot path); a Redis lookup returns a promise.
  app.get<{ Params: { user_id: string }; Querystring: UserQuery }>(
    '/recommendations/:user_id',
    { schema: userRecommendationsSchema(ctx.config) },
    function userRecommendations(req, reply) {
      const userId = req.params.user_id;
      const q = req.query;
      const snap = ctx.models.snapshot;
      // A cache that drops a user's entries synchronously on every state change (the in-process
      // LRU) needs no state version in the field, so a hit does not even read the user's state.
      const sync = ctx.cache.syncInvalidation;
      const h = sync ? undefined : ctx.state.history(userId);
      const field = cacheField(snap.generation, h === undefined ? 0 : h.version, q);
      const cached = ctx.cache.get(userId, field);
      if (typeof cached === 'string') return sendHit(ctx, reply, cached);
      const state = sync ? ctx.state.history(userId) : h;
      if (cached === undefined) return sendMiss(ctx, reply, snap, userId, state, q, field);
      return cached.then((v) =>
        v === undefined ? sendMiss(ctx, reply, snap, userId, state, q, field) : sendHit(ctx, reply, v),
      );
    },
  );

  app.post<{ Body: SessionBody }>(
    '/recommendations/session',
    { schema: sessionRecommendationsSchema(ctx.config) },
    async (req) => {
      const b = req.body;
      const now = ctx.now();
      const n = b.events.length;
      // Without timestamps the events are one session in the given order, ending now; with them,
      // the history is put in time order (stable).
      const ts = b.events.map((e, i) => Math.min(e.ts ?? now - (n - 1 - i), now));
      const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => ts[x] - ts[y] || x - y);
      const history = {
        items: order.map((i) => b.events[i].item_id),
        events: order.map((i) => eventCode(b.events[i].event) as EventCodeValue),
        ts: order.map((i) => ts[i]),
      };
      return recommend(ctx.models.snapshot, ctx.config.policy, {
        history,
        k: b.k,
        category: b.category,
        exclude: b.exclude ?? [],
        model: b.model,
        now,
      });
    },
  );
}
