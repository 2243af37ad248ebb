/**
 * Moving named weights between tfjs tensors and the Float32Arrays of a {@link ModelArtifact}.
 * Artifacts carry plain arrays plus their shapes (in `state.shapes`), so a model loads and scores
 * without tfjs.
 */
import { RecError } from '../../core/errors.js';
import type { ModelArtifact } from '../types.js';
import { tf } from './tf-backend.js';

/** A weight as plain data: values (row-major) and shape. */
export interface PlainWeight {
  readonly values: Float32Array;
  readonly shape: readonly number[];
}

export type PlainWeights = Record<string, PlainWeight>;

/** Copies every tensor to a plain weight (synchronous download). */
export function tensorsToPlain(tensors: Record<string, tf.Tensor>): PlainWeights {
  const out: PlainWeights = {};
  for (const [k, t] of Object.entries(tensors))
    out[k] = { values: t.dataSync() as Float32Array, shape: t.shape.slice() };
  return out;
}

/** Uploads plain weights as tfjs variables (trainable). */
export function plainToVariables(w: PlainWeights): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  for (const [k, p] of Object.entries(w))
    out[k] = tf.variable(tf.tensor(p.values, p.shape.slice(), 'float32'), true, undefined);
  return out;
}

/** Splits plain weights into artifact arrays + a JSON shape table. */
export function plainToArtifact(w: PlainWeights): {
  arrays: ModelArtifact['arrays'];
  shapes: Record<string, number[]>;
} {
  const arrays: ModelArtifact['arrays'] = {};
  const shapes: Record<string, number[]> = {};
  for (const [k, p] of Object.entries(w)) {
    arrays[k] = p.values.slice();
    shapes[k] = p.shape.slice();
  }
  return { arrays, shapes };
}

/** Reads the named weights back from an artifact, checking that every one is present and sized. */
export function artifactToPlain(a: ModelArtifact, names: readonly string[]): PlainWeights {
  const shapes = (a.state.shapes ?? {}) as Record<string, number[]>;
  const out: PlainWeights = {};
  for (const k of names) {
    const v = a.arrays[k];
    const shape = shapes[k];
    const size = shape?.reduce((x, y) => x * y, 1);
    if (!(v instanceof Float32Array) || !shape || v.length !== size)
      throw new RecError(
        'ARTIFACT_INVALID',
        `${a.model} artifact: weight "${k}" is missing or does not match its shape ${JSON.stringify(shape)}; retrain the model`,
      );
    out[k] = { values: v, shape };
  }
  return out;
}
