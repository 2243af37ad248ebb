/**
 * P1 (RetailRocket-format data) and P3 (MovieLens): global temporal split. Test = the last
 * `testFraction` of events by time; validation = the last `validFraction` of the rest. Models are
 * trained on everything before a stage's cut; cases are the users active after it.
 */
import { z } from 'zod';
import { RecError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { Dataset } from '../../data/dataset.js';
import { DEFAULT_SESSION_GAP_MS } from '../../data/processing/sessions.js';
import { trainValidTestSplit } from '../../data/processing/split.js';
import type { EvalCase } from '../types.js';
import type { PreparedProtocol, ProtocolStage } from './protocol.js';
import { buildTrainData } from './train-data.js';
import { buildUserCases } from './user-cases.js';

export const UserTemporalConfigSchema = z
  .object({
    testFraction: z.number().gt(0).lt(1).default(0.1),
    validFraction: z.number().gt(0).lt(1).default(0.1),
    sessionGapMs: z.number().positive().default(DEFAULT_SESSION_GAP_MS),
    /** Exclude items the user already interacted with (standard for MovieLens, not for shops). */
    excludeSeen: z.boolean().default(false),
    /** Evaluate a seeded random sample of at most this many users per stage (null = all). */
    maxCases: z.number().int().positive().nullable().default(null),
    seed: z.number().int().default(42),
  })
  .strict();
export type UserTemporalConfig = z.infer<typeof UserTemporalConfigSchema>;

function sample(cases: EvalCase[], max: number | null, rng: Rng): EvalCase[] {
  if (max === null || cases.length <= max) return cases;
  const idx = rng.shuffle(Int32Array.from(cases.keys())).subarray(0, max).sort();
  return Array.from(idx, (i) => cases[i]);
}

function stage(
  ds: Dataset,
  rows: Int32Array,
  from: number,
  to: number,
  tag: string,
  cfg: UserTemporalConfig,
): ProtocolStage & { dropped: number } {
  const train = buildTrainData(ds, rows, from, { sessionGapMs: cfg.sessionGapMs, splitTag: tag });
  const uc = buildUserCases(ds.events, from, to, train.maps, {
    excludeSeen: cfg.excludeSeen,
    sessionGapMs: cfg.sessionGapMs,
  });
  const rng = new Rng(cfg.seed);
  const cases = sample(uc.all, cfg.maxCases, rng);
  // Breakdowns by target event type use the same sampled users.
  const chosen = new Set(cases.map((c) => c.query));
  const breakdowns: Record<string, EvalCase[]> = {};
  for (const [name, list] of Object.entries(uc.byEvent)) {
    const kept = list.filter((c) => chosen.has(c.query));
    if (kept.length > 0 && name !== 'view') breakdowns[`target=${name}`] = kept;
  }
  return { train, cases, breakdowns, from, to, dropped: uc.droppedNoKnownTarget };
}

export function prepareUserTemporal(protocol: 'p1' | 'p3', ds: Dataset, raw: unknown): PreparedProtocol {
  const cfg = UserTemporalConfigSchema.parse(raw ?? {});
  if (ds.events.length < 10) {
    throw new RecError(
      'DATA_INVALID',
      `Protocol ${protocol} needs at least 10 events; the data set has ${ds.events.length}`,
    );
  }
  const split = trainValidTestSplit(ds.events, {
    testFraction: cfg.testFraction,
    validFraction: cfg.validFraction,
  });
  const end = ds.events.ts[ds.events.length - 1] + 1;
  const tag = `${protocol}:test=${cfg.testFraction},valid=${cfg.validFraction}`;
  const validation = stage(ds, split.trainRows, split.validCut, split.testCut, `${tag}:validation`, cfg);
  const trainAll = Int32Array.from([...split.trainRows, ...split.validRows]).sort();
  const test = stage(ds, trainAll, split.testCut, end, `${tag}:test`, cfg);
  if (test.cases.length === 0) {
    throw new RecError(
      'DATA_INVALID',
      `Protocol ${protocol}: no test user has a target item known at training time; use more data or a larger testFraction`,
    );
  }
  const iso = (t: number): string => new Date(t).toISOString().slice(0, 10);
  return {
    protocol,
    description:
      `${protocol.toUpperCase()} user-level temporal: train < ${iso(split.testCut)}, test ${iso(split.testCut)}..${iso(end - 1)}; ` +
      `${test.cases.length} test users, full ranking over ${test.train.data.nItems} items known at training time` +
      (cfg.excludeSeen ? ', seen items excluded' : ', seen items kept as candidates'),
    dataset: ds.meta,
    config: cfg,
    validation,
    test,
    counts: {
      testUsers: test.cases.length,
      validationUsers: validation.cases.length,
      testUsersWithoutKnownTarget: test.dropped,
      trainEvents: test.train.data.events.length,
      items: test.train.data.nItems,
    },
  };
}
