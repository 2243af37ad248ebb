/**
 * Versioned model artifacts on disk: `<root>/<key>/manifest.json` + `arrays.bin`. Writes go to a
 * temporary directory that is renamed into place, so a crash never leaves a half-written model.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RecError } from '../core/errors.js';
import { decodeArtifact, encodeArtifact, type ArtifactMeta } from '../models/artifact.js';
import type { ModelArtifact } from '../models/types.js';

export async function saveArtifact(dir: string, artifact: ModelArtifact, meta: ArtifactMeta): Promise<void> {
  const { manifest, blob } = encodeArtifact(artifact, meta);
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  await writeFile(join(tmp, 'arrays.bin'), blob);
  await writeFile(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
}

export async function loadArtifact(dir: string): Promise<{ artifact: ModelArtifact; meta: ArtifactMeta }> {
  const mPath = join(dir, 'manifest.json');
  if (!existsSync(mPath)) {
    throw new RecError(
      'ARTIFACT_INVALID',
      `No model artifact at ${dir}: manifest.json is missing; train the model with "funnelrec train"`,
    );
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(mPath, 'utf8'));
  } catch (e) {
    throw new RecError(
      'ARTIFACT_INVALID',
      `Model artifact ${mPath} is not valid JSON; retrain the model`,
      undefined,
      e,
    );
  }
  const blob = await readFile(join(dir, 'arrays.bin')).catch((e: unknown) => {
    throw new RecError(
      'ARTIFACT_INVALID',
      `Model artifact ${dir} has no arrays.bin; retrain the model`,
      undefined,
      e,
    );
  });
  return decodeArtifact(manifest, blob);
}

export function artifactExists(dir: string): boolean {
  return existsSync(join(dir, 'manifest.json')) && existsSync(join(dir, 'arrays.bin'));
}
