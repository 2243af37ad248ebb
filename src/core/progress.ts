/**
 * Libraries never print: they take an optional logger (pino-compatible subset) and an
 * `onProgress` callback; the CLI turns them into log lines and progress bars.
 */
export interface Logger {
  debug(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface Progress {
  /** Short name of the work, e.g. "read events.csv". */
  task: string;
  /** Units done so far. */
  done: number;
  /** Total units when known. */
  total?: number;
  /** Unit of `done`/`total`, e.g. "rows", "bytes", "epochs". */
  unit?: string;
}

export type ProgressFn = (p: Progress) => void;

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** Calls `fn` at most every `everyMs` milliseconds (and always for the final update). */
export function throttleProgress(fn: ProgressFn | undefined, everyMs = 200): ProgressFn {
  if (!fn) return () => {};
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last >= everyMs || (p.total !== undefined && p.done >= p.total)) {
      last = now;
      fn(p);
    }
  };
}
