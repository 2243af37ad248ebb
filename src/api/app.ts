/**
 * The app factory: `buildApp(deps)` returns a Fastify instance with every route, schema
 * validation, the OpenAPI document at /docs, metrics, rate limiting and the one error handler.
 * It never listens (only `server.ts` does); tests drive it with `app.inject()`.
 */
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ApiConfig, ApiContext } from './context.js';
import { installProblemHandlers } from './problem.js';
import { registerEventRoutes } from './routes/events.js';
import { registerOpsRoutes } from './routes/ops.js';
import { registerRecommendationRoutes } from './routes/recommendations.js';
import { LruRecCache, type RecCache } from './services/cache.js';
import type { EventLog } from './services/event-log.js';
import { ApiMetrics } from './services/metrics.js';
import type { ModelStore } from './services/model-store.js';
import type { OnlineState } from './services/online-state.js';
import { DEFAULT_MODEL_POLICY } from './services/recommend.js';

export const DEFAULT_API_CONFIG: ApiConfig = {
  maxK: 100,
  maxBatch: 1000,
  maxExclude: 500,
  maxSessionEvents: 200,
  bodyLimit: 512 * 1024,
  rateLimit: { max: 6000, timeWindowMs: 60_000 },
  policy: DEFAULT_MODEL_POLICY,
  maxFutureMs: 5 * 60_000,
};

export interface AppDeps {
  models: ModelStore;
  state: OnlineState;
  log: EventLog;
  /** Default: in-process LRU. */
  cache?: RecCache;
  /** Default: a fresh per-app registry. */
  metrics?: ApiMetrics;
  config?: Partial<ApiConfig>;
  /** Clock (epoch ms); default `Date.now`. */
  now?: () => number;
  /** Fastify logger options (default off) or a pino instance via `loggerInstance`. */
  logger?: FastifyServerOptions['logger'];
  loggerInstance?: FastifyServerOptions['loggerInstance'];
}

/** Builds the API. Call `await app.ready()` (or `inject`) before use; the caller owns `close()`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const config: ApiConfig = { ...DEFAULT_API_CONFIG, ...deps.config };
  const app = Fastify({
    logger: deps.loggerInstance ? undefined : (deps.logger ?? false),
    loggerInstance: deps.loggerInstance,
    bodyLimit: config.bodyLimit,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
  }) as unknown as FastifyInstance;
  const ctx: ApiContext = {
    models: deps.models,
    state: deps.state,
    log: deps.log,
    cache: deps.cache ?? new LruRecCache(),
    metrics: deps.metrics ?? new ApiMetrics(),
    config,
    now: deps.now ?? Date.now,
  };
  installProblemHandlers(app);
  // JSON only: any other body type is a 415 problem.
  app.removeContentTypeParser('text/plain');
  app.addHook('onResponse', (req, reply, done) => {
    ctx.metrics.observeRequest(
      req.method,
      req.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
  if (config.rateLimit) {
    await app.register(rateLimit, {
      max: config.rateLimit.max,
      timeWindow: config.rateLimit.timeWindowMs,
      // Per client address; a client holding the configured API key gets its own bucket (an
      // invented key does not: rotating keys must not escape the limit).
      keyGenerator: (req) =>
        config.apiKey !== undefined && req.headers['x-api-key'] === config.apiKey ? 'api-key' : req.ip,
    });
  }
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'funnelrec API',
        version: '0.1.0',
        description: 'Funnel-aware recommendations with reasons, event ingestion, funnel statistics, metrics',
      },
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  registerRecommendationRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerOpsRoutes(app, ctx);
  ctx.metrics.setModels(ctx.models.snapshot);
  ctx.models.onSwap((snap) => ctx.metrics.setModels(snap));
  return app;
}
