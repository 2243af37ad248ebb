import { z } from 'zod';
import { DEFAULT_EVENT_WEIGHTS, EventWeightsSchema } from '../../common/event-weights.js';

/** BPR configuration (unknown keys are errors). */
export const BprConfigSchema = z
  .object({
    /** Latent dimension k (the item bias is kept separately). */
    factors: z.number().int().min(1).max(1024).default(64),
    /** Initial SGD step size. */
    learningRate: z.number().positive().default(0.05),
    /** Step-size schedule over the epochs: lr_e = lr (constant), lr·(1 − (e−1)/E) (linear), lr·decay^(e−1) (exponential). */
    lrSchedule: z.enum(['constant', 'linear', 'exponential']).default('constant'),
    /** Decay per epoch of the exponential schedule. */
    lrDecay: z.number().gt(0).max(1).default(0.95),
    /** L2 penalty on the parameters touched by each update. */
    regularization: z.number().min(0).default(0.01),
    /** Epochs run by `fit`; one epoch = nnz sampled (u, i⁺, j⁻) triples. */
    iterations: z.number().int().min(1).default(50),
    /**
     * Negative items: uniform over the catalogue (Rendle et al., the default) or proportional to
     * popularity (implicit's sampler). P3 NDCG@10, mean of 10 seeds: 0.0286 uniform, 0.0270 popularity
     * (implicit 0.0257; `bench/peers/README.md`).
     */
    negatives: z.enum(['uniform', 'popularity']).default('uniform'),
    /** Positive (u, i) pairs sampled uniformly or proportionally to their interaction strength. */
    positives: z.enum(['uniform', 'weighted']).default('weighted'),
    /** Skip a sampled negative the user did interact with. */
    verifyNegatives: z.boolean().default(true),
    /** Learn an item bias b_i (score = x_u·y_i + b_i). */
    itemBias: z.boolean().default(true),
    /** SGD passes over the history when folding in a user unseen at training. */
    foldInEpochs: z.number().int().min(1).default(30),
    eventWeights: EventWeightsSchema.default(DEFAULT_EVENT_WEIGHTS),
    /** Half-life of the time decay of interaction strength in days; null = no decay. */
    halfLifeDays: z.number().positive().nullable().default(null),
    /** Hogwild threads; null = one per core. Multi-threaded runs are not bitwise reproducible. */
    threads: z.number().int().min(1).nullable().default(null),
  })
  .strict();
export type BprConfig = z.infer<typeof BprConfigSchema>;
