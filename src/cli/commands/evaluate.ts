import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { RecError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { compareModels } from '../../evaluation/compare.js';
import { runExperiment, type ExperimentResult, type ModelSpec } from '../../training/experiment.js';
import { saveRunRecord, summarizeExperiment } from '../../training/run-store.js';
import { dataLabel, prepareFromArgs, type LoadedData } from '../pipeline.js';
import { withReportData } from '../../report/record.js';
import { ablationCommand } from './ablation.js';
import { printJson, progressReporter } from '../output.js';
import { formatExperiment } from '../format-experiment.js';
import { listModels } from '../../models/registry.js';

export interface EvaluateArgs {
  dataset: string;
  protocol?: string;
  models: string;
  k: string;
  seed: string;
  stage: 'test' | 'validation';
  json?: string | boolean;
  artifacts: string;
  runs: string;
  clean: boolean;
  maxCases?: string;
  onBadRow: 'fail' | 'skip';
  progress: boolean;
  ablation?: boolean;
  hybridConfig?: string;
  /** Extra configured models, each `label=name:{json config}` (repeatable `--variant`). */
  variant?: string[];
}

export function parseList(s: string, what: string): string[] {
  const out = s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (out.length === 0) throw new RecError('USAGE', `--${what} needs at least one value`);
  return out;
}

export function parseKs(s: string): number[] {
  const ks = parseList(s, 'k').map(Number);
  for (const k of ks)
    if (!Number.isInteger(k) || k <= 0)
      throw new RecError('USAGE', `--k takes positive integers separated by commas, got "${s}"`);
  return ks;
}

/**
 * Parses `--variant label=name:{json}` (a registry model under its own label with a config, e.g.
 * `sr=markov:{"steps":10}`); the config is validated later by the model's schema.
 */
export function parseVariant(s: string): ModelSpec {
  const m = /^([\w.+-]+)=([\w-]+):(\{.*\})$/s.exec(s.trim());
  if (!m)
    throw new RecError(
      'USAGE',
      `--variant takes label=model:{json config}, e.g. sr=markov:{"steps":10}; got "${s}"`,
    );
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(m[3]) as Record<string, unknown>;
  } catch (e) {
    throw new RecError(
      'USAGE',
      `--variant "${m[1]}": the config is not valid JSON (${(e as Error).message})`,
    );
  }
  return { label: m[1], name: m[2], config };
}

/** Runs the evaluation the `evaluate` command describes and returns everything it computed. */
export async function evaluateCommand(
  a: EvaluateArgs,
  loaded?: LoadedData,
): Promise<{ experiment: ExperimentResult; text: string; record: unknown; runFile: string }> {
  const progress = progressReporter(a.progress);
  try {
    const { dataset, clean, prepared } = await prepareFromArgs(a, loaded, progress.onProgress);
    const names = a.models === 'all' ? listModels().map((m) => m.name) : parseList(a.models, 'models');
    const models: ModelSpec[] = [...names.map((name) => ({ name })), ...(a.variant ?? []).map(parseVariant)];
    const ks = parseKs(a.k);
    const experiment = await runExperiment({
      prepared,
      models,
      ks,
      seed: Number(a.seed),
      stage: a.stage,
      artifactsDir: a.artifacts,
      onProgress: progress.onProgress,
    });
    progress.stop();
    const comparison =
      experiment.runs.length < 2
        ? []
        : compareModels(
            experiment.runs.map((r) => r.result),
            { metrics: experiment.runs[0].result.metricKeys.slice(), rng: new Rng(Number(a.seed)) },
          );
    const record = withReportData(summarizeExperiment(experiment, comparison, clean), { dataset });
    const runFile = await saveRunRecord(a.runs, record);
    const text = formatExperiment(experiment, comparison, dataLabel(dataset));
    return { experiment, text, record, runFile };
  } finally {
    progress.stop();
  }
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description(
      'Train the named models on a protocol split and compare them with full-ranking metrics and paired significance tests',
    )
    .requiredOption(
      '-d, --dataset <spec>',
      'data set as KIND:PATH (retailrocket:DIR, synthetic:DIR, sessions:DIR, movielens:DIR, interactions:FILE)',
    )
    .option(
      '-p, --protocol <name>',
      'p1 (user-level temporal), p2 (session next-item), p3 (MovieLens temporal); default from the data set kind',
    )
    .option(
      '-m, --models <list>',
      'comma-separated registry names, the first is the baseline of the significance columns; "all" for every model',
      'popular,popular-decay,popular-category,random',
    )
    .option('-k, --k <list>', 'cut-offs', '10,20')
    .option('--seed <n>', 'random seed', '42')
    .option('--stage <stage>', 'test, or validation (for model selection)', 'test')
    .option('--max-cases <n>', 'evaluate a seeded random sample of at most n users (P1/P3)')
    .option('--json [file]', 'write the full result as JSON to a file, or to stdout without a file')
    .option('--artifacts <dir>', 'where trained artifacts are stored and reused', 'artifacts/eval')
    .option('--runs <dir>', 'where run records are written', 'runs')
    .option('--no-clean', 'skip cleaning (duplicates, impossible rows, bots)')
    .option('--on-bad-row <policy>', 'fail or skip malformed input rows', 'fail')
    .option('--no-progress', 'no progress bars')
    .option(
      '--ablation',
      'ablation study of the hybrid (full, without ALS / session models / Item2Vec, static weights, without explanations) instead of --models',
    )
    .option('--hybrid-config <json>', 'base hybrid config override for --ablation, as a JSON object')
    .option(
      '--variant <label=model:json>',
      'also evaluate a registry model with a config under its own label, e.g. sr=markov:{"steps":10} (repeatable)',
      (v: string, acc: string[] = []) => [...acc, v],
    )
    .action(async (opts: EvaluateArgs) => {
      if (opts.stage !== 'test' && opts.stage !== 'validation') {
        throw new RecError('USAGE', `--stage must be test or validation, got "${opts.stage}"`);
      }
      const { text, record, runFile } = opts.ablation
        ? await ablationCommand(opts)
        : await evaluateCommand(opts);
      if (opts.json === true) printJson(record);
      else {
        process.stdout.write(`${text}\nrun record: ${runFile}\n`);
        if (typeof opts.json === 'string') await writeFile(opts.json, JSON.stringify(record, null, 2));
      }
    });
}
