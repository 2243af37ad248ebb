/**
 * `UnsortedSegmentSum` (the gradient of `gather`) for the tfjs wasm and cpu backends. The wasm
 * backend ships without it and the stock cpu version is unusably slow (DESIGN.md §6).
 *
 * out[s, :] = Σ_{i : segmentIds[i] = s} x[i, :], ids outside [0, numSegments) are skipped.
 * Shapes: x [...segmentIds.shape, ...inner], out [numSegments, ...inner].
 * Cost: O(x.size) time, O(numSegments · inner) output memory (dense, as tfjs expects).
 */
import * as tf from '@tensorflow/tfjs-core';

/** Reference kernel on plain arrays (also the body of both backend kernels). */
export function segmentSumInto(
  x: ArrayLike<number>,
  ids: ArrayLike<number>,
  inner: number,
  numSegments: number,
  out: Float32Array,
): void {
  out.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const o = s * inner;
    const xo = i * inner;
    for (let j = 0; j < inner; j++) out[o + j] += x[xo + j];
  }
}

interface SegmentArgs {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
}

function shapes(args: SegmentArgs): {
  x: tf.TensorInfo;
  ids: tf.TensorInfo;
  inner: number;
  outShape: number[];
  numSegments: number;
} {
  const x = args.inputs.x as tf.TensorInfo;
  const segmentIds = args.inputs.segmentIds as tf.TensorInfo;
  const numSegments = Number(args.attrs?.numSegments);
  const nIds = segmentIds.shape.reduce((a, b) => a * b, 1);
  const innerShape = x.shape.slice(segmentIds.shape.length);
  const inner = innerShape.reduce((a, b) => a * b, 1);
  return {
    x,
    ids: segmentIds,
    inner: nIds === 0 ? 0 : inner,
    outShape: [numSegments, ...innerShape],
    numSegments,
  };
}

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): tf.TypedArray;
}

interface CpuBackendLike {
  data: { get(id: unknown): { values: tf.TypedArray } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.TypedArray): tf.TensorInfo;
}

function wasmKernel(args: SegmentArgs & { backend: unknown }): tf.TensorInfo {
  const b = args.backend as WasmBackendLike;
  const { x, ids, inner, outShape, numSegments } = shapes(args);
  const out = b.makeOutput(outShape, 'float32');
  segmentSumInto(
    b.typedArrayFromHeap(x),
    b.typedArrayFromHeap(ids),
    inner,
    numSegments,
    b.typedArrayFromHeap(out) as Float32Array,
  );
  return out;
}

function cpuKernel(args: SegmentArgs & { backend: unknown }): tf.TensorInfo {
  const b = args.backend as CpuBackendLike;
  const { x, ids, inner, outShape, numSegments } = shapes(args);
  const out = new Float32Array(numSegments * inner);
  segmentSumInto(b.data.get(x.dataId).values, b.data.get(ids.dataId).values, inner, numSegments, out);
  return b.makeTensorInfo(outShape, 'float32', out);
}

let registered = false;

/** Registers the kernel for `wasm` and `cpu` (idempotent; replaces the slow cpu version). */
export function registerSegmentSumKernels(): void {
  if (registered) return;
  registered = true;
  for (const [backendName, kernelFunc] of [
    ['wasm', wasmKernel],
    ['cpu', cpuKernel],
  ] as const) {
    if (tf.getKernel('UnsortedSegmentSum', backendName))
      tf.unregisterKernel('UnsortedSegmentSum', backendName);
    tf.registerKernel({
      kernelName: 'UnsortedSegmentSum',
      backendName,
      kernelFunc: kernelFunc as unknown as tf.KernelFunc,
    });
  }
}
