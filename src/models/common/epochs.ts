import type { EpochSession } from '../types.js';

/**
 * Runs epochs 1..`epochs` of a training session and always finishes it: the plain `fit` of an
 * iterative model (`trainModel` in `training/trainer.ts` adds early stopping, cancellation and
 * progress).
 */
export async function runEpochs(session: EpochSession, epochs: number): Promise<void> {
  try {
    for (let e = 1; e <= epochs; e++) await session.runEpoch(e);
  } finally {
    session.finish();
  }
}
