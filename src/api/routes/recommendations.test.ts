import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryOf, itemId, tinyApp, type TestApp } from '../test-helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await tinyApp();
});
afterAll(async () => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });
const post = (url: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url, payload: payload as object });

describe('GET /recommendations/:user_id', () => {
  it('answers an unknown user with the cold-start popular list, never an error', async () => {
    const r = await get('/recommendations/nobody-42?k=5');
    expect(r.statusCode).toBe(200);
    const b = r.json();
    expect(b.items.map((i: { id: string }) => i.id)).toEqual([0, 1, 2, 3, 4].map(itemId));
    expect(b.model).toBe('popular-decay');
    expect(b.funnel_stage).toBe('cold');
    expect(b.cold_start).toBe(true);
    expect(b.items[0].reason).toBe('Trending now');
    expect(b.model_version).toBe('v1');
  });

  it('gives the cold-start answer per category when a category is asked for', async () => {
    const b = (await get('/recommendations/nobody?k=4&category=11')).json();
    expect(b.items.map((i: { category: number }) => i.category)).toEqual([11, 11, 11, 11]);
    expect(b.items[0].id).toBe(itemId(1));
    expect(b.items[0].reason).toBe('Trending now in category 11');
  });

  it('leaves out excluded items', async () => {
    const b = (await get(`/recommendations/nobody?k=3&exclude=${itemId(0)},${itemId(2)}`)).json();
    expect(b.items.map((i: { id: string }) => i.id)).toEqual([1, 3, 4].map(itemId));
  });

  it('rejects k outside 1..100 with a problem body naming the field', async () => {
    for (const k of ['0', '101', 'abc']) {
      const r = await get(`/recommendations/u1?k=${k}`);
      expect(r.statusCode).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json().errors[0].field).toBe('querystring.k');
    }
  });

  it('rejects an unknown query parameter and a malformed user id', async () => {
    expect((await get('/recommendations/u1?kk=3')).json().errors[0].field).toBe('querystring.kk');
    expect((await get('/recommendations/bad%20id')).statusCode).toBe(400);
  });

  it('answers 404 with a problem for a model that is not loaded', async () => {
    const r = await get('/recommendations/u1?model=nope');
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('UNKNOWN_MODEL');
  });

  it('serves the second identical request from the cache and reflects a new event at once', async () => {
    const user = 'shopper-7';
    expect((await get(`/recommendations/${user}?k=5`)).headers['x-cache']).toBe('miss');
    expect((await get(`/recommendations/${user}?k=5`)).headers['x-cache']).toBe('hit');
    // Browsing category 12 then carting item 5 (category 12).
    const ev = await post('/events', {
      events: [
        { user_id: user, item_id: itemId(8), event: 'view' },
        { user_id: user, item_id: itemId(5), event: 'addtocart' },
      ],
    });
    expect(ev.statusCode).toBe(200);
    expect(ev.json().funnel_stages[user]).toBe('intent');
    const r = await get(`/recommendations/${user}?k=5`);
    expect(r.headers['x-cache']).toBe('miss');
    const b = r.json();
    expect(b.funnel_stage).toBe('intent');
    expect(b.model).toBe('popular-category');
    expect(b.cold_start).toBe(false);
    const ids = b.items.map((i: { id: string }) => i.id);
    expect(ids).not.toContain(itemId(5)); // already in the cart
    expect(b.items.every((i: { category: number }) => i.category === 12)).toBe(true);
    expect(b.items[0].reason).toBe('Trending in category 12, which you have been browsing');
  });
});

describe('POST /recommendations/session', () => {
  it('personalises an anonymous session by its categories and reports its funnel stage', async () => {
    const r = await post('/recommendations/session', {
      events: [{ item_id: itemId(4) }, { item_id: itemId(7), event: 'view' }],
      k: 3,
    });
    expect(r.statusCode).toBe(200);
    const b = r.json();
    expect(b.user_id).toBeNull();
    expect(b.funnel_stage).toBe('browsing');
    expect(b.items.map((i: { id: string }) => categoryOf(Number(i.id) - 100))).toEqual([11, 11, 11]);
  });

  it('answers an empty session with the cold-start list', async () => {
    const b = (await post('/recommendations/session', { events: [] })).json();
    expect(b.cold_start).toBe(true);
    expect(b.items).toHaveLength(10);
  });

  it('rejects an unknown event type with the field path', async () => {
    const r = await post('/recommendations/session', { events: [{ item_id: '1', event: 'like' }] });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].field).toBe('body.events.0.event');
  });
});
