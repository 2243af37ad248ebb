/**
 * Starting worker threads from TypeScript sources or built JavaScript alike. A worker module is
 * named by a URL next to the caller (`new URL('./x-worker.js', import.meta.url)`); when the caller
 * runs from `.ts` sources (tsx, vitest), the `.ts` file is started with the tsx loader.
 *
 * Numeric code shares memory with workers through `SharedArrayBuffer`-backed typed arrays.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { availableParallelism } from 'node:os';

/** Absolute URL of tsx's ESM API, so that the worker finds it whatever the working directory. */
function tsxApiUrl(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('tsx/package.json');
  return pathToFileURL(join(dirname(pkg), 'dist', 'esm', 'api', 'index.mjs')).href;
}

/** Threads to use by default: the machine's cores (at least 1). */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/** Starts the worker module `url` (a `.js` URL; its `.ts` sibling is used when only that exists). */
export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  const jsPath = fileURLToPath(url);
  if (existsSync(jsPath)) return new Worker(url, options);
  const tsPath = jsPath.replace(/\.js$/, '.ts');
  if (!existsSync(tsPath)) throw new Error(`worker module not found: ${jsPath} (nor ${tsPath})`);
  // Source checkout (tsx / vitest): register the tsx loader inside the worker, then import the .ts.
  const boot =
    `import(${JSON.stringify(tsxApiUrl())}).then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(tsPath).href)}); })` +
    `.catch((e) => { setImmediate(() => { throw e; }); });`;
  return new Worker(boot, { ...options, eval: true });
}

/** Runs one message round-trip: posts `msg`, resolves with the worker's first reply or rejects on error/exit. */
export function request<T>(worker: Worker, msg: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (v: T): void => {
      cleanup();
      resolve(v);
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`worker exited with code ${code} before replying`));
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(msg);
  });
}

/** A typed array of `n` elements backed by a SharedArrayBuffer. */
export function sharedFloat32(n: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(n * 4));
}

export function sharedInt32(n: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(n * 4));
}
