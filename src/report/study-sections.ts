/**
 * Report sections for the study-specific parts of a record: the ablation of the hybrid and the
 * conversion funnel of the data set.
 */
import { barChart } from './charts/bar-chart.js';
import { funnelChart } from './charts/funnel-chart.js';
import { formatPercent } from './charts/svg.js';
import { table, type Cell } from './html.js';
import { type ReportRecord } from './record.js';
import { dataTag } from './sections.js';

const fmtP = (p: number | null): string => (p === null ? '—' : p < 1e-4 ? p.toExponential(1) : p.toFixed(4));
const signed = (v: number | null, f: (x: number) => string): string =>
  v === null ? '—' : `${v > 0 ? '+' : ''}${f(v)}`;

/** Bars of the relative change of each variant against the full hybrid, and the full table. */
export function ablationSection(r: ReportRecord): string {
  const ab = r.ablation;
  if (!ab) return '';
  const metric = ab.metric;
  const M = metric.toUpperCase();
  const full = ab.rows[0].metrics[metric].value ?? NaN;
  const variants = ab.rows.filter((x) => x.kind !== 'baseline');
  const chart = barChart({
    title: `Ablation: relative change of ${M} vs the full hybrid${dataTag(r)}`,
    categories: variants.map((v) => (v.kind === 'skipped' ? `${v.label} (not\u00a0run)` : v.label)),
    series: [
      {
        name: `relative change of ${M}`,
        values: variants.map((v) => v.metrics[metric].relativeDiff),
        low: variants.map((v) => (v.metrics[metric].ciLow === null ? null : v.metrics[metric].ciLow! / full)),
        high: variants.map((v) =>
          v.metrics[metric].ciHigh === null ? null : v.metrics[metric].ciHigh! / full,
        ),
        markers: variants.map((v) => v.metrics[metric].marker),
      },
    ],
    format: formatPercent,
    yLabel: `Δ${M} / full`,
  });
  const rows = ab.rows.map((v): Cell[] => {
    const c = v.metrics[metric];
    return [
      v.label + (v.kind === 'baseline' ? ' (baseline)' : ''),
      c.value === null ? '—' : formatPercent(c.value),
      signed(c.diff, (x) => `${(x * 100).toFixed(2)} pp`),
      signed(c.relativeDiff, formatPercent),
      c.ciLow === null ? '—' : `[${(c.ciLow * 100).toFixed(2)}, ${(c.ciHigh! * 100).toFixed(2)}] pp`,
      `${fmtP(c.pHolm)}${c.marker}`,
      c.effectSize === null ? '—' : c.effectSize.toFixed(3),
      v.kind === 'baseline'
        ? 'reference'
        : (v.note ?? (v.kind === 'measured' ? 'retrained without this part' : '')),
    ];
  });
  const tbl = table(['variant', M, `Δ${M}`, 'relative', '95% CI of Δ', 'p (Holm)', 'd_z', 'note'], rows, {
    caption: `Baseline: the full hybrid, ${ab.nCases.toLocaleString('en-US')} cases. ${ab.method}.`,
    rowClass: (i) => (ab.rows[i].kind === 'baseline' ? 'baseline' : ''),
  });
  const stageNames = [...new Set(ab.rows.flatMap((x) => Object.keys(x.stages)))];
  const order = ['cold', 'browsing', 'intent', 'converted'];
  stageNames.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const stageTbl = stageNames.length
    ? table(
        ['variant', ...stageNames.map((s) => `stage=${s}`)],
        ab.rows
          .filter((x) => x.kind !== 'skipped')
          .map((x) => [
            x.label + (x.kind === 'baseline' ? ' (baseline)' : ''),
            ...stageNames.map((s) => (x.stages[s] === undefined ? '' : formatPercent(x.stages[s]))),
          ]),
        {
          caption: `${M} per funnel stage of each variant; baseline: the full hybrid.`,
          rowClass: (i) => (i === 0 ? 'baseline' : ''),
        },
      )
    : '';
  return `<h3>Ablation of the hybrid</h3>${chart}${tbl}${stageTbl}`;
}

/** The data set's view → addtocart → transaction funnel (events and visitors). */
export function funnelSection(r: ReportRecord): string {
  const f = r.funnel;
  if (!f) return '';
  const tag = f.synthetic ? ' — SYNTHETIC data' : dataTag(r);
  const chart = funnelChart({
    title: `Conversion funnel (events)${tag}`,
    steps: [
      { label: 'view', count: f.events.view },
      { label: 'addtocart', count: f.events.addtocart },
      { label: 'transaction', count: f.events.transaction },
    ],
  });
  const share = (n: number): string => formatPercent(f.visitors.all > 0 ? n / f.visitors.all : NaN);
  const rows: Cell[][] = [
    [
      'view',
      f.events.view.toLocaleString('en-US'),
      '—',
      f.visitors.view.toLocaleString('en-US'),
      share(f.visitors.view),
    ],
    [
      'addtocart',
      f.events.addtocart.toLocaleString('en-US'),
      formatPercent(f.rates.cartPerView),
      f.visitors.addtocart.toLocaleString('en-US'),
      share(f.visitors.addtocart),
    ],
    [
      'transaction',
      f.events.transaction.toLocaleString('en-US'),
      formatPercent(f.rates.transactionPerCart),
      f.visitors.transaction.toLocaleString('en-US'),
      share(f.visitors.transaction),
    ],
  ];
  const tbl = table(['step', 'events', 'events / previous step', 'visitors', 'share of visitors'], rows, {
    caption: `${f.source}. Reference (official RetailRocket): view→cart 2.6%, cart→purchase 32%.`,
  });
  return `<h3>Conversion funnel</h3>${chart}${tbl}`;
}

interface LearnedWeights {
  signals: string[];
  stageWeights: Record<string, number[]>;
  theta?: number[];
  inner?: { stageCases?: number[]; ownWeights?: boolean[] } | null;
}

function learnedWeightsOf(x: unknown): LearnedWeights | null {
  const l = x as Partial<LearnedWeights> | undefined;
  return l && Array.isArray(l.signals) && l.stageWeights && typeof l.stageWeights === 'object'
    ? (l as LearnedWeights)
    : null;
}

/** The fusion weights each hybrid learned (one row per funnel stage), when the record has them. */
export function learnedWeightsSection(r: ReportRecord): string {
  const parts: string[] = [];
  for (const m of r.models) {
    const l = learnedWeightsOf((m as { learned?: unknown }).learned);
    if (!l) continue;
    const stages = Object.keys(l.stageWeights);
    const rows = stages.map((stage, s): Cell[] => [
      stage,
      ...l.stageWeights[stage].map((w) => w.toFixed(3)),
      l.inner?.stageCases?.[s] ?? '—',
      l.inner?.ownWeights ? (l.inner.ownWeights[s] ? 'own row' : 'shared row') : '—',
    ]);
    parts.push(
      table(['stage', ...l.signals, 'inner cases', 'row'], rows, {
        caption: `${m.model}: fusion weights learned on the inner validation of the training data${l.theta ? `; session/history gate θ = (${l.theta.map((t) => t.toFixed(2)).join(', ')})` : ''}.`,
      }),
    );
  }
  return parts.length ? `<h3>Learned weights</h3>${parts.join('')}` : '';
}
