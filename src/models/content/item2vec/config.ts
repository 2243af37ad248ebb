/**
 * Config of Item2Vec (skip-gram with negative sampling over sessions). Names and defaults follow
 * gensim's `Word2Vec` where the concept is the same (`vector_size` → `dim`, `min_alpha` →
 * `minAlpha`, `ns_exponent` → `nsExponent`), so a gensim run can be reproduced by name.
 */
import { z } from 'zod';
import { EventWeightsSchema } from '../../common/event-weights.js';

export const Item2VecConfigSchema = z
  .object({
    /** Embedding dimension. */
    dim: z.number().int().min(2).max(1024).default(64),
    /** Maximum context distance; each centre draws its effective window uniformly in 1..window (gensim `shrink_windows`). */
    window: z.number().int().min(1).max(1000).default(5),
    /** Negative samples per positive pair. */
    negative: z.number().int().min(1).max(100).default(5),
    /** Epochs of the learning-rate schedule, and `defaultEpochs` of the trainer. */
    epochs: z.number().int().min(1).max(10_000).default(10),
    /** Initial learning rate; decays linearly to `minAlpha` over `epochs` (word2vec / gensim). */
    alpha: z.number().positive().max(1).default(0.025),
    minAlpha: z.number().min(0).max(1).default(0.0001),
    /**
     * Frequent-item subsampling threshold (gensim `sample`, whose default is 1e-3); 0 turns it off.
     * Off by default: the threshold is relative to the corpus size, so on small corpora 1e-3 drops
     * most tokens (on the 480-token planted set it costs a third of the group accuracy), and item
     * catalogues have no stop-words. Worth trying 1e-3…1e-5 on large corpora.
     */
    sample: z.number().min(0).max(1).default(0),
    /** Items seen fewer times in the corpus get no vector (and score −1). */
    minCount: z.number().int().min(1).default(1),
    /** Exponent of the negative-sampling distribution count^e (0.75 in word2vec). */
    nsExponent: z.number().min(0).max(2).default(0.75),
    /** What a "sentence" is: each training session, or the user's whole training history. */
    source: z.enum(['sessions', 'history']).default('sessions'),
    /**
     * Per-event learning-rate multipliers: a (context, centre) pair is trained with step
     * `alpha · max(w(context event), w(centre event))`, equivalent in expectation to repeating
     * the pair that many times without lengthening the sentence. Softer than the 1/3/5 used by
     * count models because these multiply an SGD step.
     */
    eventWeights: EventWeightsSchema.default({ view: 1, addtocart: 2, transaction: 3 }),
    /**
     * Worker threads of the Hogwild SGD; null = all cores when the corpus is large (≥ 200,000
     * tokens × epochs), else 1. One thread is bit-reproducible for a seed; more are not (as gensim
     * with workers > 1).
     */
    threads: z.number().int().min(1).max(256).nullable().default(null),
    /**
     * Query vector = Σ_j decay^(n−1−j) · v̂(item j) over the session items (oldest first): 1 is the
     * plain mean, smaller values favour the latest items.
     */
    recencyDecay: z.number().gt(0).max(1).default(0.8),
    /**
     * SGNS kernel: 'auto' = WebAssembly SIMD (float32, `sgns-wasm.ts`) when the runtime has it and
     * dim is a multiple of 4, else JavaScript; 'js' = always the JavaScript kernel (float64
     * accumulation, bit-identical to the reference kernel).
     */
    kernel: z.enum(['auto', 'js']).default('auto'),
  })
  .strict();

export type Item2VecConfig = z.infer<typeof Item2VecConfigSchema>;
