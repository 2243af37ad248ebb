/** NCF / NeuMF: public surface; the lead wires `ncfEntry` into the registry. */
export { NcfRecommender, ncfEntry, NcfConfigSchema, type NcfConfig, type NcfWeights } from './ncf.js';
export { NcfScorer, pairLogit } from './forward.js';
export { NcfTraining, drawSamples, ncfLossGraph } from './training.js';
