/**
 * Runs an offline experiment: trains each named model on a protocol stage's training split (or
 * reuses an artifact trained on exactly that split with exactly that config), evaluates it with
 * full ranking, and compares every model with the first one using paired significance tests.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Logger, ProgressFn } from '../core/progress.js';
import { Rng } from '../core/rng.js';
import { evaluate, type EvalResult } from '../evaluation/evaluator.js';
import type { PreparedProtocol, ProtocolStage } from '../evaluation/protocols/index.js';
import { createModel, effectiveConfig, modelFromArtifact } from '../models/registry.js';
import { learnedOf, type Recommender } from '../models/types.js';
import { artifactExists, loadArtifact, saveArtifact } from './artifact-store.js';
import { codeVersion } from './code-version.js';
import { trainModel, type TrainReport } from './trainer.js';

export interface ModelSpec {
  /** Registry name. */
  name: string;
  config?: Record<string, unknown>;
  /** Name shown in results (defaults to `name`); lets one model appear with several configs. */
  label?: string;
}

export interface ExperimentOptions {
  prepared: PreparedProtocol;
  models: ModelSpec[];
  ks: number[];
  seed: number;
  /** Which stage to evaluate: `test` (default) or `validation` (model selection). */
  stage?: 'test' | 'validation';
  /** Directory of reusable artifacts; none = always train, store nothing. */
  artifactsDir?: string;
  onProgress?: ProgressFn;
  logger?: Logger;
  signal?: AbortSignal;
}

export interface ModelRun {
  model: string;
  config: unknown;
  artifactKey: string;
  reused: boolean;
  train?: TrainReport;
  /** What the model says it learned (e.g. the hybrid's per-stage weights), when it can. */
  learned?: Record<string, unknown>;
  result: EvalResult;
  breakdowns: Record<string, EvalResult>;
}

export interface ExperimentResult {
  createdAt: string;
  codeVersion: string;
  seed: number;
  stage: 'test' | 'validation';
  prepared: PreparedProtocol;
  runs: ModelRun[];
}

/** Key of an artifact trained on exactly this split with exactly this config and seed. */
export function artifactKey(model: string, config: unknown, trainFingerprint: string, seed: number): string {
  const h = createHash('sha256')
    .update(JSON.stringify({ model, config, trainFingerprint, seed }))
    .digest('hex');
  return `${model}-${h.slice(0, 16)}`;
}

async function obtainModel(
  spec: ModelSpec,
  stage: ProtocolStage,
  opts: ExperimentOptions,
): Promise<{ model: Recommender; config: unknown; key: string; reused: boolean; train?: TrainReport }> {
  const config = effectiveConfig(spec.name, spec.config ?? {});
  const key = artifactKey(spec.name, config, stage.train.data.fingerprint, opts.seed);
  const dir = opts.artifactsDir ? join(opts.artifactsDir, key) : undefined;
  if (dir && artifactExists(dir)) {
    const { artifact } = await loadArtifact(dir);
    opts.logger?.info({ model: spec.name, dir }, 'reusing artifact trained on this split');
    return { model: modelFromArtifact(artifact), config, key, reused: true };
  }
  const model = createModel(spec.name, config);
  const train = await trainModel(model, stage.train.data, {
    rng: new Rng(opts.seed),
    signal: opts.signal,
    onProgress: opts.onProgress,
    logger: opts.logger,
  });
  if (dir) {
    await saveArtifact(dir, model.toArtifact(), {
      createdAt: new Date().toISOString(),
      codeVersion: codeVersion(),
      dataFingerprint: stage.train.data.fingerprint,
      synthetic: stage.train.data.synthetic,
      seed: opts.seed,
    });
  }
  return { model, config, key, reused: false, train };
}

export async function runExperiment(opts: ExperimentOptions): Promise<ExperimentResult> {
  const stageName = opts.stage ?? 'test';
  const stage = stageName === 'test' ? opts.prepared.test : opts.prepared.validation;
  const evalOpts = {
    ks: opts.ks,
    itemPopularity: stage.train.itemCount,
    itemCategory: stage.train.data.itemCategory,
    signal: opts.signal,
  };
  const runs: ModelRun[] = [];
  for (const spec of opts.models) {
    const got = await obtainModel(spec, stage, opts);
    const label = spec.label ?? spec.name;
    const scorer = {
      name: label,
      nItems: got.model.nItems,
      scoreBatch: got.model.scoreBatch.bind(got.model),
    };
    const result = evaluate(scorer, stage.cases, {
      ...evalOpts,
      onProgress: (p) => opts.onProgress?.({ ...p, task: `evaluate ${label}` }),
    });
    const breakdowns: Record<string, EvalResult> = {};
    for (const [name, cases] of Object.entries(stage.breakdowns)) {
      breakdowns[name] = evaluate(scorer, cases, evalOpts);
    }
    runs.push({
      model: label,
      config: got.config,
      artifactKey: got.key,
      reused: got.reused,
      train: got.train,
      learned: learnedOf(got.model),
      result,
      breakdowns,
    });
  }
  return {
    createdAt: new Date().toISOString(),
    codeVersion: codeVersion(),
    seed: opts.seed,
    stage: stageName,
    prepared: opts.prepared,
    runs,
  };
}
