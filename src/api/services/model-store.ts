/**
 * The serving model registry: every model published under `<root>/<model>/LATEST` (by
 * `trainAndPublish`), loaded into one immutable snapshot. A reload builds a new snapshot beside the
 * old one and swaps a single reference, so a request that already holds the old snapshot finishes
 * on it. An artifact that fails to load or fails its smoke test is rejected and the model keeps
 * serving its previous version.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RecError, isRecError } from '../../core/errors.js';
import { IdMap } from '../../core/ids.js';
import type { Logger } from '../../core/progress.js';
import { silentLogger } from '../../core/progress.js';
import type { ArtifactMeta } from '../../models/artifact.js';
import { modelFromArtifact } from '../../models/registry.js';
import type { Recommender } from '../../models/types.js';
import { loadArtifact } from '../../training/artifact-store.js';
import type { ServingRanker } from './candidates.js';
import { servingFor } from './serving.js';

/** One loaded model version with its id maps. */
export interface LoadedModel {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly model: Recommender;
  readonly items: IdMap;
  readonly users: IdMap;
  /** Raw category per item index when the artifact carries one (`itemCategory`), else undefined. */
  readonly itemCategory?: Int32Array;
  readonly meta: ArtifactMeta;
  readonly loadedAt: number;
  /** The model's sparse serving path when it has one (the hybrid); built at load. */
  readonly serving?: ServingRanker;
}

/** An immutable set of loaded models; replaced as a whole on reload. */
export interface ModelSnapshot {
  readonly models: ReadonlyMap<string, LoadedModel>;
  /** Monotonic snapshot number (1 = first load). */
  readonly generation: number;
}

export interface ReloadResult {
  loaded: { model: string; version: string }[];
  unchanged: { model: string; version: string }[];
  rejected: { model: string; version: string; error: string; kept?: string }[];
}

/** Reads `<dir>/items.txt` or `users.txt` (one id per line) into an IdMap. */
async function readIds(dir: string, file: string): Promise<IdMap> {
  const text = await readFile(join(dir, file), 'utf8').catch((e: unknown) => {
    throw new RecError(
      'ARTIFACT_INVALID',
      `Model artifact ${dir} has no ${file}; republish the model`,
      undefined,
      e,
    );
  });
  return IdMap.fromIds(text.length === 0 ? [] : text.split('\n'));
}

/**
 * Loads one published version and checks it: the item map matches the model's catalogue, and
 * scoring an empty query yields `nItems` finite-or--Infinity scores.
 */
export async function loadPublishedModel(root: string, name: string, version: string): Promise<LoadedModel> {
  const dir = join(root, name, version);
  const { artifact, meta } = await loadArtifact(dir);
  if (artifact.model !== name) {
    throw new RecError(
      'ARTIFACT_INVALID',
      `Artifact in ${dir} is model "${artifact.model}", expected "${name}"`,
    );
  }
  const model = modelFromArtifact(artifact);
  const [items, users] = await Promise.all([readIds(dir, 'items.txt'), readIds(dir, 'users.txt')]);
  if (model.nItems !== items.size || model.nItems === 0) {
    throw new RecError(
      'ARTIFACT_INVALID',
      `Artifact ${dir} scores ${model.nItems} items but items.txt lists ${items.size}; republish the model`,
    );
  }
  smokeTest(model, dir);
  const cat = artifact.arrays.itemCategory;
  return {
    name,
    version,
    dir,
    model,
    items,
    users,
    itemCategory: cat instanceof Int32Array && cat.length === items.size ? cat : undefined,
    meta,
    loadedAt: Date.now(),
    serving: servingFor(model),
  };
}

function smokeTest(model: Recommender, dir: string): void {
  const out = new Float32Array(model.nItems);
  const q = {
    user: -1,
    items: new Int32Array(0),
    events: new Uint8Array(0),
    sessionStart: 0,
    time: Date.now(),
  };
  model.scoreBatch([q], out);
  for (let i = 0; i < out.length; i++) {
    const s = out[i];
    if (s !== s || s === Infinity) {
      throw new RecError(
        'ARTIFACT_INVALID',
        `Model in ${dir} gives an invalid score (${s}) to item ${i}; retrain it`,
      );
    }
  }
}

/** Holds the current snapshot; `reload()` swaps it atomically. */
export class ModelStore {
  private snap: ModelSnapshot = { models: new Map(), generation: 0 };
  private reloading: Promise<ReloadResult> | undefined;
  private readonly listeners: ((snap: ModelSnapshot) => void)[] = [];

  constructor(
    readonly root: string,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** The current snapshot (grab it once per request). */
  get snapshot(): ModelSnapshot {
    return this.snap;
  }

  /** True once at least one model is loaded. */
  get ready(): boolean {
    return this.snap.models.size > 0;
  }

  /** Calls `fn` after every swap of the snapshot (metrics, cache keys). */
  onSwap(fn: (snap: ModelSnapshot) => void): void {
    this.listeners.push(fn);
  }

  private swap(models: Map<string, LoadedModel>): void {
    this.snap = { models, generation: this.snap.generation + 1 };
    for (const fn of this.listeners) fn(this.snap);
  }

  /** Adds models built in memory (tests, benchmarks); replaces the snapshot atomically. */
  install(models: readonly LoadedModel[]): void {
    const next = new Map(this.snap.models);
    for (const m of models) next.set(m.name, m);
    this.swap(next);
  }

  /**
   * Loads the LATEST version of every model under the root. Concurrent calls share one reload.
   * @throws RecError DATA_MISSING when the root does not exist.
   */
  reload(): Promise<ReloadResult> {
    this.reloading ??= this.doReload().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  private async doReload(): Promise<ReloadResult> {
    if (!existsSync(this.root)) {
      throw new RecError(
        'DATA_MISSING',
        `No published models in ${this.root}: run "funnelrec demo" or "funnelrec train" first`,
      );
    }
    const result: ReloadResult = { loaded: [], unchanged: [], rejected: [] };
    const old = this.snap.models;
    const next = new Map(old);
    const names = (await readdir(this.root, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    for (const name of names.sort()) {
      const version = (await readFile(join(this.root, name, 'LATEST'), 'utf8').catch(() => '')).trim();
      if (!version) continue;
      const prev = old.get(name);
      if (prev?.version === version) {
        result.unchanged.push({ model: name, version });
        continue;
      }
      try {
        next.set(name, await loadPublishedModel(this.root, name, version));
        result.loaded.push({ model: name, version });
      } catch (e) {
        const error = isRecError(e) || e instanceof Error ? e.message : String(e);
        result.rejected.push({ model: name, version, error, kept: prev?.version });
        this.logger.error(
          { model: name, version, err: error, kept: prev?.version },
          'model artifact rejected',
        );
      }
    }
    this.swap(next);
    this.logger.info({ loaded: result.loaded, rejected: result.rejected.length }, 'models reloaded');
    return result;
  }
}
