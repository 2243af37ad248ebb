import { z } from 'zod';
import { DEFAULT_EVENT_WEIGHTS, EventWeightsSchema } from '../../common/event-weights.js';

/** ALS configuration (unknown keys are errors). */
export const AlsConfigSchema = z
  .object({
    /** Latent dimension k. */
    factors: z.number().int().min(1).max(1024).default(64),
    /** L2 penalty λ on both factor matrices. */
    regularization: z.number().min(0).default(0.05),
    /** Confidence slope: c_ui = 1 + alpha · w_ui. */
    alpha: z.number().positive().default(10),
    /** Epochs (one user half-step + one item half-step each) run by `fit`. */
    iterations: z.number().int().min(1).default(15),
    /** CG steps per row and half-step (warm-started). */
    cgSteps: z.number().int().min(1).default(3),
    /**
     * Rows with at most this many interactions are solved exactly through the Woodbury identity
     * (O(n²k) instead of CG's O(s·k²)); 0 = pure CG on every row, exactly as implicit.
     */
    exactMaxNnz: z.number().int().min(0).max(64).default(16),
    /** `cg` (fast) or `cholesky` (exact reference, O(nnz·k²) per half-step). */
    solver: z.enum(['cg', 'cholesky']).default('cg'),
    eventWeights: EventWeightsSchema.default(DEFAULT_EVENT_WEIGHTS),
    /** Half-life of the time decay of interaction strength in days; null = no decay. */
    halfLifeDays: z.number().positive().nullable().default(null),
    /** Worker threads for training; null = one per core. Results do not depend on it beyond rounding. */
    threads: z.number().int().min(1).nullable().default(null),
  })
  .strict();
export type AlsConfig = z.infer<typeof AlsConfigSchema>;
