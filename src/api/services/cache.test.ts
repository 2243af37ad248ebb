import { describe, expect, it } from 'vitest';
import { LruRecCache } from './cache.js';

describe('in-process recommendation cache', () => {
  it('returns what was stored per user and field, and nothing for other fields or users', () => {
    const c = new LruRecCache();
    c.set('u1', 'a', 'A');
    c.set('u1', 'b', 'B');
    c.set('u2', 'a', 'A2');
    expect([c.get('u1', 'a'), c.get('u1', 'b'), c.get('u2', 'a')]).toEqual(['A', 'B', 'A2']);
    expect(c.get('u1', 'c')).toBeUndefined();
    expect(c.get('u3', 'a')).toBeUndefined();
    c.set('u1', 'a', 'A*');
    expect(c.get('u1', 'a')).toBe('A*');
  });

  it('drops every field of a user on invalidation', () => {
    const c = new LruRecCache();
    c.set('u1', 'a', 'A');
    c.set('u1', 'b', 'B');
    c.invalidateUser('u1');
    expect([c.get('u1', 'a'), c.get('u1', 'b')]).toEqual([undefined, undefined]);
  });

  it('keeps at most maxFieldsPerUser fields, dropping the oldest', () => {
    const c = new LruRecCache(10, 0, 2);
    c.set('u', 'a', '1');
    c.set('u', 'b', '2');
    c.set('u', 'c', '3');
    expect([c.get('u', 'a'), c.get('u', 'b'), c.get('u', 'c')]).toEqual([undefined, '2', '3']);
  });

  it('holds at most maxUsers users and keeps the recently used ones', () => {
    const c = new LruRecCache(100, 0);
    for (let u = 0; u < 1000; u++) {
      c.set(`u${u}`, 'f', String(u));
      expect(c.get('hot', 'f') ?? (c.set('hot', 'f', 'H'), 'H')).toBe('H');
      expect(c.size).toBeLessThanOrEqual(100);
    }
    expect(c.get('u999', 'f')).toBe('999');
    expect(c.get('u0', 'f')).toBeUndefined();
  });

  it('forgets a user ttlMs after the entry was created', () => {
    let t = 0;
    const c = new LruRecCache(100, 1000, 16, () => t);
    c.set('u', 'f', 'x');
    t = 999;
    expect(c.get('u', 'f')).toBe('x');
    t = 1000;
    expect(c.get('u', 'f')).toBeUndefined();
  });
});
