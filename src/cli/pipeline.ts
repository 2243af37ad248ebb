/**
 * The batch pipeline the CLI commands share: load a `KIND:PATH` data set, clean it (shop event
 * data only: the session benchmark and MovieLens are already prepared by their authors), and
 * prepare an evaluation protocol.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ProgressFn } from '../core/progress.js';
import type { Dataset } from '../data/dataset.js';
import { loadDataset } from '../data/load-dataset.js';
import { cleanEvents, type CleanReport } from '../data/processing/clean.js';
import { prepareProtocol, type PreparedProtocol, type ProtocolName } from '../evaluation/protocols/index.js';

export interface LoadedData {
  dataset: Dataset;
  clean?: CleanReport;
}

export async function loadAndClean(
  spec: string,
  opts: { clean: boolean; onBadRow?: 'fail' | 'skip'; onProgress?: ProgressFn },
): Promise<LoadedData> {
  const raw = await loadDataset(spec, { onBadRow: opts.onBadRow, onProgress: opts.onProgress });
  const shopData =
    raw.meta.kind === 'retailrocket' || raw.meta.kind === 'synthetic' || raw.meta.kind === 'interactions';
  if (!opts.clean || !shopData) return { dataset: raw };
  opts.onProgress?.({ task: 'clean', done: 0, total: 1, unit: 'steps' });
  const { dataset, report } = cleanEvents(raw);
  opts.onProgress?.({ task: 'clean', done: 1, total: 1, unit: 'steps' });
  return { dataset, clean: report };
}

/** The protocol that fits a data set when none is named. */
export function defaultProtocol(ds: Dataset): ProtocolName {
  return ds.meta.kind === 'sessions' ? 'p2' : ds.meta.kind === 'movielens' ? 'p3' : 'p1';
}

/** "synthetic" label every output computed from generated data carries. */
export function dataLabel(ds: Dataset): string {
  return ds.meta.synthetic ? `${ds.meta.name} — SYNTHETIC DATA` : ds.meta.name;
}

/** What `evaluate` (and `evaluate --ablation`) need to prepare a protocol. */
export interface PrepareArgs {
  dataset: string;
  protocol?: string;
  seed: string;
  maxCases?: string;
  clean: boolean;
  onBadRow: 'fail' | 'skip';
}

/** Loads (unless given), cleans and prepares the protocol the args name. */
export async function prepareFromArgs(
  a: PrepareArgs,
  loaded: LoadedData | undefined,
  onProgress?: ProgressFn,
): Promise<LoadedData & { prepared: PreparedProtocol }> {
  const data =
    loaded ?? (await loadAndClean(a.dataset, { clean: a.clean, onBadRow: a.onBadRow, onProgress }));
  const protocol = a.protocol ?? defaultProtocol(data.dataset);
  const cfg: Record<string, unknown> = protocol === 'p2' ? {} : { seed: Number(a.seed) };
  if (a.maxCases && protocol !== 'p2') cfg.maxCases = Number(a.maxCases);
  return { ...data, prepared: prepareProtocol(protocol, data.dataset, cfg) };
}

/**
 * Where the main job keeps its data: the real RetailRocket files (`<dataDir>/raw/retailrocket`,
 * used when `events.csv` is there) or the generated synthetic set of a scale and seed.
 */
export function mainJobData(dataDir: string, scale = 'small', seed: string | number = 42) {
  const real = join(dataDir, 'raw', 'retailrocket');
  const synthetic = join(dataDir, 'synthetic', `${scale}-seed${seed}`);
  return {
    real,
    synthetic,
    hasReal: existsSync(join(real, 'events.csv')),
    hasSynthetic: existsSync(join(synthetic, 'synthetic.json')),
  };
}
