/**
 * The only file that listens on a port. `startServer` wires the embedded defaults (model store on
 * disk, SQLite event log, in-process LRU — or Redis when `redisUrl` is set), rebuilds the online
 * state (optional seed data set + replay of the event log), listens, then loads the models
 * (readiness fails until they are loaded). Run directly (`tsx src/api/server.ts`) it reads its
 * config from the environment (see `ServeConfigSchema`).
 */
import { pino, type Logger as PinoLogger } from 'pino';
import { z } from 'zod';
import { RecError } from '../core/errors.js';
import type { Dataset } from '../data/dataset.js';
import { buildApp } from './app.js';
import type { FastifyInstance } from 'fastify';
import { LruRecCache, RedisRecCache, noCache, type RecCache } from './services/cache.js';
import { EventLog } from './services/event-log.js';
import { ApiMetrics } from './services/metrics.js';
import { ModelStore, type ReloadResult } from './services/model-store.js';
import { OnlineState } from './services/online-state.js';
import { DEFAULT_MODEL_POLICY } from './services/recommend.js';

/** Server configuration; defaults are the embedded set-up (no external service). */
export const ServeConfigSchema = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).default(8080),
    host: z.string().default('127.0.0.1'),
    modelsDir: z.string().default('artifacts/models'),
    eventLog: z.string().default('data/events/events.sqlite'),
    redisUrl: z.string().url().optional(),
    apiKey: z.string().min(8).optional(),
    /** Requests per client per minute; 0 disables the limit. */
    rateLimitPerMinute: z.coerce.number().int().min(0).default(6000),
    cache: z.enum(['lru', 'off']).default('lru'),
    /** Preferred default model (falls back to the policy order when not published). */
    model: z.string().optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict();
export type ServeConfig = z.infer<typeof ServeConfigSchema>;

/** Reads `ServeConfig` from the environment (PORT, HOST, REDIS_URL, FUNNELREC_*). */
export function serveConfigFromEnv(
  env: NodeJS.ProcessEnv,
  overrides: Partial<ServeConfig> = {},
): ServeConfig {
  const raw: Record<string, unknown> = {
    port: env.PORT,
    host: env.HOST,
    modelsDir: env.FUNNELREC_MODELS,
    eventLog: env.FUNNELREC_EVENT_LOG,
    redisUrl: env.REDIS_URL || undefined,
    apiKey: env.FUNNELREC_API_KEY || undefined,
    rateLimitPerMinute: env.FUNNELREC_RATE_LIMIT,
    cache: env.FUNNELREC_CACHE,
    model: env.FUNNELREC_MODEL,
    logLevel: env.LOG_LEVEL,
  };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) raw[k] = v;
  for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
  const r = ServeConfigSchema.safeParse(raw);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new RecError('CONFIG_INVALID', `Invalid server config: ${msg}`);
  }
  return r.data;
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  models: ModelStore;
  /** Reloads models (what SIGHUP and POST /admin/reload do). */
  reload(): Promise<ReloadResult>;
  close(): Promise<void>;
}

export interface StartOptions {
  config: ServeConfig;
  /** Seed data set for user histories and funnel statistics (e.g. the demo's data). */
  history?: Dataset;
  logger?: PinoLogger;
  /** Reload on SIGHUP, close on SIGTERM/SIGINT. */
  handleSignals?: boolean;
  /** Called before listening (benchmarks add a reference route here). */
  configure?: (app: FastifyInstance) => void;
}

export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const cfg = opts.config;
  const logger = opts.logger ?? pino({ level: cfg.logLevel });
  const models = new ModelStore(cfg.modelsDir, logger);
  const metrics = new ApiMetrics({ defaultMetrics: true });
  const state = new OnlineState();
  if (opts.history) state.seed(opts.history);
  const log = new EventLog(cfg.eventLog);
  let replayed = 0;
  for (const e of log.replay()) {
    state.apply(e);
    replayed++;
  }
  logger.info(
    { seeded: opts.history?.events.length ?? 0, replayed, users: state.userCount },
    'online state rebuilt',
  );
  let cache: RecCache;
  if (cfg.cache === 'off') cache = noCache;
  else if (cfg.redisUrl) {
    const redis = new RedisRecCache({ url: cfg.redisUrl, logger, onError: () => metrics.cacheErrors.inc() });
    if (!(await redis.waitReady(2000)))
      logger.warn('redis is not reachable yet: serving uncached until it is');
    cache = redis;
  } else cache = new LruRecCache();
  const policy = cfg.model
    ? { ...DEFAULT_MODEL_POLICY, preference: [cfg.model, ...DEFAULT_MODEL_POLICY.preference] }
    : DEFAULT_MODEL_POLICY;
  const app = await buildApp({
    models,
    state,
    log,
    cache,
    metrics,
    loggerInstance: logger,
    config: {
      apiKey: cfg.apiKey,
      rateLimit: cfg.rateLimitPerMinute > 0 ? { max: cfg.rateLimitPerMinute, timeWindowMs: 60_000 } : false,
      policy,
    },
  });
  opts.configure?.(app);
  const url = await app.listen({ port: cfg.port, host: cfg.host });
  const reload = async (): Promise<ReloadResult> => models.reload();
  const shutdown = async (): Promise<void> => {
    await app.close();
    await log.close();
    await cache.close();
  };
  let first: ReloadResult;
  try {
    first = await reload();
  } catch (e) {
    await shutdown();
    throw e;
  }
  if (!models.ready) {
    await shutdown();
    throw new RecError(
      'DATA_MISSING',
      `No model could be loaded from ${cfg.modelsDir} (${first.rejected.map((r) => `${r.model}: ${r.error}`).join('; ') || 'none published'}); run "funnelrec demo" first`,
    );
  }
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= shutdown());
  if (opts.handleSignals) {
    process.on('SIGHUP', () => {
      reload().catch((e: unknown) => logger.error({ err: e }, 'reload failed'));
    });
    const stop = (): void => {
      close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  }
  return { app, url, models, reload, close };
}

const isMain = process.argv[1] && /(?:^|[\\/])server\.[jt]s$/.test(process.argv[1]);
if (isMain) {
  startServer({ config: serveConfigFromEnv(process.env), handleSignals: true }).then(
    (s) => process.stdout.write(`funnelrec API listening on ${s.url} (docs: ${s.url}/docs)\n`),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
