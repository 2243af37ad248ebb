import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { bmm, mm } from './fast-matmul.js';
import { PopularitySampler } from './negative-sampler.js';
import { segmentSumInto } from './segment-sum-kernel.js';
import { initTf, tf } from './tf-backend.js';

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-4): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(tol * (1 + Math.abs(b[i])));
}

describe('UnsortedSegmentSum kernels', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`gives the gather gradient the reference sums on ${backend}`, async () => {
      expect(await initTf(backend)).toBe(backend);
      const rng = new Rng(1);
      const table = tf.tensor2d(
        Array.from({ length: 7 * 3 }, () => rng.normal()),
        [7, 3],
      );
      const ids = Int32Array.of(2, 5, 2, 0, 6, 2);
      const dy = Array.from({ length: ids.length * 3 }, () => rng.normal());
      const g = tf.grad((t: tf.Tensor) =>
        tf.sum(tf.mul(tf.gather(t, tf.tensor1d(ids, 'int32')), tf.tensor2d(dy, [ids.length, 3]))),
      )(table);
      const ref = new Float32Array(21);
      segmentSumInto(dy, ids, 3, 7, ref);
      close(g.dataSync(), ref);
      // ids outside [0, numSegments) are skipped
      const s = tf.unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor1d([1, 9], 'int32'), 2);
      expect(Array.from(s.dataSync())).toEqual([0, 0, 1, 2]);
      tf.dispose([table, g, s]);
    });
  }
});

describe('mm and bmm', () => {
  it('match tf.matMul in value and gradient', async () => {
    await initTf('wasm');
    const rng = new Rng(2);
    const r = (...shape: number[]) =>
      tf.tensor(
        Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.normal()),
        shape,
      );
    const a = r(4, 3) as tf.Tensor2D;
    const b = r(3, 5) as tf.Tensor2D;
    const w = r(4, 5);
    const f1 = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(mm(x as tf.Tensor2D, y as tf.Tensor2D), w));
    const f2 = (x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D), w));
    const [g1, g2] = [tf.grads(f1)([a, b]), tf.grads(f2)([a, b])];
    close(g1[0].dataSync(), g2[0].dataSync());
    close(g1[1].dataSync(), g2[1].dataSync());
    const a3 = r(2, 4, 3) as tf.Tensor3D;
    const b3 = r(2, 3, 5) as tf.Tensor3D;
    const w3 = r(2, 4, 5);
    const h1 = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(bmm(x as tf.Tensor3D, y as tf.Tensor3D), w3)),
    )([a3, b3]);
    const h2 = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D), w3)),
    )([a3, b3]);
    close(h1[0].dataSync(), h2[0].dataSync());
    close(h1[1].dataSync(), h2[1].dataSync());
    close(bmm(a3, b3).dataSync(), tf.matMul(a3, b3).dataSync());
  });
});

describe('PopularitySampler', () => {
  it('draws items in proportion to popularity^alpha (chi-square)', () => {
    const counts = [1, 5, 20, 100, 0, 400, 3, 50];
    const alpha = 0.4;
    const s = new PopularitySampler(counts, alpha);
    const total = counts.reduce((a, c) => a + (c > 0 ? c ** alpha : 0), 0);
    const expected = counts.map((c) => (c > 0 ? c ** alpha : 0) / total);
    const n = 40_000;
    const obs = new Float64Array(counts.length);
    const out = s.sampleInto(new Rng(5), new Int32Array(n));
    for (const i of out) obs[i]++;
    expect(obs[4]).toBe(0); // never-seen items are never negatives
    let chi2 = 0;
    for (let i = 0; i < counts.length; i++) {
      expect(s.probability(i)).toBeCloseTo(expected[i], 12);
      if (expected[i] > 0) chi2 += (obs[i] - n * expected[i]) ** 2 / (n * expected[i]);
    }
    // 6 degrees of freedom: the 99.9 % quantile is 22.46
    expect(chi2).toBeLessThan(22.46);
  });

  it('is uniform at alpha 0 and proportional at alpha 1', () => {
    const s0 = new PopularitySampler([1, 10, 100], 0);
    expect(s0.probability(0)).toBeCloseTo(1 / 3, 12);
    const s1 = new PopularitySampler([1, 10, 100], 1);
    expect(s1.probability(2)).toBeCloseTo(100 / 111, 12);
  });
});
