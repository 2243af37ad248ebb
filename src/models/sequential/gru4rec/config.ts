/**
 * Config of GRU4Rec. Names follow the official implementation's parameters
 * (github.com/hidasib/GRU4Rec, `gru4rec.py`), defaults are its RetailRocket parameter file
 * `paramfiles/retailrocket_bprmax_shared_best.py`: loss bpr-max, constrained embedding, final
 * activation elu-0.5, layers [224], batch 80, dropout_p_embed 0.5, dropout_p_hidden 0.05,
 * learning_rate 0.05, momentum 0.4, n_sample 2048, sample_alpha 0.4, bpreg 1.95, 10 epochs,
 * Adagrad with momentum.
 */
import { z } from 'zod';

export const Gru4RecConfigSchema = z
  .object({
    /** `bpr-max` (Hidasi & Karatzoglou 2018) or `cross-entropy` (softmax over targets + samples). */
    loss: z.enum(['bpr-max', 'cross-entropy']).default('bpr-max'),
    /** GRU units per layer; the input embedding is the output matrix (constrained embedding), so its width is the last layer's. */
    layers: z.array(z.number().int().min(1).max(4096)).min(1).max(4).default([224]),
    /** Session-parallel mini-batch size (capped at the number of training sessions). */
    batchSize: z.number().int().min(1).max(4096).default(80),
    dropoutEmbed: z.number().min(0).lt(1).default(0.5),
    dropoutHidden: z.number().min(0).lt(1).default(0.05),
    learningRate: z.number().positive().max(10).default(0.05),
    /** Classical momentum on top of Adagrad (official `momentum`); 0 turns it off. */
    momentum: z.number().min(0).lt(1).default(0.4),
    /** Extra negatives drawn once per mini-batch and shared by all its rows (besides the in-batch targets); capped at the catalogue size. */
    nSample: z.number().int().min(0).max(100_000).default(2048),
    /** Negatives are drawn ∝ support^sampleAlpha (0 = uniform, 1 = popularity). */
    sampleAlpha: z.number().min(0).max(2).default(0.4),
    /** Score regularisation of BPR-max. */
    bpreg: z.number().min(0).default(1.95),
    /** ELU parameter of the final activation for bpr-max (`elu-0.5`); 0 = linear. Cross-entropy uses softmax. */
    eluAlpha: z.number().min(0).max(10).default(0.5),
    /** Epochs (official `n_epochs`) and the trainer's default. */
    epochs: z.number().int().min(1).max(1000).default(10),
    /**
     * Init width: 0 = adaptive √(6/(fan_in+fan_out)) uniform (official `sigma = 0`).
     */
    sigma: z.number().min(0).default(0),
    /** tfjs backend used for training (inference is plain TypeScript). */
    backend: z.enum(['wasm', 'cpu']).default('wasm'),
  })
  .strict();

export type Gru4RecConfig = z.infer<typeof Gru4RecConfigSchema>;
