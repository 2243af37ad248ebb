/** The TypeScript pipeline: load → clean → sessions → split → features, one stage each. */
import type { Dataset } from '../../src/data/dataset.js';
import { cleanEvents } from '../../src/data/processing/clean.js';
import {
  FUNNEL_STAGES,
  itemFeatures,
  sessionFeatures,
  userFeatures,
} from '../../src/data/processing/features.js';
import { sessionize } from '../../src/data/processing/sessions.js';
import { temporalSplit } from '../../src/data/processing/split.js';
import { loadRetailRocket } from '../../src/data/retailrocket/load-retailrocket.js';
import { stage, type StageResult } from './measure.js';

export interface PipelineParams {
  dir: string;
  testFraction: number;
}

/** Runs every stage and returns their measurements. */
export async function runTsPipeline(p: PipelineParams): Promise<StageResult[]> {
  const res: StageResult[] = [];
  const loaded = await stage<Dataset>(
    'load',
    async () => {
      const ds = await loadRetailRocket(p.dir);
      return [ds, { rows: ds.events.length, users: ds.users.size, items: ds.items.size }];
    },
    res,
  );
  const ds = await stage(
    'clean',
    () => {
      const { dataset, report } = cleanEvents(loaded);
      const r = report.removed;
      return [
        dataset,
        {
          rows: report.outputRows,
          duplicates: r.duplicate,
          botVisitors: report.botVisitors,
          botRows: r.botRows,
        },
      ];
    },
    res,
  );
  const ev = ds.events;
  const sessions = await stage(
    'sessions',
    () => {
      const s = sessionize(ev);
      return [s, { sessions: s.offsets.length - 1 }];
    },
    res,
  );
  const split = await stage(
    'split',
    () => {
      const s = temporalSplit(ev, { testFraction: p.testFraction });
      return [s, { cutTime: s.cutTime, train: s.train.length, test: s.test.length }];
    },
    res,
  );
  await stage(
    'features',
    () => {
      const asOf = split.cutTime;
      const uf = userFeatures(ev, asOf, { nUsers: ds.users.size });
      const itf = itemFeatures(ev, asOf, { nItems: ds.items.size, categoryParent: ds.categoryParent });
      const sf = sessionFeatures(ev, sessions, asOf);
      let activeUsers = 0;
      const stages = [0, 0, 0, 0];
      for (let u = 0; u < uf.nUsers; u++) {
        if (uf.events[u] > 0) activeUsers++;
        stages[uf.funnelStage[u]]++;
      }
      let items = 0;
      for (let i = 0; i < itf.nItems; i++) if (itf.popularity[i] > 0) items++;
      let nonEmptySessions = 0;
      for (let s = 0; s < sf.length.length; s++) if (sf.length[s] > 0) nonEmptySessions++;
      const out: Record<string, number> = { activeUsers, items, sessionsBeforeCut: nonEmptySessions };
      FUNNEL_STAGES.forEach((name, k) => {
        if (k > 0) out[name] = stages[k];
      });
      return [null, out];
    },
    res,
  );
  return res;
}
