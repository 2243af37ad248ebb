/**
 * Config of the Two-Tower retrieval model (Yi, Yang, Hong, Cheng, Heldt, Kumthekar, Zhao, Wei &
 * Chi 2019, "Sampling-Bias-Corrected Neural Modeling for Large Corpus Item Recommendations").
 */
import { z } from 'zod';
import { DEFAULT_EVENT_WEIGHTS, EventWeightsSchema } from '../../common/event-weights.js';

export const AnnConfigSchema = z
  .object({
    /** Index used by `candidates` (scoring for evaluation is always exact). */
    kind: z.enum(['usearch', 'exact']).default('usearch'),
    connectivity: z.number().int().min(2).max(256).default(16),
    expansionAdd: z.number().int().min(1).max(4096).default(128),
    expansionSearch: z.number().int().min(1).max(4096).default(256),
  })
  .strict();

export const TwoTowerConfigSchema = z
  .object({
    /** Width of both towers' output (and of every embedding). */
    dim: z.number().int().min(2).max(1024).default(64),
    /** Most recent history items pooled by the query tower. */
    historyLength: z.number().int().min(1).max(1000).default(50),
    /** Recency weight of the k-th most recent history item: eventWeight · recencyDecay^k. */
    recencyDecay: z.number().gt(0).max(1).default(0.9),
    /** Softmax temperature τ: logits = q·v / τ (both vectors L2-normalised). */
    temperature: z.number().positive().max(10).default(0.1),
    /** Subtract log Q(item) (its in-batch sampling probability) from training logits (Yi et al. §3.3). */
    logQCorrection: z.boolean().default(true),
    /** Add an embedding of the query's funnel stage (cold/browsing/intent/converted) to the query tower. */
    stageFeature: z.boolean().default(true),
    /** Add an embedding of the item's category to the item tower. */
    categoryFeature: z.boolean().default(true),
    /**
     * Share of training examples whose history is dropped (query = the `cold` stage only), so the
     * empty-history query learns the marginal target distribution — what an unknown user without
     * history gets — from every event instead of from users' first events only.
     */
    historyDropout: z.number().min(0).max(1).default(0.3),
    learningRate: z.number().positive().max(1).default(0.01),
    batchSize: z.number().int().min(2).max(65_536).default(256),
    /** Auto-scaling for tiny data: the batch shrinks (not below 8) so an epoch has ≥ this many steps. */
    minStepsPerEpoch: z.number().int().min(1).default(20),
    /** Lazy L2 penalty on touched embedding rows. */
    l2: z.number().min(0).default(0.0001),
    initStd: z.number().positive().default(0.1),
    epochs: z.number().int().min(1).max(1000).default(10),
    /** Epoch budget on very large data: a seeded random subset of at most this many examples per epoch (null = all). */
    maxExamplesPerEpoch: z.number().int().min(2).nullable().default(null),
    /** Event weights: history pooling weights and the training example weight of a target. */
    eventWeights: EventWeightsSchema.default(DEFAULT_EVENT_WEIGHTS),
    ann: AnnConfigSchema.default({
      kind: 'usearch',
      connectivity: 16,
      expansionAdd: 128,
      expansionSearch: 256,
    }),
    /** tfjs backend used for training (inference is plain TypeScript). */
    backend: z.enum(['wasm', 'cpu']).default('wasm'),
  })
  .strict();

export type TwoTowerConfig = z.infer<typeof TwoTowerConfigSchema>;
