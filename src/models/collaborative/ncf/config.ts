/**
 * Config of NCF / NeuMF (He, Liao, Zhang, Nie, Hu & Chua 2017, "Neural Collaborative
 * Filtering"). Defaults follow the paper's NeuMF set-up where it gives one: 4 negatives per
 * positive, Adam with learning rate 0.001, batch 256, MLP tower [64, 32, 16] whose input is the
 * concatenation of two 32-dim embeddings, weights ~ N(0, 0.01²).
 */
import { z } from 'zod';
import { DEFAULT_EVENT_WEIGHTS, EventWeightsSchema } from '../../common/event-weights.js';

export const NcfConfigSchema = z
  .object({
    /** GMF embedding size (the paper's "predictive factors" of the GMF tower). */
    factors: z.number().int().min(1).max(512).default(32),
    /**
     * MLP tower widths; the user and item MLP embeddings are `mlpLayers[0] / 2` wide each (the
     * paper's tower design: halving widths, first layer fed by the concatenated embeddings).
     */
    mlpLayers: z.array(z.number().int().min(2).max(2048)).min(1).max(6).default([64, 32, 16]),
    /** Sampled negatives per positive (user, item) pair, redrawn every epoch. */
    negatives: z.number().int().min(1).max(100).default(4),
    /** Negative items drawn uniformly or ∝ popularity^popularityAlpha (training interactions). */
    negativeSampling: z.enum(['uniform', 'popularity']).default('uniform'),
    popularityAlpha: z.number().min(0).max(2).default(0.75),
    learningRate: z.number().positive().max(1).default(0.001),
    batchSize: z.number().int().min(1).max(65_536).default(256),
    /**
     * Auto-scaling for tiny data: the batch shrinks (to no less than 16) so that an epoch has at
     * least this many steps. On real data (≥ batchSize × minStepsPerEpoch samples) it changes nothing.
     */
    minStepsPerEpoch: z.number().int().min(1).default(20),
    /** L2 penalty on the embedding rows touched by a step (lazy weight decay). */
    l2: z.number().min(0).default(0),
    /** Init: N(0, initStd²) for embeddings and layers. */
    initStd: z.number().positive().default(0.01),
    /** Epochs run by `fit` and the trainer's default. */
    epochs: z.number().int().min(1).max(1000).default(20),
    /** Gradient steps of the fold-in of an unknown user with a history (0 = mean-user fallback only). */
    foldInSteps: z.number().int().min(0).max(1000).default(30),
    /** Multi-event weighting: a positive pair's summed weight is its sample weight. */
    eventWeights: EventWeightsSchema.default(DEFAULT_EVENT_WEIGHTS),
    halfLifeDays: z.number().positive().nullable().default(null),
    /** tfjs backend used for training (inference is plain TypeScript). */
    backend: z.enum(['wasm', 'cpu']).default('wasm'),
  })
  .strict();

export type NcfConfig = z.infer<typeof NcfConfigSchema>;
