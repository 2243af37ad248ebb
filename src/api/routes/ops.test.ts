import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemId, publishTinyModels, tinyApp, type TestApp } from '../test-helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await tinyApp();
});
afterAll(async () => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });

describe('health', () => {
  it('is live at once and ready only once models are loaded', async () => {
    const a = await tinyApp({ load: false });
    try {
      expect((await a.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      const notReady = await a.app.inject({ method: 'GET', url: '/health/ready' });
      expect(notReady.statusCode).toBe(503);
      expect(notReady.json().code).toBe('NOT_READY');
      // Recommendations before any model: 503, not a crash.
      expect((await a.app.inject({ method: 'GET', url: '/recommendations/u' })).statusCode).toBe(503);
      await a.models.reload();
      const ready = await a.app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json().models).toHaveLength(3);
    } finally {
      await a.close();
    }
  });
});

describe('GET /metrics', () => {
  it('exposes latency histograms, cache counters, ingested events and model versions as Prometheus text and JSON', async () => {
    await get('/recommendations/m-user');
    await get('/recommendations/m-user');
    await t.app.inject({
      method: 'POST',
      url: '/events',
      payload: { user_id: 'm-user', item_id: itemId(1), event: 'addtocart' },
    });
    const text = (await get('/metrics')).body;
    expect(text).toContain(
      'funnelrec_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/recommendations/:user_id",status="200"}',
    );
    expect(text).toMatch(/funnelrec_cache_hits_total 1\b/);
    expect(text).toMatch(/funnelrec_events_ingested_total\{event="addtocart"\} 1\b/);
    expect(text).toContain('funnelrec_model_info{model="popular-category",version="v1"} 1');
    const json = (await get('/metrics?format=json')).json();
    expect(json.cache).toMatchObject({ hits: 1, misses: 1, hit_ratio: 0.5 });
    expect(json.events.ingested).toEqual({ addtocart: 1 });
    expect(json.routes['GET /recommendations/:user_id'].count).toBe(2);
  });
});

describe('GET /stats/funnel', () => {
  it('counts events and distinct users per type with rates, overall and in a window', async () => {
    const a = await tinyApp();
    try {
      const t0 = Date.now() - 10 * 86_400_000;
      const events = [
        { user_id: 'a', item_id: itemId(1), event: 'view', ts: t0 },
        { user_id: 'a', item_id: itemId(1), event: 'addtocart', ts: t0 + 1 },
        { user_id: 'a', item_id: itemId(1), event: 'transaction', ts: t0 + 2 },
        { user_id: 'b', item_id: itemId(2), event: 'view', ts: t0 },
        { user_id: 'b', item_id: itemId(2), event: 'addtocart', ts: t0 + 1 },
        { user_id: 'c', item_id: itemId(3), event: 'view' },
        { user_id: 'd', item_id: itemId(3), event: 'view' },
      ];
      expect((await a.app.inject({ method: 'POST', url: '/events', payload: { events } })).statusCode).toBe(
        200,
      );
      const all = (await a.app.inject({ method: 'GET', url: '/stats/funnel' })).json();
      expect(all.window).toBeNull();
      expect(all.overall.events).toEqual({ view: 4, addtocart: 2, transaction: 1 });
      expect(all.overall.users).toEqual({ any: 4, view: 4, addtocart: 2, transaction: 1 });
      expect(all.overall.rates).toEqual({ view_to_cart: 0.5, cart_to_purchase: 0.5, view_to_purchase: 0.25 });
      const day = (await a.app.inject({ method: 'GET', url: '/stats/funnel?window=1d' })).json();
      expect(day.window.events).toEqual({ view: 2, addtocart: 0, transaction: 0 });
      expect(day.window.rates.view_to_cart).toBe(0);
      const range = (
        await a.app.inject({ method: 'GET', url: `/stats/funnel?from=${t0 + 1}&to=${t0 + 3}` })
      ).json();
      expect(range.window.users).toEqual({ any: 2, view: 0, addtocart: 2, transaction: 1 });
      expect(range.window.rates.view_to_cart).toBeNull();
      const bad = await a.app.inject({ method: 'GET', url: `/stats/funnel?from=10&to=5` });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].field).toBe('querystring.from');
    } finally {
      await a.close();
    }
  });
});

describe('POST /admin/reload', () => {
  it('swaps in a new published version and keeps the old one when the new artifact is broken', async () => {
    const root = join(t.root, 'models');
    await publishTinyModels(root, 'v2', 29);
    const ok = await t.app.inject({ method: 'POST', url: '/admin/reload' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().loaded).toHaveLength(3);
    const b = (await get('/recommendations/reload-user?k=1')).json();
    expect(b.model_version).toBe('v2');
    expect(b.items[0].id).toBe(itemId(29));
    // v3 of popular-decay: a truncated arrays.bin.
    await publishTinyModels(root, 'v3');
    await writeFile(join(root, 'popular-decay', 'v3', 'arrays.bin'), Buffer.alloc(8));
    const bad = await t.app.inject({ method: 'POST', url: '/admin/reload' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().rejected).toEqual([
      expect.objectContaining({ model: 'popular-decay', version: 'v3', kept: 'v2' }),
    ]);
    const after = (await get('/recommendations/reload-user?k=1')).json();
    expect(after).toMatchObject({ model: 'popular-decay', model_version: 'v2' });
    expect(t.models.snapshot.models.get('popular')?.version).toBe('v3');
  });
});

describe('a reload under load', () => {
  it('fails no request that runs while models are swapped', async () => {
    const a = await tinyApp();
    try {
      await publishTinyModels(join(a.root, 'models'), 'v9', 3);
      const requests = Array.from({ length: 60 }, (_, i) =>
        a.app.inject({ method: 'GET', url: `/recommendations/load-${i}?k=2` }),
      );
      const [reload, ...answers] = await Promise.all([
        a.app.inject({ method: 'POST', url: '/admin/reload' }),
        ...requests,
      ]);
      expect(reload.statusCode).toBe(200);
      expect(answers.map((r) => r.statusCode)).toEqual(answers.map(() => 200));
      expect(new Set(answers.map((r) => r.json().model_version))).toEqual(expect.any(Set));
      expect(
        (await a.app.inject({ method: 'GET', url: '/recommendations/after?k=1' })).json().model_version,
      ).toBe('v9');
    } finally {
      await a.close();
    }
  });
});

describe('rate limit and docs', () => {
  it('answers 429 with a problem once a client exceeds its limit', async () => {
    const a = await tinyApp({ deps: { config: { rateLimit: { max: 3, timeWindowMs: 60_000 } } } });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++)
        codes.push((await a.app.inject({ method: 'GET', url: '/recommendations/x' })).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
      const r = await a.app.inject({ method: 'GET', url: '/recommendations/x' });
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect((await a.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    } finally {
      await a.close();
    }
  });

  it('serves the OpenAPI document listing every endpoint', async () => {
    const doc = (await get('/docs/json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/recommendations/{user_id}',
        '/recommendations/session',
        '/events',
        '/stats/funnel',
        '/metrics',
        '/health',
        '/health/ready',
        '/admin/reload',
      ]),
    );
    expect((await get('/docs')).statusCode).toBeLessThan(400);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const r = await get('/nope');
    expect(r.statusCode).toBe(404);
    expect(r.json().title).toBe('Not Found');
  });
});
