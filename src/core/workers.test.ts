import { describe, expect, it } from 'vitest';
import { request, sharedFloat32, startWorker } from './workers.js';

describe('startWorker', () => {
  it('runs a TypeScript worker that writes into shared memory', async () => {
    const w = startWorker(new URL('./test-fixtures/double-worker.js', import.meta.url));
    try {
      const buf = sharedFloat32(4);
      buf.set([1, 2, 3, 4]);
      const reply = await request<{ sum: number }>(w, { buf });
      expect(Array.from(buf)).toEqual([2, 4, 6, 8]);
      expect(reply.sum).toBe(20);
    } finally {
      await w.terminate();
    }
  });
});
