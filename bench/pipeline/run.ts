/**
 * Pipeline benchmark: the TypeScript pipeline (load → clean → sessions → split → features) next to
 * the same work in DuckDB SQL, in one process, with wall time and peak RSS per stage and ratios.
 *
 *   npx tsx bench/pipeline/run.ts --dir /tmp/synthetic-full [--test-fraction 0.1] [--only ts|duckdb] [--json]
 *
 * Generate the data first (never into the repo), see README.md. Targets: TS total ≤ 60 s, ≤ 4 GiB.
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { runDuckDbPipeline } from './duckdb-pipeline.js';
import { peakRss, peaksArePerStage, type StageResult } from './measure.js';
import { runTsPipeline } from './ts-pipeline.js';

const TARGET_MS = 60_000;
const TARGET_BYTES = 4 * 1024 ** 3;

// A gc() between stages makes the per-stage RSS comparable (same as running node --expose-gc).
setFlagsFromString('--expose-gc');
(globalThis as { gc?: unknown }).gc ??= runInNewContext('gc');

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: '/tmp/synthetic-full' },
    'test-fraction': { type: 'string', default: '0.1' },
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const dir = values.dir!;
if (!existsSync(dir)) {
  console.error(
    `No data in ${dir}. Generate it first, e.g.\n  npx tsx bench/pipeline/generate.ts --out ${dir}`,
  );
  process.exit(2);
}
const loadAtStart = loadavg();
const params = { dir, testFraction: Number(values['test-fraction']) };
const ts = values.only === 'duckdb' ? [] : await runTsPipeline(params);
const duck = values.only === 'ts' ? [] : await runDuckDbPipeline(params);
const processPeak = peakRss();

const mib = (b: number) => (b / 1024 ** 2).toFixed(0);
const sec = (ms: number) => (ms / 1000).toFixed(2);
const total = (r: StageResult[]) => r.reduce((a, s) => a + s.ms, 0);
const maxPeak = (r: StageResult[]) => Math.max(0, ...r.map((s) => s.peakRss));

if (values.json) {
  console.log(JSON.stringify({ dir, params, ts, duckdb: duck, perStagePeaks: peaksArePerStage() }, null, 2));
} else {
  printReport(ts, duck);
}

function printReport(a: StageResult[], b: StageResult[]): void {
  console.log(
    `pipeline benchmark on ${dir} (test fraction ${params.testFraction}; Node ${process.version}; ${cpus().length} cores)`,
  );
  console.log(
    `load average at start ${loadAtStart.map((x) => x.toFixed(2)).join(' ')}, at end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} (other work on the machine slows both runs)`,
  );
  console.log(
    `peak RSS is ${peaksArePerStage() ? 'per stage (VmHWM reset before each stage)' : 'process-wide (VmHWM could not be reset)'}\n`,
  );
  const head = [
    'stage',
    'TS s',
    'TS cpu s',
    'TS peak MiB',
    'DuckDB s',
    'DuckDB cpu s',
    'DuckDB peak MiB',
    'time TS/DuckDB',
  ];
  const rows = a.length ? a.map((s) => s.stage) : b.map((s) => s.stage);
  const cols = (x: StageResult | undefined): string[] =>
    x ? [sec(x.ms), sec(x.cpuMs), mib(x.peakRss)] : ['-', '-', '-'];
  const lines = rows.map((name) => {
    const x = a.find((s) => s.stage === name);
    const y = b.find((s) => s.stage === name);
    return [name, ...cols(x), ...cols(y), x && y ? (x.ms / y.ms).toFixed(2) : '-'];
  });
  const sum = (r: StageResult[]): StageResult | undefined =>
    r.length
      ? {
          stage: 'total',
          ms: total(r),
          cpuMs: r.reduce((t, s) => t + s.cpuMs, 0),
          peakRss: maxPeak(r),
          startRss: 0,
          out: {},
        }
      : undefined;
  lines.push([
    'total',
    ...cols(sum(a)),
    ...cols(sum(b)),
    a.length && b.length ? (total(a) / total(b)).toFixed(2) : '-',
  ]);
  const w = head.map((h, k) => Math.max(h.length, ...lines.map((l) => l[k].length)));
  for (const l of [head, ...lines])
    console.log(l.map((c, k) => (k === 0 ? c.padEnd(w[k]) : c.padStart(w[k]))).join('  '));
  console.log(`\nprocess peak RSS (VmHWM since last reset): ${mib(processPeak)} MiB`);
  if (a.length) {
    const okT = total(a) <= TARGET_MS;
    const okM = maxPeak(a) <= TARGET_BYTES;
    console.log(
      `TS targets: time ${sec(total(a))} s ${okT ? '≤' : '>'} 60 s ${okT ? 'OK' : 'MISSED'}; peak ${mib(maxPeak(a))} MiB ${okM ? '≤' : '>'} 4096 MiB ${okM ? 'OK' : 'MISSED'}`,
    );
  }
  console.log('\noutputs side by side (TS | DuckDB):');
  for (const name of rows) {
    const x = a.find((s) => s.stage === name)?.out ?? {};
    const y = b.find((s) => s.stage === name)?.out ?? {};
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])];
    console.log(`  ${name.padEnd(9)} ${keys.map((k) => `${k} ${x[k] ?? '-'} | ${y[k] ?? '-'}`).join('; ')}`);
  }
}
