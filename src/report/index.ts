/**
 * The results report: stored run records → one self-contained HTML page (inline CSS and SVG, no
 * scripts, no external URLs) with, per experiment, plain-language findings (including where our
 * model does not win), the model comparison with CI whiskers, metrics per funnel stage / user group
 * / session prefix, per target event type, the ablation, the conversion funnel and coverage vs
 * accuracy. Pure: the CLI reads the records and writes the file.
 */
import { escapeXml } from './charts/svg.js';
import { findingsOf } from './findings.js';
import { page, table } from './html.js';
import { selectRecords, type ReportRecord } from './record.js';
import { comparisonSection, coverageSection, groupSections, targetSection } from './sections.js';
import { ablationSection, funnelSection, learnedWeightsSection } from './study-sections.js';

export {
  funnelOfDataset,
  withReportData,
  selectRecords,
  type FunnelRecord,
  type ReportRecord,
} from './record.js';
export { findingsOf, type Finding } from './findings.js';

export interface ReportOptions {
  /** Time printed in the header (ISO); default now. */
  generatedAt?: string;
  /** Every record instead of the newest per (protocol, data set, models); default false. */
  all?: boolean;
  /** Where the records came from (printed). */
  source?: string;
}

function anchor(r: ReportRecord): string {
  return `run-${r.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function heading(r: ReportRecord): string {
  const badge = r.synthetic
    ? '<span class="badge synthetic">SYNTHETIC</span>'
    : '<span class="badge real">REAL DATA</span>';
  const kind = r.ablation ? 'ablation' : r.stage === 'validation' ? 'validation' : 'evaluation';
  return `<h2 id="${anchor(r)}">${escapeXml(`${r.protocol.toUpperCase()} ${kind} · ${r.dataset.name}`)}${badge}</h2>`;
}

function meta(r: ReportRecord): string {
  const counts = Object.entries(r.counts ?? {})
    .map(([k, v]) => `${k} ${Number(v).toLocaleString('en-US')}`)
    .join(' · ');
  return `<p class="meta">${escapeXml(r.description)}<br>${escapeXml(counts)}<br>run ${escapeXml(r.id)} · ${escapeXml(r.createdAt)} · seed ${r.seed} · code ${escapeXml(r.codeVersion)} · data fingerprint ${escapeXml(r.dataset.fingerprint)}</p>`;
}

function findingsList(r: ReportRecord): string {
  const items = findingsOf(r).map((f) => `<li class="${f.kind}">${escapeXml(f.text)}</li>`);
  return `<h3>Findings</h3><ul class="findings">${items.join('')}</ul>`;
}

/** One experiment's section. */
export function experimentSection(r: ReportRecord): string {
  const missing = !r.funnel
    ? '<p class="note">The conversion funnel is not stored in this record (session-only or view-only data, or a record written before funnels were stored).</p>'
    : '';
  return `<section class="experiment">${heading(r)}${meta(r)}${findingsList(r)}${comparisonSection(r)}${groupSections(r)}${targetSection(r)}${learnedWeightsSection(r)}${ablationSection(r)}${funnelSection(r)}${missing}${coverageSection(r)}</section>`;
}

/** The whole report page for `records` (selected per {@link ReportOptions.all}). */
export function buildReport(records: readonly ReportRecord[], opts: ReportOptions = {}): string {
  const shown = selectRecords(
    records.filter((r) => r.models?.length > 0),
    opts.all,
  );
  const generated = opts.generatedAt ?? new Date().toISOString();
  const anySynthetic = shown.some((r) => r.synthetic);
  const toc = table(
    ['experiment', 'data', 'protocol', 'models', 'cases', 'created'],
    shown.map((r) => [
      {
        html: `<a href="#${anchor(r)}">${escapeXml(`${r.protocol.toUpperCase()} ${r.ablation ? 'ablation' : r.stage}`)}</a>`,
      },
      `${r.dataset.name}${r.synthetic ? ' (SYNTHETIC)' : ''}`,
      r.protocol.toUpperCase(),
      r.models.map((m) => m.model).join(', '),
      r.models[0].result.nCases.toLocaleString('en-US'),
      r.createdAt,
    ]),
    {
      caption: `${shown.length} of ${records.length} stored run records${opts.all ? '' : ' (the newest per protocol, data set and model list)'}${opts.source ? ` from ${opts.source}` : ''}.`,
    },
  );
  const intro = `<h1>funnelrec — evaluation report</h1>
<p class="meta">Generated ${escapeXml(generated)}.</p>
<p>Full-ranking evaluation over every item known at training time (no sampled negatives; ties ranked conservatively). Comparisons are paired on the same cases: t-test with Holm correction across models, 95% bootstrap CI of the difference, Cohen's d_z. Each section names its baseline; findings list plainly where our hybrid does not win.${anySynthetic ? ' <strong>Sections marked SYNTHETIC use generated data</strong>: they test the pipeline and compare models on a simulation, not on a real shop.' : ''}</p>`;
  const body =
    shown.length === 0
      ? '<p class="missing">No run records to report: run <code>funnelrec evaluate</code> first.</p>'
      : `<nav><h3>Experiments</h3>${toc}</nav>${shown.map(experimentSection).join('')}`;
  return page('funnelrec — evaluation report', `${intro}${body}`);
}
