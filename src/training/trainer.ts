/**
 * The one training loop. Non-iterative models are fitted in one call; iterative models hand over
 * one epoch of work at a time and the loop owns epochs, early stopping on a validation metric,
 * cancellation, NaN checks and progress.
 */
import { RecError } from '../core/errors.js';
import type { Logger, ProgressFn } from '../core/progress.js';
import type { Rng } from '../core/rng.js';
import { isIterative, type Recommender, type TrainData } from '../models/types.js';

export interface TrainOptions {
  rng: Rng;
  /** Epochs for iterative models (default: the model's own). */
  epochs?: number;
  /**
   * Validation metric, higher is better, computed after each epoch. With it the loop keeps the
   * best epoch and stops after `patience` epochs without improvement.
   */
  validate?: (model: Recommender) => number | Promise<number>;
  patience?: number;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
  logger?: Logger;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  validation?: number;
  seconds: number;
}

export interface TrainReport {
  model: string;
  seconds: number;
  epochs: EpochRecord[];
  bestEpoch?: number;
  stoppedEarly: boolean;
}

function checkCancelled(signal: AbortSignal | undefined, model: string): void {
  if (signal?.aborted) throw new RecError('CANCELLED', `Training of "${model}" was cancelled`);
}

export async function trainModel(
  model: Recommender,
  data: TrainData,
  opts: TrainOptions,
): Promise<TrainReport> {
  const started = performance.now();
  const ctx = { rng: opts.rng, onProgress: opts.onProgress, logger: opts.logger, signal: opts.signal };
  checkCancelled(opts.signal, model.name);
  if (!isIterative(model)) {
    opts.onProgress?.({ task: `fit ${model.name}`, done: 0, total: 1, unit: 'steps' });
    await model.fit(data, ctx);
    opts.onProgress?.({ task: `fit ${model.name}`, done: 1, total: 1, unit: 'steps' });
    return {
      model: model.name,
      seconds: (performance.now() - started) / 1000,
      epochs: [],
      stoppedEarly: false,
    };
  }
  const total = opts.epochs ?? model.defaultEpochs;
  const patience = opts.patience ?? 3;
  const session = model.beginTraining(data, ctx);
  const epochs: EpochRecord[] = [];
  let best = -Infinity;
  let bestEpoch: number | undefined;
  let bestState: unknown;
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= total; epoch++) {
      checkCancelled(opts.signal, model.name);
      const t0 = performance.now();
      const { loss } = await session.runEpoch(epoch);
      if (!Number.isFinite(loss)) {
        throw new RecError(
          'NUMERIC',
          `Training of "${model.name}" diverged: loss is ${loss} at epoch ${epoch}; lower the learning rate or raise regularisation`,
        );
      }
      const rec: EpochRecord = { epoch, loss, seconds: (performance.now() - t0) / 1000 };
      if (opts.validate) {
        rec.validation = await opts.validate(model);
        if (rec.validation > best) {
          best = rec.validation;
          bestEpoch = epoch;
          bestState = session.snapshot();
        } else if (bestEpoch !== undefined && epoch - bestEpoch >= patience) {
          epochs.push(rec);
          stoppedEarly = true;
          break;
        }
      }
      epochs.push(rec);
      opts.logger?.info({ model: model.name, ...rec }, 'epoch');
      opts.onProgress?.({ task: `train ${model.name}`, done: epoch, total, unit: 'epochs' });
    }
    if (bestState !== undefined && bestEpoch !== epochs[epochs.length - 1]?.epoch) session.restore(bestState);
  } finally {
    session.finish();
  }
  return {
    model: model.name,
    seconds: (performance.now() - started) / 1000,
    epochs,
    bestEpoch,
    stoppedEarly,
  };
}
