/**
 * POST /events: validate, append durably to the event log (committed before the response), then
 * update the online state and drop the users' cached recommendations, so the next recommendation
 * reflects the event.
 */
import type { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import { RecError } from '../../core/errors.js';
import { eventCode, type EventCodeValue } from '../../core/events.js';
import { requireApiKey, type ApiContext } from '../context.js';
import { eventsSchema } from '../schemas.js';
import type { LogEvent } from '../services/event-log.js';

interface EventIn {
  user_id: string;
  item_id: string;
  event: 'view' | 'addtocart' | 'transaction';
  ts?: number;
  event_id?: string;
}

export function registerEventRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post<{ Body: { events: EventIn[] }; Headers: { 'idempotency-key'?: string } }>(
    '/events',
    {
      schema: eventsSchema(ctx.config),
      // A single event object is accepted as a batch of one.
      preValidation: async (req) => {
        const b = req.body as Record<string, unknown> | null;
        if (b && typeof b === 'object' && !Array.isArray(b) && !('events' in b))
          req.body = { events: [b as unknown as EventIn] };
      },
      preHandler: async (req) => requireApiKey(ctx.config, req),
    },
    async (req) => {
      const now = ctx.now();
      const events: LogEvent[] = req.body.events.map((e, i) => {
        const ts = e.ts ?? now;
        if (ts > now + ctx.config.maxFutureMs) {
          throw new RecError(
            'DATA_INVALID',
            `events.${i}.ts is in the future (${new Date(ts).toISOString()})`,
            {
              field: `body.events.${i}.ts`,
            },
          );
        }
        return {
          userId: e.user_id,
          itemId: e.item_id,
          event: eventCode(e.event) as EventCodeValue,
          ts,
          eventId: e.event_id,
        };
      });
      const key = req.headers['idempotency-key'];
      const hash =
        key === undefined ? undefined : createHash('sha256').update(JSON.stringify(req.body)).digest('hex');
      const { result, stored, replayed } = await ctx.log.append(events, key, hash);
      const users = new Set<string>();
      for (const e of stored) {
        ctx.state.apply(e);
        users.add(e.userId);
        ctx.metrics.eventsIngested.inc({ event: nameOf(e.event) });
      }
      if (result.duplicates > 0 && !replayed) ctx.metrics.eventsDuplicate.inc(result.duplicates);
      await Promise.all([...users].map((u) => ctx.cache.invalidateUser(u)));
      const stages: Record<string, string> = {};
      for (const e of events) stages[e.userId] ??= ctx.state.stage(e.userId, now);
      return { ...result, replayed, funnel_stages: stages };
    },
  );
}

function nameOf(code: number): string {
  return code === 0 ? 'view' : code === 1 ? 'addtocart' : 'transaction';
}
