import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemId, tinyApp, type TestApp } from '../test-helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await tinyApp({ deps: { config: { rateLimit: false, maxBatch: 5, bodyLimit: 4096 } } });
});
afterAll(async () => t.close());

const post = (payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/events', payload: payload as object, headers });

describe('POST /events', () => {
  it('accepts a single event object as a batch of one', async () => {
    const r = await post({ user_id: 'u-single', item_id: itemId(1), event: 'view' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      accepted: 1,
      duplicates: 0,
      replayed: false,
      funnel_stages: { 'u-single': 'browsing' },
    });
    expect(t.state.history('u-single')?.items).toEqual([itemId(1)]);
  });

  it('counts an event with a known event_id once', async () => {
    const ev = { user_id: 'u-dup', item_id: itemId(2), event: 'view', event_id: 'e-1' };
    expect((await post({ events: [ev] })).json().accepted).toBe(1);
    const again = (await post({ events: [ev, { ...ev, event_id: 'e-2' }] })).json();
    expect(again).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(t.state.history('u-dup')?.items).toHaveLength(2);
  });

  it('replays the first response for a retried Idempotency-Key and rejects the key with another body', async () => {
    const body = { events: [{ user_id: 'u-key', item_id: itemId(3), event: 'addtocart' }] };
    const first = await post(body, { 'idempotency-key': 'k-1' });
    const retry = await post(body, { 'idempotency-key': 'k-1' });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ accepted: 1, seqs: first.json().seqs, replayed: true });
    expect(t.state.history('u-key')?.items).toHaveLength(1);
    const other = await post(
      { events: [{ user_id: 'u-key', item_id: itemId(4), event: 'view' }] },
      { 'idempotency-key': 'k-1' },
    );
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('rejects bad input with 4xx problems that name the field', async () => {
    const bad = await post({ events: [{ user_id: 'u', item_id: itemId(1), event: 'buy' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.events.0.event');
    const missing = await post({ events: [{ user_id: 'u', event: 'view' }] });
    expect(missing.json().errors[0].field).toBe('body.events.0.item_id');
    const tooMany = await post({
      events: Array.from({ length: 6 }, () => ({ user_id: 'u', item_id: '1', event: 'view' })),
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors[0].field).toBe('body.events');
    const future = await post({ user_id: 'u', item_id: '1', event: 'view', ts: Date.now() + 86_400_000 });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].field).toBe('body.events.0.ts');
    const huge = await post({ events: [{ user_id: 'u'.repeat(5000), item_id: '1', event: 'view' }] });
    expect(huge.statusCode).toBe(413);
    const text = await t.app.inject({
      method: 'POST',
      url: '/events',
      payload: 'view',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.statusCode).toBe(415);
    const broken = await t.app.inject({
      method: 'POST',
      url: '/events',
      payload: '{"events": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.headers['content-type']).toContain('application/problem+json');
  });
});

describe('POST /events with an API key configured', () => {
  it('requires the key for writes but not for reads', async () => {
    const a = await tinyApp({ deps: { config: { rateLimit: false, apiKey: 'secret-key-1' } } });
    try {
      const ev = { user_id: 'u', item_id: itemId(1), event: 'view' };
      const none = await a.app.inject({ method: 'POST', url: '/events', payload: ev });
      expect(none.statusCode).toBe(401);
      const wrong = await a.app.inject({
        method: 'POST',
        url: '/events',
        payload: ev,
        headers: { 'x-api-key': 'nope' },
      });
      expect(wrong.statusCode).toBe(401);
      const ok = await a.app.inject({
        method: 'POST',
        url: '/events',
        payload: ev,
        headers: { 'x-api-key': 'secret-key-1' },
      });
      expect(ok.statusCode).toBe(200);
      const bearer = await a.app.inject({
        method: 'POST',
        url: '/admin/reload',
        headers: { authorization: 'Bearer secret-key-1' },
      });
      expect(bearer.statusCode).toBe(200);
      expect((await a.app.inject({ method: 'POST', url: '/admin/reload' })).statusCode).toBe(401);
      expect((await a.app.inject({ method: 'GET', url: '/recommendations/u' })).statusCode).toBe(200);
    } finally {
      await a.close();
    }
  });
});

describe('the event log', () => {
  it('keeps every accepted event across a restart, each once, and rebuilds the user state from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'funnelrec-log-'));
    const logPath = join(dir, 'events.sqlite');
    try {
      const a = await tinyApp({ logPath });
      const sent = Array.from({ length: 40 }, (_, i) => ({
        user_id: `u${i % 4}`,
        item_id: itemId(i % 30),
        event: 'view',
        event_id: `e${i}`,
      }));
      const results = await Promise.all(
        sent.map((ev) => a.app.inject({ method: 'POST', url: '/events', payload: ev })),
      );
      expect(results.every((r) => r.statusCode === 200)).toBe(true);
      await a.close();
      const b = await tinyApp({ logPath });
      try {
        const ids = [...b.log.replay()].map((e) => e.eventId);
        expect(ids.slice().sort()).toEqual(sent.map((e) => e.event_id).sort());
        expect(b.state.history('u1')?.items).toHaveLength(10);
        const r = (await b.app.inject({ method: 'POST', url: '/events', payload: sent[0] })).json();
        expect(r).toMatchObject({ accepted: 0, duplicates: 1 });
      } finally {
        await b.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
