/**
 * Operations endpoints: health and readiness, metrics (Prometheus text + JSON), funnel statistics,
 * and the admin model reload.
 */
import type {} from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { RecError } from '../../core/errors.js';
import { requireApiKey, type ApiContext } from '../context.js';
import { problem } from '../problem.js';
import { funnelStatsSchema, healthSchema, metricsSchema, readySchema, reloadSchema } from '../schemas.js';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function registerOpsRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const noLimit = { rateLimit: false } as const;

  app.get('/health', { schema: healthSchema, config: noLimit }, async () => ({
    status: 'ok',
    uptime_s: Math.round(process.uptime()),
  }));

  app.get('/health/ready', { schema: readySchema, config: noLimit }, async (req, reply) => {
    const snap = ctx.models.snapshot;
    const models = [...snap.models.values()].map((m) => ({ model: m.name, version: m.version }));
    if (!ctx.models.ready) {
      return reply
        .status(503)
        .type('application/problem+json')
        .send(problem(503, 'Not ready: models are not loaded yet', req.url, { code: 'NOT_READY' }));
    }
    return {
      status: 'ready',
      models,
      cache: { kind: ctx.cache.kind, healthy: ctx.cache.healthy() },
      events: ctx.state.eventCount,
    };
  });

  app.get<{ Querystring: { format?: 'prometheus' | 'json' } }>(
    '/metrics',
    { schema: metricsSchema, config: noLimit },
    async (req, reply) => {
      if (req.query.format === 'json') return ctx.metrics.snapshot();
      const text = await ctx.metrics.registry.metrics();
      return reply.type(ctx.metrics.registry.contentType).send(text);
    },
  );

  app.get<{ Querystring: { from?: number; to?: number; window?: string } }>(
    '/stats/funnel',
    { schema: funnelStatsSchema },
    async (req) => {
      const { from, to, window } = req.query;
      if (window !== undefined && (from !== undefined || to !== undefined)) {
        throw new RecError('USAGE', 'Give either window or from/to, not both', {
          field: 'querystring.window',
        });
      }
      if (from !== undefined && to !== undefined && from >= to) {
        throw new RecError('USAGE', `from (${from}) must be before to (${to})`, {
          field: 'querystring.from',
        });
      }
      let range: [number | null, number | null] | undefined;
      if (window !== undefined) {
        const now = ctx.now();
        range = [now - Number(window.slice(0, -1)) * UNIT_MS[window.slice(-1) as 'm' | 'h' | 'd'], now];
      } else if (from !== undefined || to !== undefined) range = [from ?? null, to ?? null];
      return {
        overall: ctx.state.funnel(null, null),
        window: range ? ctx.state.funnel(range[0], range[1]) : null,
      };
    },
  );

  app.post(
    '/admin/reload',
    { schema: reloadSchema, preHandler: async (req) => requireApiKey(ctx.config, req) },
    async () => {
      const result = await ctx.models.reload();
      ctx.metrics.modelReloads.inc({ result: result.rejected.length > 0 ? 'rejected' : 'ok' });
      if (result.rejected.length > 0) {
        throw new RecError(
          'ARTIFACT_INVALID',
          `Rejected ${result.rejected.map((r) => `${r.model}@${r.version}: ${r.error}`).join('; ')}; the previous versions keep serving`,
          { rejected: result.rejected },
        );
      }
      return result;
    },
  );
}
