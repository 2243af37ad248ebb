/**
 * Recommendation cache: serialized responses per user. In-process LRU by default; Redis when a URL
 * is configured. `invalidateUser` drops a user's entries whenever their state changes; keys carry
 * the model version, and for Redis also the user's state version, so an entry can never outlive the
 * state it was computed from (see `RecCache.syncInvalidation`).
 *
 * The Redis cache never fails a request: when Redis is down every operation resolves as a miss
 * (or a no-op) within `timeoutMs`, the outage is logged once, and service resumes when Redis returns.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../../core/progress.js';
import { silentLogger } from '../../core/progress.js';

export interface RecCache {
  readonly kind: 'lru' | 'redis' | 'off';
  /**
   * True when `invalidateUser` takes effect before it returns and no lookup can interleave with a
   * request's own read-compute-store (the in-process LRU): then the user's state version need not
   * be part of the field, the invalidation on every state change is enough. False for Redis, where
   * a request that read the old state may store after an invalidation (the version in the field
   * keeps that entry from ever being read).
   */
  readonly syncInvalidation: boolean;
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
  syncInvalidation: true,
  get: () => undefined,
  set: () => {},
  invalidateUser: () => {},
  healthy: () => true,
  close: async () => {},
};

interface UserEntry {
  /** When the user's entry was created (epoch ms): it expires `ttlMs` later. */
  readonly at: number;
  /** Fields and their bodies, oldest first (a few per user: one per distinct query). */
  readonly fields: string[];
  readonly bodies: string[];
}

/**
 * In-process cache of at most `maxUsers` users, each with at most `maxFieldsPerUser` fields,
 * expiring `ttlMs` after the user's entry was created. Recency is kept by two generations of
 * plain Maps (the "young" one takes new and re-used users; when it holds half the capacity it
 * becomes the "old" one and the previous old one is dropped): an approximate LRU where a hit is one
 * Map lookup, with no per-hit bookkeeping — the cached GET is the API's hottest path.
 */
export class LruRecCache implements RecCache {
  readonly kind = 'lru' as const;
  readonly syncInvalidation = true;
  private young = new Map<string, UserEntry>();
  private old = new Map<string, UserEntry>();
  private readonly generationSize: number;

  constructor(
    maxUsers = 50_000,
    private readonly ttlMs = 300_000,
    private readonly maxFieldsPerUser = 16,
    private readonly now: () => number = Date.now,
  ) {
    this.generationSize = Math.max(1, Math.ceil(maxUsers / 2));
  }

  private entry(user: string): UserEntry | undefined {
    let e = this.young.get(user);
    if (e === undefined) {
      e = this.old.get(user);
      if (e === undefined) return undefined;
      this.old.delete(user);
      this.keep(user, e);
    }
    if (this.ttlMs > 0 && this.now() - e.at >= this.ttlMs) {
      this.young.delete(user);
      return undefined;
    }
    return e;
  }

  private keep(user: string, e: UserEntry): void {
    this.young.set(user, e);
    if (this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
  }

  get(user: string, field: string): string | undefined {
    const e = this.entry(user);
    if (e === undefined) return undefined;
    const i = e.fields.indexOf(field);
    return i < 0 ? undefined : e.bodies[i];
  }

  set(user: string, field: string, value: string): void {
    let e = this.entry(user);
    if (e === undefined) this.keep(user, (e = { at: this.now(), fields: [], bodies: [] }));
    const i = e.fields.indexOf(field);
    if (i >= 0) {
      e.bodies[i] = value;
      return;
    }
    if (e.fields.length >= this.maxFieldsPerUser) {
      e.fields.shift();
      e.bodies.shift();
    }
    e.fields.push(field);
    e.bodies.push(value);
  }

  /** Number of users held (both generations). */
  get size(): number {
    return this.young.size + this.old.size;
  }

  invalidateUser(user: string): void {
    this.young.delete(user);
    this.old.delete(user);
  }

  healthy(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.young.clear();
    this.old.clear();
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
  readonly syncInvalidation = false;
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
