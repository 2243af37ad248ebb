/**
 * The local run store: one JSON record per experiment under `runs/`, holding everything needed to
 * reproduce and report it — data set (real or synthetic, fingerprint), protocol and its config,
 * model configs, seed, code version, time, metrics overall / per group / per breakdown, list
 * metrics, training reports and the significance comparison. (MLflow export reads these records.)
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CleanReport } from '../data/processing/clean.js';
import type { EvalResult } from '../evaluation/evaluator.js';
import type { ExperimentResult } from './experiment.js';

export const RUN_RECORD_VERSION = 1;

function evalSummary(r: EvalResult) {
  return {
    nCases: r.nCases,
    nItems: r.nItems,
    mean: r.mean,
    groups: r.groups,
    lists: r.lists,
    casesFingerprint: r.casesFingerprint,
    elapsedMs: r.elapsedMs,
  };
}

export function summarizeExperiment(e: ExperimentResult, comparison: unknown, clean?: CleanReport) {
  const p = e.prepared;
  return {
    recordVersion: RUN_RECORD_VERSION,
    id: `${e.createdAt.replace(/[-:.]/g, '')}-${p.protocol}-${p.dataset.fingerprint.slice(0, 8)}`,
    createdAt: e.createdAt,
    codeVersion: e.codeVersion,
    seed: e.seed,
    stage: e.stage,
    dataset: { ...p.dataset, synthetic: p.dataset.synthetic },
    synthetic: p.dataset.synthetic,
    protocol: p.protocol,
    protocolConfig: p.config,
    description: p.description,
    counts: p.counts,
    clean,
    models: e.runs.map((r) => ({
      model: r.model,
      config: r.config,
      artifactKey: r.artifactKey,
      reusedArtifact: r.reused,
      train: r.train,
      ...(r.learned ? { learned: r.learned } : {}),
      result: evalSummary(r.result),
      breakdowns: Object.fromEntries(Object.entries(r.breakdowns).map(([k, v]) => [k, evalSummary(v)])),
    })),
    comparison,
  };
}
export type RunRecord = ReturnType<typeof summarizeExperiment>;

/** Writes the record atomically as `<dir>/<id>.json`; returns the path. */
export async function saveRunRecord(dir: string, record: RunRecord): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${record.id}.json`);
  await writeFile(`${path}.tmp`, JSON.stringify(record, null, 2));
  await rename(`${path}.tmp`, path);
  return path;
}

/** All records in `dir`, oldest first. */
export async function listRunRecords(dir: string): Promise<RunRecord[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(dir, n), 'utf8')) as RunRecord));
}
