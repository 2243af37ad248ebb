/**
 * The synthetic RetailRocket generator: writes `events.csv`, `item_properties_part1.csv`,
 * `item_properties_part2.csv`, `category_tree.csv` in the official formats plus a
 * `synthetic.json` marker that loaders use to label the data as synthetic.
 * Deterministic from the seed (one seeded `Rng`, no clock, no machine dependence).
 * Cost: O(events · log items) time, ~5 typed arrays of the event count in memory. Measured on
 * this project's 2-core machine (Node 20): `full` (2.76 M events, 180 MB of files) ≈ 19 s and
 * ≈ 310 MB peak RSS; `small` ≈ 1 s; `tiny` ≈ 0.1 s.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecError } from '../../core/errors.js';
import type { ProgressFn } from '../../core/progress.js';
import { Rng } from '../../core/rng.js';
import type { EventTotals } from '../stats.js';
import { buildCatalogue } from './catalogue.js';
import { TREE_SIZE, buildCategoryTree } from './category-tree.js';
import { RETAILROCKET_END_MS, RETAILROCKET_START_MS } from './official.js';
import { planSessions } from './plan.js';
import { permutation } from './sampling.js';
import { SYNTHETIC_SCALES, type SyntheticScale, scaleTargets } from './scales.js';
import { simulate } from './simulate.js';
import { writeCategoryTree, writeEvents, writeProperties } from './write-files.js';

/** Name written into `synthetic.json`; loaders check it. */
export const SYNTHETIC_GENERATOR = 'funnelrec-synthetic';
/** Bumped whenever the same seed would produce different files. */
export const SYNTHETIC_VERSION = 1;
export const SYNTHETIC_MARKER_FILE = 'synthetic.json';

export interface SyntheticOptions {
  scale: SyntheticScale;
  seed: number;
  /** Directory to write into (created when missing; existing files are overwritten). */
  outDir: string;
  onProgress?: ProgressFn;
}

/** Counts of what was written (also stored in `synthetic.json`). */
export interface SyntheticCounts extends EventTotals {
  itemsInEvents: number;
  itemsInProperties: number;
  categoriesInTree: number;
  categoriesWithItems: number;
  propertyRows: number;
}

/** Content of `synthetic.json`. */
export interface SyntheticMarker {
  generator: typeof SYNTHETIC_GENERATOR;
  version: number;
  scale: SyntheticScale;
  seed: number;
  counts: SyntheticCounts;
  firstEventMs: number;
  lastEventMs: number;
}

export interface SyntheticSummary extends SyntheticMarker {
  outDir: string;
  files: string[];
}

/** Generates a synthetic RetailRocket-format data set into `opts.outDir`. */
export async function generateSynthetic(opts: SyntheticOptions): Promise<SyntheticSummary> {
  if (!SYNTHETIC_SCALES.includes(opts.scale)) {
    throw new RecError(
      'CONFIG_INVALID',
      `Unknown synthetic scale "${String(opts.scale)}": use one of ${SYNTHETIC_SCALES.join(', ')}`,
    );
  }
  if (!Number.isInteger(opts.seed))
    throw new RecError('CONFIG_INVALID', `Synthetic seed must be an integer, got ${opts.seed}`);
  const progress = opts.onProgress ?? (() => {});
  const t = scaleTargets(opts.scale);
  const rng = new Rng(opts.seed);
  const task = `generate synthetic ${opts.scale}`;
  progress({ task, done: 0, total: 5, unit: 'steps' });
  const tree = buildCategoryTree(rng.fork(), t.populatedCategories);
  const cat = buildCatalogue(rng.fork(), tree, t.itemsInEvents, t.catalogue);
  progress({ task, done: 1, total: 5, unit: 'steps' });
  const plan = planSessions(rng.fork(), t);
  progress({ task, done: 2, total: 5, unit: 'steps' });
  const ev = simulate(rng.fork(), plan, cat, tree, (done) =>
    progress({ task: 'simulate visitors', done, total: plan.nVisitors, unit: 'visitors' }),
  );
  progress({ task, done: 3, total: 5, unit: 'steps' });
  const rawVisitor = permutation(rng.fork(), plan.nVisitors);
  mkdirSync(opts.outDir, { recursive: true });
  const nEvents = writeEvents(opts.outDir, ev, rawVisitor, cat);
  writeCategoryTree(opts.outDir, tree, rng.fork());
  progress({ task, done: 4, total: 5, unit: 'steps' });
  const [p1, p2] = writeProperties(opts.outDir, rng.fork(), cat, tree);
  const marker = buildMarker(opts, ev, plan.nVisitors, cat.nItems, tree.populated.length, p1 + p2, nEvents);
  writeFileSync(join(opts.outDir, SYNTHETIC_MARKER_FILE), JSON.stringify(marker, null, 2) + '\n');
  progress({ task, done: 5, total: 5, unit: 'steps' });
  const files = [
    'events.csv',
    'item_properties_part1.csv',
    'item_properties_part2.csv',
    'category_tree.csv',
    SYNTHETIC_MARKER_FILE,
  ];
  return { ...marker, outDir: opts.outDir, files: files.map((f) => join(opts.outDir, f)) };
}

function buildMarker(
  opts: SyntheticOptions,
  ev: ReturnType<typeof simulate>,
  visitors: number,
  nItems: number,
  populated: number,
  propertyRows: number,
  nEvents: number,
): SyntheticMarker {
  const c = [0, 0, 0];
  const seenItem = new Uint8Array(nItems);
  let itemsInEvents = 0;
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < ev.length; i++) {
    c[ev.event[i]]++;
    if (seenItem[ev.item[i]] === 0) {
      seenItem[ev.item[i]] = 1;
      itemsInEvents++;
    }
    if (ev.ts[i] < first) first = ev.ts[i];
    if (ev.ts[i] > last) last = ev.ts[i];
  }
  if (first < RETAILROCKET_START_MS || last > RETAILROCKET_END_MS) {
    throw new RecError(
      'NUMERIC',
      `Synthetic events fall outside the RetailRocket date range: ${first}..${last}`,
    );
  }
  return {
    generator: SYNTHETIC_GENERATOR,
    version: SYNTHETIC_VERSION,
    scale: opts.scale,
    seed: opts.seed,
    counts: {
      events: nEvents,
      view: c[0],
      addtocart: c[1],
      transaction: c[2],
      transactions: ev.nTransactions,
      visitors,
      itemsInEvents,
      itemsInProperties: nItems,
      categoriesInTree: TREE_SIZE,
      categoriesWithItems: populated,
      propertyRows,
    },
    firstEventMs: first,
    lastEventMs: last,
  };
}
