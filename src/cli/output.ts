/**
 * Terminal output for the CLI: tables for people, JSON for machines, progress bars on stderr
 * (plain periodic lines when stderr is not a terminal), and one place that turns errors into
 * messages and exit codes.
 */
import cliProgress from 'cli-progress';
import { isRecError } from '../core/errors.js';
import type { Progress, ProgressFn } from '../core/progress.js';

export type Cell = string | number | null | undefined;

/** Formats rows as an aligned text table; numbers are right-aligned. */
export function formatTable(headers: string[], rows: Cell[][]): string {
  const text = rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) =>
    rows.every(
      (r) =>
        r[i] === null ||
        r[i] === undefined ||
        typeof r[i] === 'number' ||
        /^[-+]?[\d.,]+%?[*†]*$/.test(String(r[i])),
    ),
  );
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}

/** `0.12345` → `12.35%`. */
export function pct(v: number | undefined, digits = 2): string {
  return v === undefined || Number.isNaN(v) ? '' : `${(v * 100).toFixed(digits)}%`;
}

export function fixed(v: number | undefined, digits = 4): string {
  return v === undefined || Number.isNaN(v) ? '' : v.toFixed(digits);
}

export function int(v: number | undefined): string {
  return v === undefined ? '' : Math.round(v).toLocaleString('en-US');
}

/** A progress callback that draws one bar per task on stderr; call `stop()` when done. */
export function progressReporter(enabled: boolean): { onProgress: ProgressFn; stop: () => void } {
  if (!enabled) return { onProgress: () => {}, stop: () => {} };
  const tty = Boolean(process.stderr.isTTY);
  let bar: cliProgress.SingleBar | undefined;
  let task = '';
  let lastLine = 0;
  const stop = (): void => {
    bar?.stop();
    bar = undefined;
  };
  const onProgress = (p: Progress): void => {
    if (!tty) {
      const now = Date.now();
      if (p.task !== task || now - lastLine > 5000 || (p.total !== undefined && p.done >= p.total)) {
        task = p.task;
        lastLine = now;
        const of = p.total !== undefined ? `/${int(p.total)}` : '';
        process.stderr.write(`… ${p.task}: ${int(p.done)}${of} ${p.unit ?? ''}\n`);
      }
      return;
    }
    if (p.task !== task || !bar) {
      stop();
      task = p.task;
      bar = new cliProgress.SingleBar(
        {
          format: `${p.task.padEnd(28).slice(0, 28)} [{bar}] {percentage}% {value}/{total} ${p.unit ?? ''} eta {eta_formatted}`,
          stream: process.stderr,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(p.total ?? Math.max(p.done, 1), p.done);
    }
    if (p.total !== undefined) bar.setTotal(p.total);
    bar.update(p.done);
  };
  return { onProgress, stop };
}

/** Prints an error for a person and returns the exit code (2 = bad input, 1 = failure). */
export function reportError(e: unknown): number {
  if (isRecError(e)) {
    process.stderr.write(`error [${e.code}]: ${e.message}\n`);
    return [
      'USAGE',
      'CONFIG_INVALID',
      'DATA_INVALID',
      'DATA_MISSING',
      'UNKNOWN_MODEL',
      'CHECKSUM_MISMATCH',
    ].includes(e.code)
      ? 2
      : 1;
  }
  process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return 1;
}

export function printJson(value: unknown): void {
  process.stdout.write(
    `${JSON.stringify(value, (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : ArrayBuffer.isView(v) ? undefined : v), 2)}\n`,
  );
}
