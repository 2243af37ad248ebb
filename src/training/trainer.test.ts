import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { isRecError } from '../core/errors.js';
import { plantedData } from '../models/test-utils/planted.js';
import type {
  EpochSession,
  FitContext,
  IterativeRecommender,
  ModelArtifact,
  Query,
  TrainData,
} from '../models/types.js';
import { trainModel } from './trainer.js';

/** A toy iterative model whose "quality" follows a scripted curve, to drive the loop. */
class Scripted implements IterativeRecommender {
  readonly name = 'scripted';
  readonly capabilities = {
    coldUsers: true,
    coldItems: false,
    sessionInput: false,
    itemToItem: false,
    incremental: false,
  };
  readonly defaultEpochs = 10;
  nItems = 0;
  param = 0;
  finished = false;
  constructor(private readonly losses: number[]) {}
  async fit(): Promise<void> {}
  scoreBatch(_q: readonly Query[], _o: Float32Array): void {}
  toArtifact(): ModelArtifact {
    return { model: this.name, config: {}, state: {}, arrays: {} };
  }
  beginTraining(data: TrainData, _ctx: FitContext): EpochSession {
    this.nItems = data.nItems;
    return {
      runEpoch: async (epoch) => {
        this.param = epoch;
        return { loss: this.losses[epoch - 1] ?? 0.1 };
      },
      snapshot: () => this.param,
      restore: (s) => {
        this.param = s as number;
      },
      finish: () => {
        this.finished = true;
      },
    };
  }
}

const { data } = plantedData();

describe('trainModel', () => {
  it('stops early after `patience` epochs without improvement and restores the best epoch', async () => {
    const m = new Scripted([]);
    const curve = [0.1, 0.3, 0.5, 0.4, 0.45, 0.2, 0.9];
    const report = await trainModel(m, data, {
      rng: new Rng(1),
      validate: (x) => curve[(x as Scripted).param - 1],
      patience: 2,
    });
    expect(report.bestEpoch).toBe(3);
    expect(report.stoppedEarly).toBe(true);
    expect(report.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(m.param).toBe(3);
    expect(m.finished).toBe(true);
  });

  it('fails with a NUMERIC error naming the epoch when the loss is NaN', async () => {
    const m = new Scripted([1, Number.NaN]);
    const err = await trainModel(m, data, { rng: new Rng(1) }).catch((e: unknown) => e);
    expect(isRecError(err, 'NUMERIC')).toBe(true);
    expect((err as Error).message).toContain('epoch 2');
    expect(m.finished).toBe(true);
  });

  it('honours cancellation between epochs', async () => {
    const ac = new AbortController();
    const m = new Scripted([]);
    const err = await trainModel(m, data, {
      rng: new Rng(1),
      signal: ac.signal,
      onProgress: (p) => {
        if (p.done === 2) ac.abort();
      },
    }).catch((e: unknown) => e);
    expect(isRecError(err, 'CANCELLED')).toBe(true);
    expect(m.param).toBe(2);
  });

  it('runs the configured number of epochs without validation', async () => {
    const m = new Scripted([]);
    const report = await trainModel(m, data, { rng: new Rng(1), epochs: 4 });
    expect(report.epochs).toHaveLength(4);
    expect(report.bestEpoch).toBeUndefined();
  });
});
