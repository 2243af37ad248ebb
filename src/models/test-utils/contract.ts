/**
 * The contract every registered model keeps (implicit's checkerboard mixin, hono's one suite over
 * every router): planted structure recovered, batch = single, seeded refit identical, artifact
 * round-trip identical, cold queries as the capabilities say, no NaN, config validated.
 * `contract.test.ts` runs it over every registry entry; a new model can run it on its own entry
 * before it is registered.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { isRecError } from '../../core/errors.js';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import { parseConfig } from '../common/config.js';
import type { ModelEntry } from '../registry.js';
import { plantedData } from './planted.js';
import { trainModel } from '../../training/trainer.js';
import type { Query, Recommender } from '../types.js';

const planted = plantedData();
const { data, queries } = planted;
const n = data.nItems;

function scores(m: Recommender, qs: readonly Query[]): Float32Array {
  const out = new Float32Array(qs.length * n);
  m.scoreBatch(qs, out);
  return out;
}

function top(row: Float32Array, k: number): number[] {
  return Array.from(row.keys())
    .sort((a, b) => row[b] - row[a] || a - b)
    .slice(0, k);
}

const coldQuery: Query = {
  user: -1,
  items: new Int32Array(0),
  events: new Uint8Array(0),
  sessionStart: 0,
  time: data.cutTime,
};

/** Registers the contract tests of one model entry (call inside a test file). */
export function modelContract(entry: ModelEntry): void {
  const name = entry.name;
  const effectiveConfig = (_n: string, raw: unknown = {}): unknown =>
    parseConfig(name, entry.configSchema, raw);
  const createModel = (_n: string, raw: unknown = {}): Recommender =>
    entry.create(effectiveConfig(name, raw) as never);
  const modelFromArtifact = (a: Parameters<ModelEntry['fromArtifact']>[0]): Recommender =>
    entry.fromArtifact(a, effectiveConfig(name, a.config) as never);
  async function fitted(_n: string, seed = 1): Promise<Recommender> {
    const m = createModel(name);
    await trainModel(m, data, { rng: new Rng(seed) });
    return m;
  }
  describe(`model contract: ${name}`, () => {
    it('recovers the planted structure', async () => {
      const m = await fitted(name);
      const s = scores(m, queries);
      if (entry.planted === 'popularity') {
        const counts = new Float64Array(n);
        for (let r = 0; r < data.events.length; r++) counts[data.events.item[r]]++;
        const best = top(Float32Array.from(counts), 1)[0];
        expect(top(scores(m, [coldQuery]), 1)[0]).toBe(best);
      } else if (entry.planted === 'groups') {
        let inGroup = 0;
        for (let u = 0; u < queries.length; u++) {
          for (const i of top(s.subarray(u * n, (u + 1) * n), 5))
            if (planted.itemGroup[i] === planted.userGroup[u]) inGroup++;
        }
        expect(inGroup / (queries.length * 5)).toBeGreaterThan(0.9);
      } else {
        const firsts = new Set(queries.map((_, u) => top(s.subarray(u * n, (u + 1) * n), 1)[0]));
        expect(firsts.size).toBeGreaterThan(n / 4);
      }
    });

    it('gives the same scores in a batch as one query at a time', async () => {
      const m = await fitted(name);
      const batch = scores(m, queries);
      for (let q = 0; q < queries.length; q += 7) {
        expect(scores(m, [queries[q]])).toEqual(batch.subarray(q * n, (q + 1) * n));
      }
    });

    it('is identical when refitted with the same seed', async () => {
      expect(scores(await fitted(name, 3), queries)).toEqual(scores(await fitted(name, 3), queries));
    });

    it('scores identically after save and load', async () => {
      const m = await fitted(name);
      const { manifest, blob } = encodeArtifact(m.toArtifact(), {
        createdAt: 'now',
        codeVersion: 'test',
        dataFingerprint: data.fingerprint,
        synthetic: true,
      });
      const { artifact } = decodeArtifact(JSON.parse(JSON.stringify(manifest)), new Uint8Array(blob));
      const loaded = modelFromArtifact(artifact);
      expect(loaded.nItems).toBe(n);
      expect(scores(loaded, queries)).toEqual(scores(m, queries));
    });

    it('answers unknown users as its capabilities say, never with NaN', async () => {
      const m = await fitted(name);
      const unknownWithHistory: Query = { ...queries[0], user: -1 };
      if (entry.create(effectiveConfig(name) as never).capabilities.coldUsers) {
        for (const q of [coldQuery, unknownWithHistory]) {
          const s = scores(m, [q]);
          expect(s.every((v) => !Number.isNaN(v))).toBe(true);
          expect(s.some((v) => Number.isFinite(v))).toBe(true);
        }
      }
      expect(scores(m, queries).every((v) => !Number.isNaN(v))).toBe(true);
    });

    it('refuses to score before it is fitted', () => {
      const m = createModel(name);
      expect(() => m.scoreBatch([coldQuery], new Float32Array(n))).toThrowError(/not fitted/);
    });

    it('round-trips its config and rejects unknown keys', () => {
      const cfg = effectiveConfig(name);
      expect(effectiveConfig(name, JSON.parse(JSON.stringify(cfg)))).toEqual(cfg);
      let err: unknown;
      try {
        createModel(name, { noSuchOption: 1 });
      } catch (e) {
        err = e;
      }
      expect(isRecError(err, 'CONFIG_INVALID')).toBe(true);
      expect(String((err as Error).message)).toContain('noSuchOption');
    });
  });
}
