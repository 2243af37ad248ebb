/**
 * GET /recommendations/:user_id and POST /recommendations/session.
 */
import type { FastifyInstance } from 'fastify';
import type { EventCodeValue } from '../../core/events.js';
import { eventCode } from '../../core/events.js';
import type { ApiContext } from '../context.js';
import { sessionRecommendationsSchema, userRecommendationsSchema } from '../schemas.js';
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

export function registerRecommendationRoutes(app: FastifyInstance, ctx: ApiContext): void {
  // Not async: a cache hit from the in-process LRU is answered synchronously (the hot path); a
  // Redis lookup returns a promise.
  app.get<{ Params: { user_id: string }; Querystring: UserQuery }>(
    '/recommendations/:user_id',
    { schema: userRecommendationsSchema(ctx.config) },
    (req, reply) => {
      const userId = req.params.user_id;
      const q = req.query;
      const snap = ctx.models.snapshot;
      const h = ctx.state.history(userId);
      // The field names everything the answer depends on, so a stale entry is never read.
      const field = `${snap.generation}|${h?.version ?? 0}|${q.k}|${q.category ?? ''}|${q.model ?? ''}|${q.exclude ?? ''}`;
      const send = (body: string, cache: 'hit' | 'miss'): void => {
        void reply.header('x-cache', cache).type('application/json; charset=utf-8').send(body);
      };
      const hit = (body: string): void => {
        ctx.metrics.cacheHits.inc();
        send(body, 'hit');
      };
      const miss = (): void | Promise<void> => {
        ctx.metrics.cacheMisses.inc();
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
        if (stored instanceof Promise) return stored.then(() => send(body, 'miss'));
        send(body, 'miss');
      };
      const cached = ctx.cache.get(userId, field);
      if (typeof cached === 'string') return hit(cached);
      if (cached === undefined) return miss();
      return cached.then((v) => (v === undefined ? miss() : hit(v)));
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
