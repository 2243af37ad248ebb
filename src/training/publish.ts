/**
 * Trains models on all the data a shop has (no hold-out) and publishes them as versioned
 * artifacts for serving: `<root>/<model>/<version>/{manifest.json, arrays.bin, items.txt, users.txt}`
 * and `<root>/<model>/LATEST` naming the newest version (written last, atomically).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RecError } from '../core/errors.js';
import type { Logger, ProgressFn } from '../core/progress.js';
import { Rng } from '../core/rng.js';
import type { Dataset } from '../data/dataset.js';
import { buildTrainData } from '../evaluation/protocols/train-data.js';
import { createModel, effectiveConfig } from '../models/registry.js';
import { saveArtifact } from './artifact-store.js';
import { codeVersion } from './code-version.js';
import { trainModel, type TrainReport } from './trainer.js';

export interface PublishOptions {
  dataset: Dataset;
  models: { name: string; config?: Record<string, unknown> }[];
  root: string;
  seed: number;
  onProgress?: ProgressFn;
  logger?: Logger;
}

export interface Published {
  model: string;
  version: string;
  dir: string;
  train: TrainReport;
}

export async function trainAndPublish(opts: PublishOptions): Promise<Published[]> {
  const ds = opts.dataset;
  if (ds.events.length === 0) throw new RecError('DATA_INVALID', 'Cannot train on an empty data set');
  const rows = Int32Array.from({ length: ds.events.length }, (_, i) => i);
  const cut = ds.events.ts[ds.events.length - 1] + 1;
  const split = buildTrainData(ds, rows, cut, { splitTag: 'all' });
  const items = Array.from(split.maps.itemToDataset, (i) => ds.items.id(i)).join('\n');
  const users = Array.from(split.maps.userToDataset, (u) => ds.users.id(u)).join('\n');
  const version = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const out: Published[] = [];
  for (const spec of opts.models) {
    const config = effectiveConfig(spec.name, spec.config ?? {});
    const model = createModel(spec.name, config);
    const train = await trainModel(model, split.data, {
      rng: new Rng(opts.seed),
      onProgress: opts.onProgress,
      logger: opts.logger,
    });
    const dir = join(opts.root, spec.name, version);
    await saveArtifact(dir, model.toArtifact(), {
      createdAt: new Date().toISOString(),
      codeVersion: codeVersion(),
      dataFingerprint: split.data.fingerprint,
      synthetic: ds.meta.synthetic,
      dataset: ds.meta.name,
      seed: opts.seed,
      trainedUntil: new Date(cut).toISOString(),
    });
    await writeFile(join(dir, 'items.txt'), items);
    await writeFile(join(dir, 'users.txt'), users);
    const latest = join(opts.root, spec.name, 'LATEST');
    await writeFile(`${latest}.tmp`, version);
    await rename(`${latest}.tmp`, latest);
    out.push({ model: spec.name, version, dir, train });
  }
  return out;
}

/** Directory of the newest published version of `model`, or undefined. */
export async function latestVersionDir(root: string, model: string): Promise<string | undefined> {
  try {
    const v = (await readFile(join(root, model, 'LATEST'), 'utf8')).trim();
    return v ? join(root, model, v) : undefined;
  } catch {
    return undefined;
  }
}

export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
}
