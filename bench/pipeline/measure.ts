/** Wall time and peak RSS of one stage: the kernel's VmHWM, reset before each stage. */
import { readFileSync, writeFileSync } from 'node:fs';

export interface StageResult {
  stage: string;
  ms: number;
  /** CPU time of the whole process (all threads, user + system) during the stage, ms. */
  cpuMs: number;
  /** Peak resident set size during the stage, bytes (VmHWM after a reset). */
  peakRss: number;
  /** RSS when the stage started, bytes. */
  startRss: number;
  /** What the stage produced, for the side-by-side check. */
  out: Record<string, number | string>;
}

let canReset: boolean | undefined;

/** Resets the kernel's peak-RSS counter (`/proc/self/clear_refs` = 5); false when not allowed. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    canReset = true;
  } catch {
    canReset = false;
  }
  return canReset;
}

/** VmHWM of this process, bytes (falls back to the current RSS outside Linux). */
export function peakRss(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    /* not Linux */
  }
  return process.memoryUsage.rss();
}

/** True when peaks are per stage (the counter could be reset), false when they are process-wide. */
export const peaksArePerStage = (): boolean => canReset === true;

/** Runs `fn` as a named stage; `fn` returns the stage's value and a summary of its output. */
export async function stage<T>(
  name: string,
  fn: () => Promise<[T, Record<string, number | string>]> | [T, Record<string, number | string>],
  results: StageResult[],
): Promise<T> {
  (globalThis as { gc?: () => void }).gc?.();
  resetPeakRss();
  const startRss = process.memoryUsage.rss();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const [value, out] = await fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  results.push({
    stage: name,
    ms,
    cpuMs: (c.user + c.system) / 1000,
    peakRss: Math.max(peakRss(), startRss),
    startRss,
    out,
  });
  return value;
}
