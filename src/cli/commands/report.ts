import type { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { RecError } from '../../core/errors.js';
import { buildReport, selectRecords, type ReportRecord } from '../../report/index.js';
import { listRunRecords } from '../../training/run-store.js';

export interface ReportArgs {
  runs: string;
  out: string;
  all?: boolean;
}

/**
 * Reads the run records in `a.runs`, writes the self-contained HTML report to `a.out` and returns
 * its path and how many experiments it shows.
 *
 * @throws RecError DATA_MISSING when the directory holds no run records.
 */
export async function reportCommand(
  a: ReportArgs,
): Promise<{ path: string; experiments: number; records: number }> {
  const records = (await listRunRecords(a.runs)) as ReportRecord[];
  if (records.length === 0)
    throw new RecError(
      'DATA_MISSING',
      `No run records in ${a.runs}: run "funnelrec evaluate" (or "funnelrec demo") first, or pass --runs DIR`,
    );
  const html = buildReport(records, { all: a.all, source: a.runs });
  const path = resolve(a.out);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, html);
  return { path, experiments: selectRecords(records, a.all).length, records: records.length };
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'Write a self-contained HTML report (charts, tables, findings) from the stored evaluation runs',
    )
    .option('--runs <dir>', 'directory of run records', 'runs')
    .option('-o, --out <file>', 'HTML file to write', 'report.html')
    .option('--all', 'every record, not only the newest per protocol, data set and model list')
    .action(async (a: ReportArgs) => {
      const r = await reportCommand(a);
      process.stdout.write(
        `Report of ${r.experiments} experiments (${r.records} run records) written to ${r.path}\n`,
      );
    });
}
