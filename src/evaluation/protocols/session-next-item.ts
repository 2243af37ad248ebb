/**
 * P2 session next-item (`SESSION_BENCHMARK.md`): each test session i1…in gives the cases
 * prefix i1..ik → target i(k+1) for k = 2 … n−1. Full ranking over the training catalogue, no
 * masking of items already in the session. Model selection uses the same expansion on a validation
 * tail of the training sessions (the last `validFraction` of them by start time), never the test set.
 *
 * Sessions come from the source when it defines them (the benchmark's `session` column and fixed
 * split); otherwise from time gaps, with test = sessions starting after the `testFraction` time cut.
 */
import { z } from 'zod';
import { RecError } from '../../core/errors.js';
import type { Dataset } from '../../data/dataset.js';
import { DEFAULT_SESSION_GAP_MS, sessionize } from '../../data/processing/sessions.js';
import { temporalSplit } from '../../data/processing/split.js';
import type { SessionIndex } from '../../models/types.js';
import type { EvalCase } from '../types.js';
import type { PreparedProtocol, ProtocolStage } from './protocol.js';
import { buildTrainData, type IndexMaps } from './train-data.js';

export const SessionConfigSchema = z
  .object({
    validFraction: z.number().gt(0).lt(1).default(0.1),
    /** Used only when the source has no fixed split. */
    testFraction: z.number().gt(0).lt(1).default(0.1),
    sessionGapMs: z.number().positive().default(DEFAULT_SESSION_GAP_MS),
  })
  .strict();
export type SessionConfig = z.infer<typeof SessionConfigSchema>;

function prefixBucket(k: number): string {
  return k <= 2 ? '2' : k <= 5 ? '3-5' : k <= 10 ? '6-10' : '>10';
}

/** Expands sessions (lists of rows, time order) into prefix → next-item cases. */
export function sessionCases(ds: Dataset, sessions: readonly Int32Array[], maps: IndexMaps): EvalCase[] {
  const ev = ds.events;
  const cases: EvalCase[] = [];
  for (const rows of sessions) {
    // Items unknown to training are removed from the session first (as the benchmark does).
    const kept = Array.from(rows).filter((r) => maps.itemFromDataset[ev.item[r]] >= 0);
    const items = Int32Array.from(kept, (r) => maps.itemFromDataset[ev.item[r]]);
    const events = Uint8Array.from(kept, (r) => ev.event[r]);
    const ts = Float64Array.from(kept, (r) => ev.ts[r]);
    for (let k = 2; k <= items.length - 1; k++) {
      cases.push({
        query: {
          user: -1,
          items: items.subarray(0, k),
          events: events.subarray(0, k),
          ts: ts.subarray(0, k),
          sessionStart: 0,
          time: ts[k - 1],
        },
        targets: Int32Array.of(items[k]),
        groups: { prefix: prefixBucket(k) },
      });
    }
  }
  return cases;
}

function sessionRows(s: SessionIndex): Int32Array[] {
  const out: Int32Array[] = [];
  for (let i = 0; i + 1 < s.offsets.length; i++) out.push(s.rows.subarray(s.offsets[i], s.offsets[i + 1]));
  return out;
}

function flatRows(list: readonly Int32Array[]): Int32Array {
  const n = list.reduce((a, r) => a + r.length, 0);
  const out = new Int32Array(n);
  let k = 0;
  for (const r of list) {
    out.set(r, k);
    k += r.length;
  }
  return out.sort();
}

function stage(
  ds: Dataset,
  train: Int32Array[],
  evalSessions: Int32Array[],
  tag: string,
  cfg: SessionConfig,
): ProtocolStage {
  const rows = flatRows(train);
  const ev = ds.events;
  const cut = rows.length ? ev.ts[rows[rows.length - 1]] + 1 : 0;
  const from = evalSessions.length ? Math.min(...evalSessions.map((r) => ev.ts[r[0]])) : cut;
  const split = buildTrainData(ds, rows, Math.max(cut, from), {
    sessionGapMs: cfg.sessionGapMs,
    splitTag: tag,
  });
  return {
    train: split,
    cases: sessionCases(ds, evalSessions, split.maps),
    breakdowns: {},
    from,
    to: Infinity,
  };
}

export function prepareSessionNextItem(ds: Dataset, raw: unknown): PreparedProtocol {
  const cfg = SessionConfigSchema.parse(raw ?? {});
  const all = sessionRows(sessionize(ds.events, { gapMs: cfg.sessionGapMs, given: ds.session }));
  let train: Int32Array[];
  let test: Int32Array[];
  if (ds.predefinedSplit) {
    const limit = ds.predefinedSplit.trainRows;
    train = all.filter((r) => r[0] < limit);
    test = all.filter((r) => r[0] >= limit);
  } else {
    const { cutTime } = temporalSplit(ds.events, { testFraction: cfg.testFraction });
    // A session belongs to test when it starts at or after the cut; training keeps only sessions
    // that end before it, so no training event is from the test period.
    train = all.filter((r) => ds.events.ts[r[r.length - 1]] < cutTime);
    test = all.filter((r) => ds.events.ts[r[0]] >= cutTime);
  }
  if (train.length < 10 || test.length === 0) {
    throw new RecError(
      'DATA_INVALID',
      `Protocol p2 needs sessions on both sides of the split (train ${train.length}, test ${test.length})`,
    );
  }
  // Sessions are ordered by start time (sessionize); the validation tail is the last ones.
  const nValid = Math.max(1, Math.round(train.length * cfg.validFraction));
  const validation = stage(
    ds,
    train.slice(0, train.length - nValid),
    train.slice(train.length - nValid),
    'p2:validation',
    cfg,
  );
  const testStage = stage(
    ds,
    train,
    test,
    ds.predefinedSplit ? 'p2:predefined' : `p2:test=${cfg.testFraction}`,
    cfg,
  );
  return {
    protocol: 'p2',
    description:
      `P2 session next-item: ${train.length} training sessions, ${test.length} test sessions → ` +
      `${testStage.cases.length} prefix→next cases, full ranking over ${testStage.train.data.nItems} items` +
      (ds.predefinedSplit ? ' (split fixed by the source)' : ''),
    dataset: ds.meta,
    config: cfg,
    validation,
    test: testStage,
    counts: {
      trainSessions: train.length,
      testSessions: test.length,
      testCases: testStage.cases.length,
      validationCases: validation.cases.length,
    },
  };
}
