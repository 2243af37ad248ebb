/**
 * Section renderers of the report, one per view of a run record: model comparison, metrics per
 * group (funnel stage, warm/cold, session prefix), per target event type, coverage vs accuracy.
 * Every chart title says whether the data are SYNTHETIC; every table names its baseline.
 */
import { barChart, type BarSeries } from './charts/bar-chart.js';
import { scatterChart } from './charts/scatter-chart.js';
import { escapeXml, formatPercent } from './charts/svg.js';
import { table, type Cell } from './html.js';
import { comparisonOf, headlineMetrics, isOurs, type ReportRecord } from './record.js';

type ModelEntry = ReportRecord['models'][number];

/** Suffix of every chart title: the data's nature, always visible. */
export function dataTag(r: ReportRecord): string {
  return r.synthetic ? ' — SYNTHETIC data' : ` — real data (${r.dataset.name})`;
}

/** Models drawn in multi-series charts: the baseline, ours, then the best others, at most `max`. */
export function chartModels(r: ReportRecord, metric: string, max = 6): ModelEntry[] {
  const keep = new Set<string>([
    r.models[0].model,
    ...r.models.filter((m) => isOurs(m.model)).map((m) => m.model),
  ]);
  const rest = r.models
    .filter((m) => !keep.has(m.model))
    .sort((a, b) => (b.result.mean[metric] ?? 0) - (a.result.mean[metric] ?? 0));
  for (const m of rest) if (keep.size < max) keep.add(m.model);
  return r.models.filter((m) => keep.has(m.model));
}

function rowClass(models: readonly ModelEntry[], baseline: string): (i: number) => string {
  return (i) => (models[i].model === baseline ? 'baseline' : isOurs(models[i].model) ? 'ours' : '');
}

const pct = (v: number | undefined): string => (v === undefined ? '' : formatPercent(v));

function pp(v: number): string {
  return `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(2)}`;
}

/** Bar chart of NDCG / HR per model with CI whiskers and markers from the stored comparison, and the full table. */
export function comparisonSection(r: ReportRecord): string {
  const { ndcg, hr, mrr } = headlineMetrics(r);
  const cmp = comparisonOf(r);
  const baseline = cmp[0]?.baseline ?? r.models[0].model;
  const series: BarSeries[] = [ndcg, hr].map((metric) => {
    const rows = r.models.map((m) => cmp.find((c) => c.model === m.model && c.metric === metric));
    return {
      name: metric.toUpperCase(),
      values: r.models.map((m) => m.result.mean[metric] ?? null),
      low: rows.map((c) => (c ? Math.max(0, c.baselineMean + c.ciLow) : null)),
      high: rows.map((c) => (c ? c.baselineMean + c.ciHigh : null)),
      markers: rows.map((c) => c?.marker ?? ''),
    };
  });
  const chart = barChart({
    title: `${ndcg.toUpperCase()} and ${hr.toUpperCase()} per model${dataTag(r)}`,
    categories: r.models.map((m) => m.model),
    series,
    format: formatPercent,
    yLabel: 'mean over cases',
  });
  const rows = r.models.map((m): Cell[] => {
    const c = cmp.find((x) => x.model === m.model && x.metric === ndcg);
    return [
      m.model + (m.model === baseline ? ' (baseline)' : ''),
      pct(m.result.mean[ndcg]),
      pct(m.result.mean[hr]),
      pct(m.result.mean[mrr]),
      pct(m.result.lists.coverage),
      c ? `${pp(c.diff)} [${pp(c.ciLow)}, ${pp(c.ciHigh)}]` : '—',
      c ? `${c.pHolm < 1e-4 ? c.pHolm.toExponential(1) : c.pHolm.toFixed(4)}${c.marker}` : '—',
      c && Number.isFinite(c.effectSize) ? c.effectSize.toFixed(3) : '—',
    ];
  });
  const caption = `Baseline: ${baseline}. Δ = paired difference in percentage points with its 95% bootstrap CI; p: paired t-test, Holm-corrected across models (* <.05 ** <.01 *** <.001); d_z: Cohen's d for paired samples. Chart whiskers: the baseline mean plus the CI of the difference (cut at 0).`;
  const tableHtml = table(
    [
      'model',
      ndcg.toUpperCase(),
      hr.toUpperCase(),
      mrr.toUpperCase(),
      `coverage@${r.models[0].result.lists.k}`,
      `Δ${ndcg.toUpperCase()} vs ${baseline} (pp, 95% CI)`,
      'p (Holm)',
      'd_z',
    ],
    rows,
    { caption, rowClass: rowClass(r.models, baseline) },
  );
  return `<h3>Model comparison</h3>${chart}${tableHtml}`;
}

/** Groups with fewer cases are flagged as too small to compare models. */
export const SMALL_GROUP = 30;

const GROUP_ORDER: Record<string, readonly string[]> = {
  stage: ['cold', 'browsing', 'intent', 'converted'],
  user: ['warm', 'cold'],
  prefix: ['1', '2', '3-5', '6-10', '>10'],
};
const GROUP_TITLE: Record<string, string> = {
  stage: 'funnel stage',
  user: 'warm vs cold users',
  prefix: 'session prefix length',
};

function orderedValues(key: string, values: string[]): string[] {
  const order = GROUP_ORDER[key] ?? [];
  return [...values].sort(
    (a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b),
  );
}

