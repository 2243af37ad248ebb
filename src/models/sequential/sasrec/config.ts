/**
 * Config of SASRec. Architecture defaults follow Kang & McAuley 2018 (d = 64, 2 blocks, one
 * head, max length 50, dropout 0.2, Adam lr 1e−3 with β2 = 0.98); the loss follows Klenitskiy &
 * Vasilev 2023: cross-entropy over many negatives shared by the batch (uniform by default), or
 * the full softmax when the catalogue is not larger than `negatives`.
 * On the RetailRocket session benchmark the validation stage chose a wider, more regularised model
 * with a lower learning rate, the logQ correction and served weight averaging: `{"hiddenUnits":256,
 * "dropout":0.5,"negatives":2048,"sampleAlpha":0.4,"learningRate":0.0005,"logQ":true,
 * "weightAverage":0.999}`, 5 epochs (bench/neural/README.md, with how that rule was chosen); the
 * defaults stay the paper's, which suit small catalogues.
 */
import { z } from 'zod';

export const SasRecConfigSchema = z
  .object({
    hiddenUnits: z.number().int().min(2).max(1024).default(64),
    blocks: z.number().int().min(1).max(8).default(2),
    /** Longest input sequence (the most recent items are kept). */
    maxLen: z.number().int().min(2).max(512).default(50),
    dropout: z.number().min(0).lt(1).default(0.2),
    learningRate: z.number().positive().max(1).default(0.001),
    /**
     * `time`: every epoch visits the training sequences oldest first, in 20 consecutive time windows
     * with the length-bucketed batches shuffled inside each window, so that the last updates of an
     * epoch come from the newest sequences (as GRU4Rec's session-parallel batches do);
     * `shuffled`: all batches in one seeded random order.
     */
    batchOrder: z.enum(['shuffled', 'time']).default('shuffled'),
    /** `linear`: the learning rate falls linearly to 0 over the `epochs` configured here (all steps). */
    lrDecay: z.enum(['none', 'linear']).default('none'),
    /**
     * Serve an exponential moving average of the weights over the optimiser steps (Polyak
     * averaging) with this decay; 0 serves the last weights. Step t uses min(decay, (1+t)/(10+t)).
     */
    weightAverage: z.number().min(0).lt(1).default(0),
    /** Sequences per batch (smaller on tiny data so that an epoch has at least 8 steps). */
    batchSize: z.number().int().min(1).max(4096).default(128),
    /** Shared negatives per mini-batch (≥ 1,000 recommended); full softmax when nItems ≤ negatives. */
    negatives: z.number().int().min(1).max(100_000).default(1024),
    /** Negatives ∝ count^sampleAlpha (0 = uniform, as Klenitskiy & Vasilev). */
    sampleAlpha: z.number().min(0).max(2).default(0),
    /** Subtract log(expected count in the draw) from each logit (sampled-softmax correction). */
    logQ: z.boolean().default(false),
    /** Epochs (the trainer's default; use early stopping on validation for real data). */
    epochs: z.number().int().min(1).max(1000).default(10),
    /** Training sequences and query input: sessions (query = current session) or user histories. */
    source: z.enum(['sessions', 'history']).default('sessions'),
    backend: z.enum(['wasm', 'cpu']).default('wasm'),
  })
  .strict();

export type SasRecConfig = z.infer<typeof SasRecConfigSchema>;
