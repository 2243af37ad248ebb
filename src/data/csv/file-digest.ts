import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** Streams a file through the given hash algorithms; returns hex digests in the same order. */
export async function hashFile(path: string, algorithms: readonly string[]): Promise<string[]> {
  const hashes = algorithms.map((a) => createHash(a));
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) {
    for (const h of hashes) h.update(chunk as Buffer);
  }
  return hashes.map((h) => h.digest('hex'));
}

/**
 * Content fingerprint of several files: sha256 over (name, sha256 of the bytes) of each file in
 * the given order, hex, first 16 characters. Feed per-file digests computed while parsing.
 */
export function combineFingerprint(files: readonly { name: string; sha256: string }[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.name}\0${f.sha256}\n`);
  return h.digest('hex').slice(0, 16);
}

/** A set of hashes fed chunk by chunk (to hash a file in the same pass that parses it). */
export class ChunkHasher {
  private readonly hashes: Hash[];

  constructor(readonly algorithms: readonly string[]) {
    this.hashes = algorithms.map((a) => createHash(a));
  }

  readonly update = (chunk: Buffer): void => {
    for (const h of this.hashes) h.update(chunk);
  };

  /** Hex digest of `algorithm` (call once, after the last chunk). */
  digest(): Record<string, string> {
    const out: Record<string, string> = {};
    this.algorithms.forEach((a, i) => (out[a] = this.hashes[i].digest('hex')));
    return out;
  }
}

/** Hashing job: one file through one or more algorithms. */
export interface HashJob {
  path: string;
  algorithms: readonly string[];
}

// Plain CommonJS so that the worker needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const buf = Buffer.allocUnsafe(4 << 20);
for (const job of workerData) {
  try {
    const hs = job.algorithms.map((a) => createHash(a));
    const fd = openSync(job.path, 'r');
    try {
      let n;
      while ((n = readSync(fd, buf, 0, buf.length, null)) > 0) for (const h of hs) h.update(buf.subarray(0, n));
    } finally {
      closeSync(fd);
    }
    parentPort.postMessage({ digests: hs.map((h) => h.digest('hex')) });
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) });
  }
}
`;

/**
 * Hashes files one after the other, in a worker thread when `inWorker` (so that hashing a
 * gigabyte runs beside the parser on another core) or in this thread otherwise (cheaper for small
 * files). Returns one promise per job, resolving to its hex digests in algorithm order. Aborting
 * `signal` stops the work (the worker is terminated); unfinished jobs reject.
 */
export function hashFilesInBackground(
  jobs: readonly HashJob[],
  inWorker: boolean,
  signal?: AbortSignal,
): Promise<string[]>[] {
  if (!inWorker) {
    let chain: Promise<unknown> = Promise.resolve();
    return jobs.map((j) => {
      const p = chain.then(() => {
        if (signal?.aborted) throw new Error(`hashing of ${j.path} was cancelled`);
        return hashFile(j.path, j.algorithms);
      });
      chain = p.catch(() => {});
      return p;
    });
  }
  const settlers: { resolve: (d: string[]) => void; reject: (e: Error) => void }[] = [];
  const promises = jobs.map(
    (_, i) => new Promise<string[]>((resolve, reject) => (settlers[i] = { resolve, reject })),
  );
  const w = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: jobs.map((j) => ({ path: j.path, algorithms: [...j.algorithms] })),
  });
  let next = 0;
  w.on('message', (m: { digests?: string[]; error?: string }) => {
    const s = settlers[next++];
    if (m.digests) s.resolve(m.digests);
    else s.reject(new Error(`cannot hash ${jobs[next - 1].path}: ${m.error}`));
  });
  w.on('error', (e) => settlers.slice(next).forEach((s) => s.reject(e)));
  w.on('exit', () => settlers.slice(next).forEach((s) => s.reject(new Error('hash worker exited early'))));
  signal?.addEventListener('abort', () => void w.terminate(), { once: true });
  for (const p of promises) p.catch(() => {}); // rejections are observed by the caller when awaited
  return promises;
}
