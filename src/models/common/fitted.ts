import { RecError } from '../../core/errors.js';

/**
 * The fitted state of a model, or the one NOT_FITTED error every model gives before it is trained
 * or loaded (the message says what to do).
 */
export function requireFitted<T>(state: T | undefined, model: string): T {
  if (state === undefined) {
    throw new RecError(
      'NOT_FITTED',
      `Model "${model}" is not fitted: train it (trainModel) or load an artifact first`,
    );
  }
  return state;
}
