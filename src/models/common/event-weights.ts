import { z } from 'zod';

/**
 * Multi-event signal weighting: how much a view, an add-to-cart and a transaction count as
 * interaction strength. A hyper-parameter of every model that consumes interactions.
 */
export const EventWeightsSchema = z
  .object({
    view: z.number().min(0).default(1),
    addtocart: z.number().min(0).default(3),
    transaction: z.number().min(0).default(5),
  })
  .strict();
export type EventWeights = z.infer<typeof EventWeightsSchema>;

export const DEFAULT_EVENT_WEIGHTS: EventWeights = { view: 1, addtocart: 3, transaction: 5 };

/** Weight per event code (0 view, 1 addtocart, 2 transaction) as a lookup table. */
export function weightTable(w: EventWeights): Float64Array {
  return Float64Array.of(w.view, w.addtocart, w.transaction);
}

/**
 * Exponential time decay with half-life `halfLifeDays` (null/0 = no decay):
 * decay(t) = 2^(-(ref - t) / halfLife).
 */
export function decayFactor(ref: number, t: number, halfLifeDays: number | null): number {
  if (!halfLifeDays) return 1;
  return Math.pow(2, -(ref - t) / (halfLifeDays * 86_400_000));
}
