import type { Command } from 'commander';
import { RecError } from '../../core/errors.js';
import { downloadRetailRocket } from '../../data/download/kaggle.js';
import { loadDataset } from '../../data/load-dataset.js';
import { compareWithOfficial, datasetStats, type DatasetStats } from '../../data/stats.js';
import { generateSynthetic } from '../../data/synthetic/generate.js';
import { compareRealism } from '../../data/synthetic/realism.js';
import { SYNTHETIC_SCALES, type SyntheticScale } from '../../data/synthetic/scales.js';
import { fixed, formatTable, int, pct, printJson, progressReporter } from '../output.js';

interface CommonArgs {
  json?: boolean;
  progress: boolean;
  onBadRow: 'fail' | 'skip';
}

function funnelTable(s: DatasetStats): string {
  const f = s.funnel;
  return formatTable(
    ['stage', 'events', 'per-event rate', 'visitors (share)', 'per-visitor rate'],
    [
      ['view', int(s.view), '', pct(f.visitorsViewed), ''],
      [
        'addtocart',
        int(s.addtocart),
        `${pct(f.cartPerView)} of views`,
        pct(f.visitorsCarted),
        `${pct(f.viewersWhoCarted)} of viewers`,
      ],
      [
        'transaction',
        int(s.transaction),
        `${pct(f.transactionPerCart)} of carts`,
        pct(f.visitorsBought),
        `${pct(f.cartersWhoBought)} of carters`,
      ],
    ],
  );
}

/** The text `data stats` prints. */
export function formatStats(s: DatasetStats, official: boolean): string {
  const lines = [
    `Data set: ${s.name}${s.synthetic ? ' — SYNTHETIC DATA' : ''}`,
    formatTable(
      ['figure', 'value'],
      [
        ['events', int(s.events)],
        ['  view', int(s.view)],
        ['  addtocart', int(s.addtocart)],
        ['  transaction', int(s.transaction)],
        ['transactions (distinct ids)', int(s.transactions)],
        ['visitors', int(s.visitors)],
        ['items', int(s.items)],
        ['categories in events', int(s.categoriesInEvents)],
        ['categories in tree', s.categoriesInTree === undefined ? '—' : int(s.categoriesInTree)],
        ['date range', `${s.firstDay} .. ${s.lastDay}`],
        [
          'events per visitor (mean / median)',
          `${fixed(s.eventsPerVisitorMean, 2)} / ${fixed(s.eventsPerVisitorMedian, 1)}`,
        ],
      ],
    ),
    '',
    'Conversion funnel',
    funnelTable(s),
  ];
  if (official) {
    lines.push('', 'Generated vs official RetailRocket figures');
    lines.push(
      formatTable(
        ['figure', 'generated', 'official', 'ratio'],
        compareWithOfficial(s).map((r) => [
          r.name,
          fmtNum(r.generated),
          fmtNum(r.official),
          fixed(r.ratio, 3),
        ]),
      ),
    );
  }
  return lines.join('\n');
}

function fmtNum(v: number): string {
  return Number.isInteger(v) ? int(v) : v < 1 ? pct(v) : fixed(v, 2);
}

