/**
 * Plain-language findings of one run record, for the top of its report section: who wins, whether
 * our hybrid beats the best single model (and where it does not), whether anything is significant
 * at all, and what the ablation says. Only what the record measured; significance is quoted only
 * where the record holds that exact paired comparison.
 */
import { formatPercent } from './charts/svg.js';
import { SMALL_GROUP } from './sections.js';
import { comparisonOf, headlineMetrics, isOurs, type ReportRecord } from './record.js';

export interface Finding {
  /** `loss` = where our model does not win (shown prominently), `warn` = a caveat. */
  readonly kind: 'win' | 'loss' | 'info' | 'warn';
  readonly text: string;
}

type ModelEntry = ReportRecord['models'][number];

function fmtP(p: number): string {
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}

function rel(a: number, b: number): string {
  if (b === 0) return a === 0 ? '±0%' : 'n/a';
  const r = (a - b) / b;
  return `${r >= 0 ? '+' : ''}${formatPercent(r)}`;
}

function best(
  models: readonly ModelEntry[],
  value: (m: ModelEntry) => number | undefined,
): ModelEntry | undefined {
  let top: ModelEntry | undefined;
  for (const m of models) {
    const v = value(m);
    if (v === undefined || !Number.isFinite(v)) continue;
    if (!top || v > (value(top) ?? -Infinity)) top = m;
  }
  return top;
}

/** Findings for a record, most important first. */
export function findingsOf(r: ReportRecord): Finding[] {
  const out: Finding[] = [];
  const { ndcg } = headlineMetrics(r);
  const M = ndcg.toUpperCase();
  const cmp = comparisonOf(r).filter((c) => c.metric === ndcg);
  const baseline = cmp[0]?.baseline ?? r.models[0]?.model;
  if (r.synthetic)
    out.push({
      kind: 'warn',
      text: 'SYNTHETIC data: these numbers show that the pipeline works and how models compare on generated data, not how they would do in a real shop.',
    });
  const top = best(r.models, (m) => m.result.mean[ndcg]);
  if (top)
    out.push({
      kind: 'info',
      text: `Best ${M}: ${top.model} (${formatPercent(top.result.mean[ndcg])}) over ${r.models[0].result.nCases.toLocaleString('en-US')} cases.`,
    });
  if (cmp.length > 0 && cmp.every((c) => !(c.pHolm < 0.05))) {
    out.push({
      kind: 'warn',
      text: `No model differs significantly from ${baseline} on ${M} (Holm-corrected p ≥ 0.05 for all): this data set is too small, or the models too alike, to rank them.`,
    });
  }
  const ours = r.models.filter((m) => isOurs(m.model));
  const singles = r.models.filter((m) => !isOurs(m.model));
  if (ours.length > 0 && singles.length > 0 && !r.ablation)
    out.push(...hybridFindings(r, ours, singles, ndcg));
  if (r.ablation) out.push(...ablationFindings(r));
  return out;
}