/** One chart + table per group key (funnel stage, warm/cold, session prefix). */
export function groupSections(r: ReportRecord): string {
  const { ndcg } = headlineMetrics(r);
  const first = r.models[0].result.groups;
  const keys = [...new Set(first.map((g) => g.key))];
  const baseline = comparisonOf(r)[0]?.baseline ?? r.models[0].model;
  return keys
    .map((key) => {
      const values = orderedValues(
        key,
        first.filter((g) => g.key === key).map((g) => g.value),
      );
      const n = (v: string): number => first.find((g) => g.key === key && g.value === v)?.nCases ?? 0;
      const small = values.filter((v) => n(v) < SMALL_GROUP);
      const mark = (v: string): string => (n(v) < SMALL_GROUP ? '†' : '');
      const at = (m: ModelEntry, v: string): number | undefined =>
        m.result.groups.find((g) => g.key === key && g.value === v)?.mean[ndcg];
      const shown = chartModels(r, ndcg);
      const chart = barChart({
        title: `${ndcg.toUpperCase()} by ${GROUP_TITLE[key] ?? key}${dataTag(r)}`,
        categories: values.map((v) => `${v} (${n(v).toLocaleString('en-US')})${mark(v)}`),
        series: shown.map((m) => ({ name: m.model, values: values.map((v) => at(m, v) ?? null) })),
        format: formatPercent,
        valueLabels: shown.length <= 4,
      });
      const rows = r.models.map((m): Cell[] => [
        m.model + (m.model === baseline ? ' (baseline)' : ''),
        ...values.map((v) => pct(at(m, v))),
      ]);
      const smallNote = small.length
        ? ` † fewer than ${SMALL_GROUP} cases: differences there are noise, not evidence.`
        : '';
      const tbl = table(
        ['model', ...values.map((v) => `${key}=${v} (${n(v).toLocaleString('en-US')})${mark(v)}`)],
        rows,
        {
          caption: `${ndcg.toUpperCase()} per ${GROUP_TITLE[key] ?? key}; number of cases in brackets; baseline: ${baseline}${shown.length < r.models.length ? `; the chart shows ${shown.length} of ${r.models.length} models (baseline, ours, best others)` : ''}.${smallNote}`,
          rowClass: rowClass(r.models, baseline),
        },
      );
      return `<h3>By ${escapeXml(GROUP_TITLE[key] ?? key)}</h3>${chart}${tbl}`;
    })
    .join('');
}

/** Metrics per target event type (all targets, then each breakdown such as `target=transaction`). */
export function targetSection(r: ReportRecord): string {
  const names = Object.keys(r.models[0].breakdowns ?? {});
  if (names.length === 0) return '';
  const { ndcg, hr } = headlineMetrics(r);
  const baseline = comparisonOf(r)[0]?.baseline ?? r.models[0].model;
  const cats = ['all targets', ...names];
  const value = (m: ModelEntry, c: string, metric: string): number | undefined =>
    c === 'all targets' ? m.result.mean[metric] : m.breakdowns[c]?.mean[metric];
  const count = (c: string): number =>
    c === 'all targets' ? r.models[0].result.nCases : r.models[0].breakdowns[c].nCases;
  const shown = chartModels(r, ndcg);
  const chart = barChart({
    title: `${ndcg.toUpperCase()} by target event type${dataTag(r)}`,
    categories: cats.map((c) => `${c} (${count(c).toLocaleString('en-US')})`),
    series: shown.map((m) => ({ name: m.model, values: cats.map((c) => value(m, c, ndcg) ?? null) })),
    format: formatPercent,
    valueLabels: shown.length <= 4,
  });
  const rows = r.models.map((m): Cell[] => [
    m.model + (m.model === baseline ? ' (baseline)' : ''),
    ...cats.flatMap((c) => [pct(value(m, c, ndcg)), pct(value(m, c, hr))]),
  ]);
  const tbl = table(
    ['model', ...cats.flatMap((c) => [`${c} ${ndcg.toUpperCase()}`, `${c} ${hr.toUpperCase()}`])],
    rows,
    {
      caption: `Targets restricted to one event type (cases in brackets above); baseline: ${baseline}.`,
      rowClass: rowClass(r.models, baseline),
    },
  );
  return `<h3>By target event type</h3>${chart}${tbl}`;
}

/** Catalogue coverage of the top-K lists against NDCG, one point per model. */
export function coverageSection(r: ReportRecord): string {
  const { ndcg } = headlineMetrics(r);
  const k = r.models[0].result.lists.k;
  const chart = scatterChart({
    title: `Coverage vs accuracy${dataTag(r)}`,
    xLabel: `catalogue coverage@${k}`,
    yLabel: ndcg.toUpperCase(),
    formatX: formatPercent,
    formatY: formatPercent,
    points: r.models.map((m) => ({
      label: m.model,
      x: m.result.lists.coverage,
      y: m.result.mean[ndcg],
      highlight: isOurs(m.model),
    })),
  });
  const rows = r.models.map((m): Cell[] => [
    m.model,
    pct(m.result.lists.coverage),
    m.result.lists.diversity.toFixed(3),
    m.result.lists.novelty.toFixed(2),
    m.result.lists.averagePopularity.toFixed(1),
  ]);
  const tbl = table(
    ['model', `coverage@${k}`, `ILD@${k} (category)`, `novelty@${k} (bits)`, `avg popularity@${k}`],
    rows,
    {
      caption: `Beyond-accuracy metrics of the top-${k} lists; baseline: ${r.models[0].model}.`,
      rowClass: rowClass(r.models, r.models[0].model),
    },
  );
  return `<h3>Coverage vs accuracy</h3>${chart}${tbl}`;
}
