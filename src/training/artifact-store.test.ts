import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRecError } from '../core/errors.js';
import { artifactExists, loadArtifact, saveArtifact } from './artifact-store.js';

const meta = { createdAt: '2026-01-01T00:00:00Z', codeVersion: 't', dataFingerprint: 'f', synthetic: true };

describe('artifact store', () => {
  it('writes and reads back every array exactly, with its provenance', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'fr-art-')), 'm1');
    const arrays = {
      f: Float32Array.of(1.5, -2, Number.NEGATIVE_INFINITY),
      i: Int32Array.of(7, -1, 2 ** 30),
      b: Uint8Array.of(1, 2, 3),
      d: Float64Array.of(Math.PI),
    };
    await saveArtifact(dir, { model: 'popular', config: { mode: 'global' }, state: { x: 1 }, arrays }, meta);
    expect(artifactExists(dir)).toBe(true);
    const { artifact, meta: m } = await loadArtifact(dir);
    expect(artifact.arrays).toEqual(arrays);
    expect(artifact.state).toEqual({ x: 1 });
    expect(m.dataFingerprint).toBe('f');
  });

  it('rejects a truncated blob with a message that says to retrain', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'fr-art-')), 'm2');
    await saveArtifact(
      dir,
      { model: 'popular', config: {}, state: {}, arrays: { f: new Float32Array(100) } },
      meta,
    );
    await writeFile(join(dir, 'arrays.bin'), Buffer.alloc(10));
    const err = await loadArtifact(dir).catch((e: unknown) => e);
    expect(isRecError(err, 'ARTIFACT_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(/outside the artifact blob/);
  });

  it('explains what to do when there is no artifact', async () => {
    const err = await loadArtifact(join(tmpdir(), 'definitely-not-here')).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/funnelrec train/);
  });
});
