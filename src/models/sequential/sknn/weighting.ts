/**
 * The position weightings of V-SKNN (Ludewig & Jannach 2018, session-rec's `VMContextKNN`).
 *
 * Position weight of the current-session item at 1-based position p of L (the last item has p = L),
 * used in the similarity:  same 1 · div p/L · linear max(0, 1 − 0.1(L − p)) · log 1/log10(L − p + 1.7)
 * · quadratic (p/L)².  (session-rec's `linear` returns 0 for p > 10 whatever L — a slip; we use the
 * clamped form, which agrees with it for L ≤ 10.)
 *
 * Score decay of a neighbour whose most recent item shared with the current session is `step`
 * positions from the end (1 = the last item):  same 1 · div 1/step · linear max(0, 1 − 0.1·step)
 * · log 1/log10(step + 1.7) · quadratic 1/step².
 */
import { z } from 'zod';

export const DecaySchema = z.enum(['same', 'div', 'linear', 'log', 'quadratic']);
export type Decay = z.infer<typeof DecaySchema>;

/** Weight of position `p` (1-based) in a session of length `len`. */
export function positionWeight(kind: Decay, p: number, len: number): number {
  switch (kind) {
    case 'same':
      return 1;
    case 'div':
      return p / len;
    case 'linear':
      return Math.max(0, 1 - 0.1 * (len - p));
    case 'log':
      return 1 / Math.log10(len - p + 1.7);
    case 'quadratic':
      return (p / len) ** 2;
  }
}

/** Decay of a neighbour matched `step` positions from the end of the session (1 = last item). */
export function stepDecay(kind: Decay, step: number): number {
  switch (kind) {
    case 'same':
      return 1;
    case 'div':
      return 1 / step;
    case 'linear':
      return Math.max(0, 1 - 0.1 * step);
    case 'log':
      return 1 / Math.log10(step + 1.7);
    case 'quadratic':
      return 1 / (step * step);
  }
}
