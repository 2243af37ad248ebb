/** Human-readable tables of an experiment: the comparison table and its breakdowns. */
import type { ComparisonRow } from '../evaluation/compare.js';
import type { ExperimentResult } from '../training/experiment.js';
import { fixed, formatTable, int, pct, type Cell } from './output.js';

function sigCell(rows: readonly ComparisonRow[], model: string, metric: string): Cell[] {
  const r = rows.find((x) => x.model === model && x.metric === metric);
  if (!r) return ['(baseline)', ''];
  const sign = r.diff >= 0 ? '+' : '';
  return [
    `${sign}${(r.diff * 100).toFixed(2)} [${(r.ciLow * 100).toFixed(2)}, ${(r.ciHigh * 100).toFixed(2)}]`,
    `${formatP(r.pHolm)}${r.marker}`,
  ];
}

/** A p-value for people: fixed above 1e-4, scientific below, and a bound where double precision underflows. */
export function formatP(p: number): string {
  if (p === 0) return '<1e-300';
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}

/** The main table: one row per model, significance of NDCG@k1 against the first model. */
export function formatExperiment(
  e: ExperimentResult,
  comparison: readonly ComparisonRow[],
  dataLabel: string,
): string {
  const ks = e.runs[0].result.ks;
  const k1 = ks[0];
  const kMax = ks[ks.length - 1];
  const base = e.runs[0].model;
  const p = e.prepared;
  const out: string[] = [];
  out.push(`Data: ${dataLabel}   fingerprint ${p.dataset.fingerprint}`);
  out.push(`Protocol: ${p.description}`);
  out.push(`Stage: ${e.stage}   seed ${e.seed}   code ${e.codeVersion}`);
  out.push('');
  const headers = [
    'model',
    `P@${k1}`,
    `R@${k1}`,
    `NDCG@${k1}`,
    `MRR@${kMax}`,
    `HR@${kMax}`,
    'Coverage',
    `ΔNDCG@${k1} vs ${base} (pp, 95% CI)`,
    'p (Holm)',
  ];
  const rows = e.runs.map((r) => {
    const m = r.result.mean;
    return [
      r.model,
      pct(m[`precision@${k1}`]),
      pct(m[`recall@${k1}`]),
      pct(m[`ndcg@${k1}`]),
      pct(m[`mrr@${kMax}`]),
      pct(m[`hr@${kMax}`]),
      pct(r.result.lists.coverage),
      ...sigCell(comparison, r.model, `ndcg@${k1}`),
    ];
  });
  out.push(formatTable(headers, rows));
  out.push(
    `${int(e.runs[0].result.nCases)} cases; full ranking over ${int(e.runs[0].result.nItems)} items; conservative ties; paired t-test, Holm-corrected across models (* p<.05 ** p<.01 *** p<.001)`,
  );
  out.push('');
  out.push(formatBeyondAccuracy(e));
  const groups = formatGroups(e, `ndcg@${k1}`);
  if (groups) out.push('', groups);
  const byEvent = formatBreakdowns(e, `ndcg@${k1}`, `hr@${kMax}`);
  if (byEvent) out.push('', byEvent);
  return out.join('\n');
}

function formatBeyondAccuracy(e: ExperimentResult): string {
  const k = e.runs[0].result.lists.k;
  return formatTable(
    [
      'model',
      `coverage@${k}`,
      `ILD@${k} (category)`,
      `novelty@${k} (bits)`,
      `avg popularity@${k}`,
      'train s',
      'eval s',
    ],
    e.runs.map((r) => [
      r.model,
      pct(r.result.lists.coverage),
      fixed(r.result.lists.diversity, 3),
      fixed(r.result.lists.novelty, 2),
      fixed(r.result.lists.averagePopularity, 1),
      r.reused ? 'reused' : fixed(r.train?.seconds, 2),
      fixed(r.result.elapsedMs / 1000, 2),
    ]),
  );
}

function formatGroups(e: ExperimentResult, metric: string): string | undefined {
  const first = e.runs[0].result.groups;
  if (first.length === 0) return undefined;
  const headers = ['model', ...first.map((g) => `${g.key}=${g.value} (${int(g.nCases)})`)];
  const rows = e.runs.map((r) => [
    r.model,
    ...first.map((g) =>
      pct(r.result.groups.find((x) => x.key === g.key && x.value === g.value)?.mean[metric]),
    ),
  ]);
  return `${metric.toUpperCase()} by group\n${formatTable(headers, rows)}`;
}

function formatBreakdowns(e: ExperimentResult, m1: string, m2: string): string | undefined {
  const names = Object.keys(e.runs[0].breakdowns);
  if (names.length === 0) return undefined;
  const headers = [
    'model',
    ...names.flatMap((n) => [`${n} ${m1.toUpperCase()}`, `${n} ${m2.toUpperCase()}`]),
  ];
  const rows = e.runs.map((r) => [
    r.model,
    ...names.flatMap((n) => [pct(r.breakdowns[n]?.mean[m1]), pct(r.breakdowns[n]?.mean[m2])]),
  ]);
  const counts = names.map((n) => `${n}: ${int(e.runs[0].breakdowns[n].nCases)} users`).join(', ');
  return `By target event type (targets restricted to that event; ${counts})\n${formatTable(headers, rows)}`;
}
