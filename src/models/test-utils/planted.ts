/**
 * Small training sets with a planted structure, for the model contract suite.
 * Two user groups (A: two thirds of users, B: one third) each interact only with their own half of the catalogue; inside each half
 * item popularity falls off (item 0 of a half is the most popular). Every user's events form one
 * session, in time order.
 */
import { allocEvents } from '../../core/events.js';
import { Rng } from '../../core/rng.js';
import type { Query, SessionIndex, TrainData } from '../types.js';

export interface PlantedData {
  data: TrainData;
  /** Group (0 or 1) of each user. */
  userGroup: Int32Array;
  /** Group (0 or 1) of each item. */
  itemGroup: Int32Array;
  /** Query of each user from their own training history. */
  queries: Query[];
}

export function plantedData(
  opts: { nUsers?: number; nItems?: number; perUser?: number; seed?: number } = {},
): PlantedData {
  const nUsers = opts.nUsers ?? 60;
  const nItems = opts.nItems ?? 40;
  const perUser = opts.perUser ?? 8;
  const rng = new Rng(opts.seed ?? 7);
  const half = nItems / 2;
  const n = nUsers * perUser;
  const ev = allocEvents(n);
  const userGroup = new Int32Array(nUsers);
  const itemGroup = new Int32Array(nItems);
  for (let i = 0; i < nItems; i++) itemGroup[i] = i < half ? 0 : 1;
  const t0 = Date.UTC(2015, 5, 1);
  let r = 0;
  for (let u = 0; u < nUsers; u++) {
    userGroup[u] = u % 3 === 2 ? 1 : 0; // group 0 holds two thirds of the users
    for (let j = 0; j < perUser; j++) {
      // Zipf-like choice inside the user's half: P(k) ∝ 1/(k+1).
      let k = 0;
      const x = rng.next() * Math.log(half + 1);
      k = Math.min(half - 1, Math.floor(Math.exp(x)) - 1);
      ev.user[r] = u;
      ev.item[r] = userGroup[u] * half + k;
      ev.event[r] = j === perUser - 1 && u % 3 === 0 ? 1 : 0;
      ev.category[r] = userGroup[u];
      ev.ts[r] = t0 + u * 3_600_000 + j * 60_000;
      r++;
    }
  }
  const offsets = new Int32Array(nUsers + 1);
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  for (let u = 0; u <= nUsers; u++) offsets[u] = u * perUser;
  const sessions: SessionIndex = { offsets, rows, user: Int32Array.from({ length: nUsers }, (_, u) => u) };
  const itemCategory = Int32Array.from(itemGroup);
  const data: TrainData = {
    nUsers,
    nItems,
    events: ev,
    sessions,
    itemCategory,
    cutTime: t0 + nUsers * 3_600_000,
    synthetic: true,
    fingerprint: 'planted',
  };
  const queries: Query[] = [];
  for (let u = 0; u < nUsers; u++) {
    const s = u * perUser;
    queries.push({
      user: u,
      items: ev.item.slice(s, s + perUser),
      events: ev.event.slice(s, s + perUser),
      ts: ev.ts.slice(s, s + perUser),
      sessionStart: 0,
      time: data.cutTime,
    });
  }
  return { data, userGroup, itemGroup, queries };
}
