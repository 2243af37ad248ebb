/**
 * Recommendation cache: serialized responses per user. In-process LRU by default; Redis when a URL
 * is configured. Keys carry the user's state version and the model version, so an entry can never
 * outlive the state it was computed from; `invalidateUser` also drops a user's entries eagerly.
 *
 * The Redis cache never fails a request: when Redis is down every operation resolves as a miss
 * (or a no-op) within `timeoutMs`, the outage is logged once, and service resumes when Redis returns.
 */
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../core/progress.js';
import { silentLogger } from '../../core/progress.js';

export interface RecCache {
  readonly kind: 'lru' | 'redis' | 'off';
  /** Cached value of `field` for `user`, or undefined (also when the backend is down). */
  get(user: string, field: string): Promise<string | undefined> | string | undefined;
  set(user: string, field: string, value: string): Promise<void> | void;
  invalidateUser(user: string): Promise<void> | void;
  /** True while the backend answers (always true for the LRU). */
  healthy(): boolean;
  close(): Promise<void>;
}

/** A cache that stores nothing (benchmarks of the uncached path). */
export const noCache: RecCache = {
  kind: 'off',
  get: () => undefined,
  set: () => {},
  invalidateUser: () => {},
  healthy: () => true,
  close: async () => {},
};

/** In-process LRU: one small map of fields per user, bounded by `maxUsers` users. */
export class LruRecCache implements RecCache {
  readonly kind = 'lru' as const;
  private readonly lru: LRUCache<string, Map<string, string>>;

  constructor(
    maxUsers = 50_000,
    ttlMs = 300_000,
    private readonly maxFieldsPerUser = 16,
  ) {
    this.lru = new LRUCache({ max: maxUsers, ttl: ttlMs });
  }

  get(user: string, field: string): string | undefined {
    return this.lru.get(user)?.get(field);
  }

  set(user: string, field: string, value: string): void {
    let m = this.lru.get(user);
    if (!m) this.lru.set(user, (m = new Map()));
    if (m.size >= this.maxFieldsPerUser) m.delete(m.keys().next().value as string);
    m.set(field, value);
  }

  invalidateUser(user: string): void {
    this.lru.delete(user);
  }

  healthy(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.lru.clear();
  }
}

export interface RedisCacheOptions {
  url: string;
  ttlSeconds?: number;
  /** Per-operation time limit; an operation that takes longer counts as a miss. */
  timeoutMs?: number;
  logger?: Logger;
  /** Called on every failed operation (metrics). */
  onError?: () => void;
  keyPrefix?: string;
}

/** Redis hash per user (`<prefix>u:<user>` → field → value) with a TTL. */
export class RedisRecCache implements RecCache {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private up = false;
  private readonly ttl: number;
  private readonly timeoutMs: number;
  private readonly logger: Logger;
  private readonly prefix: string;

  constructor(private readonly opts: RedisCacheOptions) {
    this.ttl = opts.ttlSeconds ?? 300;
    this.timeoutMs = opts.timeoutMs ?? 50;
    this.logger = opts.logger ?? silentLogger;
    this.prefix = opts.keyPrefix ?? 'funnelrec:rec:';
    this.redis = new Redis(opts.url, {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      // Keep trying to reconnect (every ≤ 1 s) for as long as the process lives.
      retryStrategy: (times) => Math.min(times * 100, 1000),
    });
    this.redis.on('ready', () => {
      if (!this.up) this.logger.info({ url: redact(opts.url) }, 'redis cache connected');
      this.up = true;
    });
    this.redis.on('error', () => {});
    this.redis.on('close', () => {
      if (this.up)
        this.logger.warn({ url: redact(opts.url) }, 'redis cache down: serving uncached (degraded)');
      this.up = false;
    });
  }

  /** Resolves once connected, or false after `ms`. */
  async waitReady(ms = 2000): Promise<boolean> {
    const t0 = Date.now();
    while (!this.up && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 20));
    return this.up;
  }

  healthy(): boolean {
    return this.up;
  }

  private key(user: string): string {
    return this.prefix + 'u:' + user;
  }

  private async guarded<T>(op: () => Promise<T>, fallback: T): Promise<T> {
    if (!this.up) return fallback;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        op(),
        new Promise<T>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`redis operation timed out after ${this.timeoutMs} ms`)),
            this.timeoutMs,
          );
        }),
      ]);
    } catch (e) {
      this.opts.onError?.();
      this.logger.debug({ err: (e as Error).message }, 'redis cache operation failed');
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  }

  async get(user: string, field: string): Promise<string | undefined> {
    const v = await this.guarded(() => this.redis.hget(this.key(user), field), null);
    return v ?? undefined;
  }

  async set(user: string, field: string, value: string): Promise<void> {
    const k = this.key(user);
    await this.guarded(() => this.redis.multi().hset(k, field, value).expire(k, this.ttl).exec(), null);
  }

  async invalidateUser(user: string): Promise<void> {
    await this.guarded(() => this.redis.del(this.key(user)), 0);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
