/**
 * What the routes share: the injected services and the effective configuration.
 */
import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { HttpProblem } from './problem.js';
import type { ApiLimits } from './schemas.js';
import type { RecCache } from './services/cache.js';
import type { EventLog } from './services/event-log.js';
import type { ApiMetrics } from './services/metrics.js';
import type { ModelStore } from './services/model-store.js';
import type { OnlineState } from './services/online-state.js';
import type { ModelPolicy } from './services/recommend.js';

export interface ApiConfig extends ApiLimits {
  /** When set, write and admin endpoints require it (`x-api-key` or `Authorization: Bearer`). */
  apiKey?: string;
  /** Maximum request body in bytes. */
  bodyLimit: number;
  /** Requests per client per window; false disables the limit (benchmarks). */
  rateLimit: { max: number; timeWindowMs: number } | false;
  policy: ModelPolicy;
  /** Events may be at most this far in the future (clock skew), ms. */
  maxFutureMs: number;
}

export interface ApiContext {
  readonly models: ModelStore;
  readonly state: OnlineState;
  readonly log: EventLog;
  readonly cache: RecCache;
  readonly metrics: ApiMetrics;
  readonly config: ApiConfig;
  readonly now: () => number;
}

/** Throws 401 unless the request carries the configured API key (no-op when none is configured). */
export function requireApiKey(config: ApiConfig, req: FastifyRequest): void {
  if (!config.apiKey) return;
  const header = req.headers['x-api-key'];
  const auth = req.headers.authorization;
  const given = typeof header === 'string' ? header : auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
  const want = Buffer.from(config.apiKey);
  const got = Buffer.from(given ?? '');
  if (given === undefined || got.length !== want.length || !timingSafeEqual(got, want)) {
    throw new HttpProblem(
      401,
      'Unauthorized',
      given === undefined
        ? 'This endpoint needs the API key: send it in the x-api-key header'
        : 'The API key is not valid',
    );
  }
}
