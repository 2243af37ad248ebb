/**
 * `funnelrec evaluate --ablation`: trains the hybrid's ablation variants on one protocol split
 * (`runExperiment`, artifacts reused), compares them with the full hybrid, verifies on real queries
 * that explanations are post-hoc, and stores everything in one run record (`record.ablation`,
 * `record.funnel`) that `funnelrec report` reads.
 */
import { join } from 'node:path';
import { RecError } from '../../core/errors.js';
import type { ProgressFn } from '../../core/progress.js';
import { Rng } from '../../core/rng.js';
import {
  checkPosthoc,
  runAblation,
  type AblationResult,
  type ExplainingScorer,
  type PosthocCheck,
} from '../../evaluation/ablation.js';
import { compareModels } from '../../evaluation/compare.js';
import { modelFromArtifact } from '../../models/registry.js';
import { withReportData } from '../../report/record.js';
import { artifactExists, loadArtifact } from '../../training/artifact-store.js';
import { runExperiment, type ExperimentResult } from '../../training/experiment.js';
import { saveRunRecord, summarizeExperiment } from '../../training/run-store.js';
import { fixed, formatTable, pct, progressReporter } from '../output.js';
import { dataLabel, prepareFromArgs, type LoadedData } from '../pipeline.js';
import { parseKs, type EvaluateArgs } from './evaluate.js';

export interface AblationArgs extends EvaluateArgs {
  /** Base hybrid config override as JSON (e.g. '{"components":[...]}'); default registry defaults. */
  hybridConfig?: string;
}

/** Queries used to verify that explaining leaves the scores unchanged. */
const POSTHOC_QUERIES = 32;

function parseHybridConfig(s: string | undefined): Record<string, unknown> {
  if (!s) return {};
  try {
    const v: unknown = JSON.parse(s);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new RecError(
    'USAGE',
    `--hybrid-config takes a JSON object, e.g. '{"candidatesPerComponent":50}', got ${s}`,
  );
}

/** Runs the ablation the args describe, saves the run record and returns it with a text table. */
export async function ablationCommand(
  a: AblationArgs,
  loaded?: LoadedData,
): Promise<{ ablation: AblationResult; text: string; record: unknown; runFile: string }> {
  const progress = progressReporter(a.progress);
  try {
    return await ablationRun(a, loaded, progress.onProgress);
  } finally {
    progress.stop();
  }
}

async function ablationRun(
  a: AblationArgs,
  loaded: LoadedData | undefined,
  onProgress: ProgressFn,
): Promise<{ ablation: AblationResult; text: string; record: unknown; runFile: string }> {
  const { dataset, clean, prepared } = await prepareFromArgs(a, loaded, onProgress);
  const seed = Number(a.seed);
  let experiment: ExperimentResult | undefined;
  const { ablation, variants } = await runAblation({
    base: parseHybridConfig(a.hybridConfig),
    rng: new Rng(seed),
    run: async (specs) => {
      experiment = await runExperiment({
        prepared,
        models: specs,
        ks: parseKs(a.k),
        seed,
        stage: a.stage,
        artifactsDir: a.artifacts,
        onProgress,
      });
      return experiment.runs.map((r) => r.result);
    },
    posthocCheck: async (): Promise<PosthocCheck> => {
      const dir = join(a.artifacts, experiment!.runs[0].artifactKey);
      if (!artifactExists(dir))
        throw new RecError(
          'USAGE',
          `Cannot verify that explanations are post-hoc: no artifact of the full hybrid in ${dir} (pass --artifacts DIR)`,
        );
      const model = modelFromArtifact((await loadArtifact(dir)).artifact) as unknown as ExplainingScorer;
      if (typeof model.explain !== 'function')
        throw new RecError(
          'USAGE',
          `Model ${model.name} has no explain(): "without explanations" does not apply`,
        );
      const stage = a.stage === 'validation' ? prepared.validation : prepared.test;
      return checkPosthoc(
        model,
        stage.cases.slice(0, POSTHOC_QUERIES).map((c) => c.query),
      );
    },
  });
  const measured = variants.filter((v) => v.kind === 'measured');
  const e = experiment!;
  const runs = e.runs.map((r, i) => ({
    ...r,
    model: `hybrid:${measured[i].id}`,
    result: { ...r.result, model: `hybrid:${measured[i].id}` },
  }));
  const renamed: ExperimentResult = { ...e, runs };
  const comparison =
    runs.length < 2
      ? []
      : compareModels(
          runs.map((r) => r.result),
          { metrics: runs[0].result.metricKeys.slice(), rng: new Rng(seed) },
        );
  const record = withReportData(summarizeExperiment(renamed, comparison, clean), { dataset, ablation });
  const runFile = await saveRunRecord(a.runs, record);
  return {
    ablation,
    text: formatAblation(ablation, dataLabel(dataset), prepared.description),
    record,
    runFile,
  };
}

/** The ablation as a text table for the terminal. */
export function formatAblation(ab: AblationResult, data: string, protocol: string): string {
  const m = ab.metric;
  const rows = ab.rows.map((r) => {
    const c = r.metrics[m];
    const p =
      c.pHolm === null ? '' : `${c.pHolm < 1e-4 ? c.pHolm.toExponential(1) : c.pHolm.toFixed(4)}${c.marker}`;
    return [
      r.label,
      c.value === null ? '' : pct(c.value),
      c.relativeDiff === null ? '' : `${c.relativeDiff >= 0 ? '+' : ''}${pct(c.relativeDiff)}`,
      c.ciLow === null ? '' : `[${(c.ciLow * 100).toFixed(2)}, ${(c.ciHigh! * 100).toFixed(2)}]`,
      p,
      c.effectSize === null ? '' : fixed(c.effectSize, 3),
      r.kind === 'baseline' ? 'baseline' : (r.note ?? ''),
    ];
  });
  return [
    `Data: ${data}`,
    `Protocol: ${protocol}`,
    '',
    formatTable(['variant', m.toUpperCase(), 'relative', 'Δ 95% CI (pp)', 'p (Holm)', 'd_z', 'note'], rows),
    `${ab.nCases} cases; ${ab.method}`,
  ].join('\n');
}
