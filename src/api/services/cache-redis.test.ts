/**
 * The Redis cache against a real redis-server started (and stopped, and restarted) by the test.
 * Needs the `redis-server` binary (Debian package `redis-server`; `REDIS_SERVER_BIN` overrides the
 * path). When `REDIS_URL` is set, the basic cache test also runs against that server. With `CI`
 * set, a missing binary or an unreachable `REDIS_URL` fails the tests instead of skipping them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { itemId, tinyApp } from '../test-helpers.js';
import { RedisRecCache } from './cache.js';
import { ApiMetrics } from './metrics.js';

const BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';
const HAVE_REDIS = spawnSync(BIN, ['--version']).status === 0;
const CI = Boolean(process.env.CI);
const SKIP_REASON = `${BIN} is not installed (apt-get install redis-server); Redis cache tests skipped`;
if (!HAVE_REDIS && !CI) console.warn(`SKIPPED: ${SKIP_REASON}`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const p = spawn(BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const probe = new RedisRecCache({ url: `redis://127.0.0.1:${port}` });
  const up = await probe.waitReady(5000);
  await probe.close();
  if (!up) throw new Error(`redis-server did not start on port ${port}`);
  return p;
}

async function stopRedis(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    p.once('exit', () => resolve());
    p.kill('SIGKILL');
  });
}

const started: ChildProcess[] = [];
afterAll(async () => {
  for (const p of started) await stopRedis(p);
});

describe.skipIf(!HAVE_REDIS && !CI)('the Redis recommendation cache', () => {
  it('needs redis-server (fails in CI when it is missing)', () => {
    expect(HAVE_REDIS, SKIP_REASON).toBe(true);
  });

  it('stores, reads and invalidates a user entry on a real server', async () => {
    let url = process.env.REDIS_URL;
    if (!url) {
      const port = await freePort();
      started.push(await startRedis(port));
      url = `redis://127.0.0.1:${port}`;
    }
    const cache = new RedisRecCache({ url, keyPrefix: `funnelrec-test-${process.pid}:` });
    try {
      expect(await cache.waitReady(3000), `Redis at ${url} is not reachable`).toBe(true);
      expect(await cache.get('u1', 'f')).toBeUndefined();
      await cache.set('u1', 'f', '{"a":1}');
      expect(await cache.get('u1', 'f')).toBe('{"a":1}');
      await cache.invalidateUser('u1');
      expect(await cache.get('u1', 'f')).toBeUndefined();
    } finally {
      await cache.close();
    }
  });

  it('keeps answering from the models while Redis is down and uses it again when it returns', async () => {
    const port = await freePort();
    let redis = await startRedis(port);
    started.push(redis);
    const metrics = new ApiMetrics();
    const cache = new RedisRecCache({
      url: `redis://127.0.0.1:${port}`,
      onError: () => metrics.cacheErrors.inc(),
    });
    const t = await tinyApp({ deps: { cache, metrics, config: { rateLimit: false } } });
    const get = () => t.app.inject({ method: 'GET', url: '/recommendations/r-user?k=3' });
    try {
      expect(await cache.waitReady(3000)).toBe(true);
      expect((await get()).headers['x-cache']).toBe('miss');
      expect((await get()).headers['x-cache']).toBe('hit');
      // An event invalidates the user's entries in Redis.
      await t.app.inject({
        method: 'POST',
        url: '/events',
        payload: { user_id: 'r-user', item_id: itemId(2), event: 'view' },
      });
      expect((await get()).headers['x-cache']).toBe('miss');

      await stopRedis(redis);
      for (let i = 0; i < 3; i++) {
        const r = await get();
        expect(r.statusCode).toBe(200);
        expect(r.headers['x-cache']).toBe('miss');
        expect(r.json().items).toHaveLength(3);
      }
      for (let i = 0; i < 100 && cache.healthy(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(cache.healthy()).toBe(false);
      expect((await get()).statusCode).toBe(200);
      const ready = (await t.app.inject({ method: 'GET', url: '/health/ready' })).json();
      expect(ready.cache).toEqual({ kind: 'redis', healthy: false });

      redis = await startRedis(port);
      started.push(redis);
      expect(await cache.waitReady(5000)).toBe(true);
      expect((await get()).headers['x-cache']).toBe('miss');
      expect((await get()).headers['x-cache']).toBe('hit');
    } finally {
      await t.close();
      await cache.close();
    }
  });
});
