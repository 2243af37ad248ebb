/**
 * Turns the training rows of a data set into the model's `TrainData`, re-indexed so that the
 * catalogue is exactly the items known at training time (full ranking is over them, never over
 * items first seen after the cut) and users are those with training events.
 */
import { takeEvents } from '../../core/events.js';
import type { Dataset } from '../../data/dataset.js';
import { sessionize } from '../../data/processing/sessions.js';
import type { TrainData } from '../../models/types.js';

export interface IndexMaps {
  /** Train user index → data set user index. */
  userToDataset: Int32Array;
  /** Train item index → data set item index. */
  itemToDataset: Int32Array;
  /** Data set user index → train user index, or -1. */
  userFromDataset: Int32Array;
  /** Data set item index → train item index, or -1. */
  itemFromDataset: Int32Array;
}

export interface TrainSplit {
  data: TrainData;
  maps: IndexMaps;
  /** Plain interaction count of each train item (for the novelty and popularity list metrics). */
  itemCount: Float64Array;
}

export interface TrainDataOptions {
  sessionGapMs?: number;
  collapseRepeats?: boolean;
  /** Description of the split, appended to the data set fingerprint. */
  splitTag: string;
}

function denseMap(present: Uint8Array): { to: Int32Array; from: Int32Array } {
  let n = 0;
  for (let i = 0; i < present.length; i++) if (present[i]) n++;
  const to = new Int32Array(n);
  const from = new Int32Array(present.length).fill(-1);
  let k = 0;
  for (let i = 0; i < present.length; i++) {
    if (present[i]) {
      to[k] = i;
      from[i] = k++;
    }
  }
  return { to, from };
}

/** Builds TrainData from `rows` (all with ts < cutTime) of `ds`. */
export function buildTrainData(
  ds: Dataset,
  rows: Int32Array,
  cutTime: number,
  opts: TrainDataOptions,
): TrainSplit {
  const src = ds.events;
  const userSeen = new Uint8Array(ds.users.size);
  const itemSeen = new Uint8Array(ds.items.size);
  for (let r = 0; r < rows.length; r++) {
    userSeen[src.user[rows[r]]] = 1;
    itemSeen[src.item[rows[r]]] = 1;
  }
  const users = denseMap(userSeen);
  const items = denseMap(itemSeen);
  const ordered = Int32Array.from(rows).sort();
  const events = takeEvents(src, ordered);
  const itemCategory = new Int32Array(items.to.length).fill(-1);
  const itemCount = new Float64Array(items.to.length);
  for (let r = 0; r < events.length; r++) {
    events.user[r] = users.from[events.user[r]];
    const it = items.from[events.item[r]];
    events.item[r] = it;
    itemCount[it]++;
    // Rows are in time order, so the last known category wins: the category as of the cut.
    if (events.category[r] >= 0) itemCategory[it] = events.category[r];
  }
  const given = ds.session ? Int32Array.from(ordered, (r) => ds.session![r]) : undefined;
  const sessions = sessionize(events, {
    gapMs: opts.sessionGapMs,
    collapseRepeats: opts.collapseRepeats,
    given,
  });
  const data: TrainData = {
    nUsers: users.to.length,
    nItems: items.to.length,
    events,
    sessions,
    itemCategory,
    cutTime,
    synthetic: ds.meta.synthetic,
    fingerprint: `${ds.meta.fingerprint}/${opts.splitTag}`,
  };
  return {
    data,
    maps: {
      userToDataset: users.to,
      itemToDataset: items.to,
      userFromDataset: users.from,
      itemFromDataset: items.from,
    },
    itemCount,
  };
}
