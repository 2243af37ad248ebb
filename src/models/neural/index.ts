/** Shared TensorFlow.js set-up and helpers of the neural models. */
export { initTf, tf, type TfBackendName } from './tf-backend.js';
export { registerSegmentSumKernels, segmentSumInto } from './segment-sum-kernel.js';
export { mm, bmm, mmKnownTranspose } from './fast-matmul.js';
export { uniformInit, normalInit } from './init.js';
export { PopularitySampler, itemCounts } from './negative-sampler.js';
export {
  tensorsToPlain,
  plainToVariables,
  plainToArtifact,
  artifactToPlain,
  type PlainWeight,
  type PlainWeights,
} from './weights.js';
export { SparseRowUpdater } from './sparse-rows.js';