export function registerData(program: Command): void {
  const data = program.command('data').description('Get, generate and inspect data sets');

  data
    .command('download')
    .description(
      'Download the official RetailRocket data set from Kaggle (needs Kaggle API credentials) and verify its checksums',
    )
    .option('-o, --out <dir>', 'destination directory', 'data/raw/retailrocket')
    .option('--no-progress', 'no progress bars')
    .action(async (a: { out: string; progress: boolean }) => {
      const progress = progressReporter(a.progress);
      const r = await downloadRetailRocket({ dest: a.out, onProgress: progress.onProgress });
      progress.stop();
      process.stdout.write(
        `Downloaded and verified ${r.files.length} files into ${a.out}:\n${r.files.map((f) => `  ${f}`).join('\n')}\n`,
      );
    });

  data
    .command('generate')
    .description('Generate a SYNTHETIC data set in the official RetailRocket file formats')
    .option('-s, --scale <scale>', `size: ${SYNTHETIC_SCALES.join(', ')}`, 'small')
    .option('--seed <n>', 'random seed', '42')
    .requiredOption('-o, --out <dir>', 'output directory')
    .option('--json', 'machine-readable output')
    .option('--no-progress', 'no progress bars')
    .action(async (a: { scale: string; seed: string; out: string; json?: boolean; progress: boolean }) => {
      if (!(SYNTHETIC_SCALES as readonly string[]).includes(a.scale)) {
        throw new RecError(
          'USAGE',
          `--scale must be one of ${SYNTHETIC_SCALES.join(', ')}, got "${a.scale}"`,
        );
      }
      const progress = progressReporter(a.progress && !a.json);
      const t0 = performance.now();
      const summary = await generateSynthetic({
        scale: a.scale as SyntheticScale,
        seed: Number(a.seed),
        outDir: a.out,
        onProgress: progress.onProgress,
      });
      progress.stop();
      if (a.json) return printJson(summary);
      const c = summary.counts as unknown as Record<string, number>;
      process.stdout.write(
        `Generated SYNTHETIC data (${a.scale}, seed ${a.seed}) in ${((performance.now() - t0) / 1000).toFixed(1)} s into ${a.out}\n` +
          `${formatTable(
            ['figure', 'count'],
            Object.entries(c).map(([k, v]) => [k, int(v)]),
          )}\n` +
          `Inspect it with: funnelrec data stats --dataset synthetic:${a.out}\n`,
      );
    });

  data
    .command('stats')
    .description(
      'Sizes, date range and the conversion funnel of a data set (synthetic sets also side by side with the official figures)',
    )
    .requiredOption('-d, --dataset <spec>', 'data set as KIND:PATH')
    .option('--on-bad-row <policy>', 'fail or skip malformed input rows', 'fail')
    .option('--json', 'machine-readable output')
    .option('--no-progress', 'no progress bars')
    .action(async (a: CommonArgs & { dataset: string }) => {
      const progress = progressReporter(a.progress && !a.json);
      const ds = await loadDataset(a.dataset, { onBadRow: a.onBadRow, onProgress: progress.onProgress });
      progress.stop();
      const s = datasetStats(ds);
      if (a.json)
        return printJson({
          stats: s,
          official: ds.meta.synthetic ? compareWithOfficial(s) : undefined,
          skippedRows: ds.meta.skippedRows,
        });
      process.stdout.write(`${formatStats(s, ds.meta.synthetic)}\n`);
      const skipped = Object.entries(ds.meta.skippedRows ?? {}).filter(([, n]) => n > 0);
      if (skipped.length)
        process.stdout.write(`Skipped malformed rows: ${skipped.map(([f, n]) => `${f} ${n}`).join(', ')}\n`);
      for (const note of ds.meta.notes ?? []) process.stdout.write(`note: ${note}\n`);
    });

  data
    .command('realism')
    .description(
      'Compare the distributions of a SYNTHETIC data set with real RetailRocket data and print the differences',
    )
    .requiredOption('-d, --dataset <spec>', 'the synthetic data set, KIND:PATH')
    .requiredOption('-r, --real <spec>', 'real data, e.g. retailrocket:../shared/data/retailrocket')
    .option('--sample-visitors <n>', 'compare seeded random subsets of this many visitors of each', '5000')
    .option('--seed <n>', 'random seed', '42')
    .option('--json', 'machine-readable output')
    .option('--no-progress', 'no progress bars')
    .action(
      async (a: CommonArgs & { dataset: string; real: string; sampleVisitors: string; seed: string }) => {
        const progress = progressReporter(a.progress && !a.json);
        const syn = await loadDataset(a.dataset, { onProgress: progress.onProgress });
        const real = await loadDataset(a.real, { onProgress: progress.onProgress });
        progress.stop();
        const report = compareRealism(syn.events, real.events, {
          sampleVisitors: Number(a.sampleVisitors),
          seed: Number(a.seed),
        });
        if (a.json) return printJson(report);
        process.stdout.write(
          `Realism: ${syn.meta.name}${syn.meta.synthetic ? ' (SYNTHETIC)' : ''} vs ${real.meta.name}\n`,
        );
        process.stdout.write(
          `${formatTable(
            ['metric', 'synthetic', 'real', 'difference', 'KS D'],
            report.rows.map((r) => [
              r.metric,
              fixed(r.synthetic, 3),
              fixed(r.real, 3),
              fixed(r.difference, 3),
              r.ks === undefined ? '' : fixed(r.ks, 3),
            ]),
          )}\n`,
        );
      },
    );
}
