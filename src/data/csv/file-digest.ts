import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

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