function hybridFindings(
  r: ReportRecord,
  ours: ModelEntry[],
  singles: ModelEntry[],
  metric: string,
): Finding[] {
  const out: Finding[] = [];
  const M = metric.toUpperCase();
  const cmp = comparisonOf(r).filter((c) => c.metric === metric);
  const bestSingle = best(singles, (m) => m.result.mean[metric])!;
  for (const h of ours) {
    const a = h.result.mean[metric];
    const b = bestSingle.result.mean[metric];
    const row = cmp.find((c) => c.model === h.model && c.baseline === bestSingle.model);
    const sig = row
      ? ` (paired t-test, Holm p = ${fmtP(row.pHolm)}${row.marker}, d_z = ${row.effectSize.toFixed(3)})`
      : ` (significance against ${bestSingle.model} is not in this record: its comparison baseline is ${cmp[0]?.baseline ?? 'missing'}; run evaluate with --models ${bestSingle.model},${h.model})`;
    if (a > b && row && row.pHolm < 0.05)
      out.push({
        kind: 'win',
        text: `${h.model} beats the best single model ${bestSingle.model} on ${M}: ${formatPercent(a)} vs ${formatPercent(b)} (${rel(a, b)})${sig}.`,
      });
    else if (a > b)
      out.push({
        kind: 'warn',
        text: `${h.model} is ahead of the best single model ${bestSingle.model} on ${M}, ${row ? 'but not significantly' : 'untested'}: ${formatPercent(a)} vs ${formatPercent(b)} (${rel(a, b)})${sig}${row ? ' — no evidence that it beats it' : ''}.`,
      });
    else
      out.push({
        kind: 'loss',
        text: `${h.model} does NOT beat the best single model ${bestSingle.model} on ${M}: ${formatPercent(a)} vs ${formatPercent(b)} (${rel(a, b)})${sig}.`,
      });
    for (const g of h.result.groups) {
      const mine = g.mean[metric];
      const rival = best(
        singles,
        (m) => m.result.groups.find((x) => x.key === g.key && x.value === g.value)?.mean[metric],
      );
      const theirs = rival?.result.groups.find((x) => x.key === g.key && x.value === g.value)?.mean[metric];
      const few = g.nCases < SMALL_GROUP ? ' — too few cases to tell' : '';
      if (rival && theirs !== undefined && theirs > mine)
        out.push({
          kind: 'loss',
          text: `${h.model} loses on ${g.key}=${g.value} (${g.nCases} cases): ${formatPercent(mine)} vs ${rival.model} ${formatPercent(theirs)}${few}.`,
        });
    }
    for (const [name, b2] of Object.entries(h.breakdowns)) {
      const mine = b2.mean[metric];
      const rival = best(singles, (m) => m.breakdowns[name]?.mean[metric]);
      const theirs = rival?.breakdowns[name]?.mean[metric];
      if (rival && theirs !== undefined && theirs > mine)
        out.push({
          kind: 'loss',
          text: `${h.model} loses on ${name} (${b2.nCases} cases): ${formatPercent(mine)} vs ${rival.model} ${formatPercent(theirs)}.`,
        });
    }
  }
  const dyn = ours.find((m) => m.model === 'hybrid');
  const stat = ours.find((m) => m.model === 'hybrid-static');
  if (dyn && stat) {
    const a = dyn.result.mean[metric];
    const b = stat.result.mean[metric];
    const row = cmp.find((c) => c.model === 'hybrid' && c.baseline === 'hybrid-static');
    const sig = row
      ? ` (Holm p = ${fmtP(row.pHolm)}${row.marker}, d_z = ${row.effectSize.toFixed(3)})`
      : ' (not tested pairwise in this record)';
    const kind = a <= b ? 'loss' : row && row.pHolm < 0.05 ? 'win' : 'warn';
    const verb = a <= b ? 'do NOT beat' : kind === 'win' ? 'beat' : 'are ahead of (not shown significant)';
    out.push({
      kind,
      text: `Per-stage weights ${verb} static weights on ${M}: ${formatPercent(a)} vs ${formatPercent(b)} (${rel(a, b)})${sig}.`,
    });
  }
  return out;
}

function ablationFindings(r: ReportRecord): Finding[] {
  const ab = r.ablation!;
  const out: Finding[] = [];
  const M = ab.metric.toUpperCase();
  for (const row of ab.rows) {
    const c = row.metrics[ab.metric];
    if (row.kind === 'skipped') out.push({ kind: 'info', text: `${row.label}: not run — ${row.note}.` });
    else if (row.kind === 'posthoc')
      out.push({
        kind: 'info',
        text: `${row.label}: ${row.note}; ${M} unchanged at ${formatPercent(c.value ?? NaN)}.`,
      });
    if (row.kind !== 'measured' || c.value === null || c.diff === null) continue;
    const change = `${c.relativeDiff !== null ? `${c.relativeDiff >= 0 ? '+' : ''}${formatPercent(c.relativeDiff)}` : 'n/a'}, Holm p = ${fmtP(c.pHolm ?? NaN)}${c.marker}`;
    if (c.diff > 0 && (c.pHolm ?? 1) < 0.05)
      out.push({
        kind: 'loss',
        text: `${row.label} is significantly BETTER than the full hybrid on ${M} (${change}): that part hurts here.`,
      });
    else if (c.diff >= 0 || (c.pHolm ?? 1) >= 0.05)
      out.push({
        kind: 'loss',
        text: `${row.label}: no significant loss against the full hybrid on ${M} (${change}): that part is not shown to help here.`,
      });
    else
      out.push({ kind: 'win', text: `${row.label} loses ${M} significantly (${change}): that part helps.` });
  }
  return out;
}
