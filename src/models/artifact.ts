/**
 * Model artifacts on the wire: a JSON manifest plus one binary blob holding every named typed
 * array (little-endian, 8-byte aligned). Pure encoding; the file store lives in `training/`.
 */
import { RecError } from '../core/errors.js';
import type { ArtifactArray, ModelArtifact } from './types.js';

export const ARTIFACT_FORMAT = 'funnelrec-model';
export const ARTIFACT_FORMAT_VERSION = 1;

const DTYPES = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint8: Uint8Array,
  int8: Int8Array,
} as const;
type DType = keyof typeof DTYPES;

function dtypeOf(a: ArtifactArray): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array) return 'uint8';
  return 'int8';
}

/** Provenance stored beside every artifact. */
export interface ArtifactMeta {
  createdAt: string;
  codeVersion: string;
  dataFingerprint: string;
  synthetic: boolean;
  [key: string]: unknown;
}

export interface ArtifactManifest {
  format: typeof ARTIFACT_FORMAT;
  formatVersion: number;
  model: string;
  config: unknown;
  state: Record<string, unknown>;
  arrays: { name: string; dtype: DType; offset: number; length: number }[];
  meta: ArtifactMeta;
}

export function encodeArtifact(
  a: ModelArtifact,
  meta: ArtifactMeta,
): { manifest: ArtifactManifest; blob: Buffer } {
  const entries: ArtifactManifest['arrays'] = [];
  let offset = 0;
  for (const [name, arr] of Object.entries(a.arrays)) {
    entries.push({ name, dtype: dtypeOf(arr), offset, length: arr.length });
    offset += Math.ceil(arr.byteLength / 8) * 8;
  }
  const blob = Buffer.alloc(offset);
  for (const e of entries) {
    const arr = a.arrays[e.name];
    Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength).copy(blob, e.offset);
  }
  const manifest: ArtifactManifest = {
    format: ARTIFACT_FORMAT,
    formatVersion: ARTIFACT_FORMAT_VERSION,
    model: a.model,
    config: a.config,
    state: a.state,
    arrays: entries,
    meta,
  };
  return { manifest, blob };
}

export function decodeArtifact(
  manifestJson: unknown,
  blob: Uint8Array,
): { artifact: ModelArtifact; meta: ArtifactMeta } {
  const m = manifestJson as Partial<ArtifactManifest>;
  if (!m || m.format !== ARTIFACT_FORMAT) {
    throw new RecError(
      'ARTIFACT_INVALID',
      `Not a funnelrec model artifact (format is ${JSON.stringify(m?.format)})`,
    );
  }
  if (m.formatVersion !== ARTIFACT_FORMAT_VERSION) {
    throw new RecError(
      'ARTIFACT_INVALID',
      `Artifact format version ${m.formatVersion} is not supported (expected ${ARTIFACT_FORMAT_VERSION}); retrain the model`,
    );
  }
  const arrays: Record<string, ArtifactArray> = {};
  for (const e of m.arrays ?? []) {
    const Ctor = DTYPES[e.dtype];
    if (!Ctor) throw new RecError('ARTIFACT_INVALID', `Array "${e.name}" has unknown dtype "${e.dtype}"`);
    const bytes = e.length * Ctor.BYTES_PER_ELEMENT;
    if (e.offset < 0 || e.offset + bytes > blob.byteLength) {
      throw new RecError(
        'ARTIFACT_INVALID',
        `Array "${e.name}" lies outside the artifact blob (truncated file?)`,
      );
    }
    const copy = new Uint8Array(bytes);
    copy.set(blob.subarray(e.offset, e.offset + bytes));
    arrays[e.name] = new Ctor(copy.buffer);
  }
  return {
    artifact: { model: String(m.model), config: m.config, state: m.state ?? {}, arrays },
    meta: m.meta as ArtifactMeta,
  };
}
