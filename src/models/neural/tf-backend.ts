/**
 * TensorFlow.js set-up shared by the neural models: loads the wasm backend (SIMD, one thread;
 * DESIGN.md §6), registers the missing `UnsortedSegmentSum` kernel, and falls back to the cpu
 * backend where wasm cannot load. Training code awaits {@link initTf} once before its first step.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// The node bundle of tfjs-core registers no gradients (its ESM `register_all_gradients` cannot be
// imported by Node's resolver). The node bundle of tfjs-layers registers all of them, at load,
// in the global gradient registry that tfjs-core's engine reads: imported for that side effect.
import '@tensorflow/tfjs-layers';
import { RecError } from '../../core/errors.js';
import { registerSegmentSumKernels } from './segment-sum-kernel.js';

export { tf };

export type TfBackendName = 'wasm' | 'cpu';

let ready: Promise<TfBackendName> | undefined;

/**
 * Makes `backend` (default wasm) the active tfjs backend; idempotent. Returns the backend in use.
 * Throws a USAGE error only when neither backend can start.
 */
export function initTf(backend: TfBackendName = 'wasm'): Promise<TfBackendName> {
  registerSegmentSumKernels();
  // Library code never prints: PROD silences tfjs' console hints (e.g. "install tfjs-node").
  tf.env().set('PROD', true);
  if (ready && tf.getBackend() === backend) return ready;
  ready = (async () => {
    if (await tf.setBackend(backend)) return backend;
    if (backend !== 'cpu' && (await tf.setBackend('cpu'))) return 'cpu';
    throw new RecError(
      'USAGE',
      `TensorFlow.js backend "${backend}" could not start (and cpu neither); check @tensorflow/tfjs-backend-${backend}`,
    );
  })();
  return ready;
}
