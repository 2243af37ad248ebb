/**
 * A small seeded shop for the hybrid and explanation tests: users browse items of their favourite
 * category in sessions, sometimes add to cart and buy, and buyers of an item often also buy its
 * "complement" (item + 1 in the same category). Time-sorted events, sessions by user visit.
 */
import { allocEvents } from '../../core/events.js';
import { Rng } from '../../core/rng.js';
import type { SessionIndex, TrainData } from '../types.js';

export function shopData(opts: { nUsers?: number; nItems?: number; seed?: number } = {}): TrainData {
  const nUsers = opts.nUsers ?? 80;
  const nItems = opts.nItems ?? 40;
  const nCat = 4;
  const per = nItems / nCat;
  const rng = new Rng(opts.seed ?? 11);
  const t0 = Date.UTC(2015, 6, 1);
  type Ev = { ts: number; user: number; item: number; event: number; session: number };
  const evs: Ev[] = [];
  let session = 0;
  for (let u = 0; u < nUsers; u++) {
    const cat = u % nCat;
    for (let v = 0; v < 3; v++) {
      let t = t0 + rng.int(20) * 86_400_000 + rng.int(3_600_000);
      const len = 2 + rng.int(4);
      for (let j = 0; j < len; j++) {
        const item = cat * per + Math.min(per - 1, Math.floor(-Math.log(1 - rng.next()) * 2));
        evs.push({ ts: t, user: u, item, event: 0, session });
        t += 60_000;
        if (rng.next() < 0.3) {
          evs.push({ ts: t, user: u, item, event: 1, session });
          t += 60_000;
          if (rng.next() < 0.6) {
            evs.push({ ts: t, user: u, item, event: 2, session });
            t += 60_000;
            const comp = cat * per + ((item - cat * per + 1) % per);
            evs.push({ ts: t, user: u, item: comp, event: 2, session });
            t += 60_000;
          }
        }
      }
      session++;
    }
  }
  evs.sort((a, b) => a.ts - b.ts || a.user - b.user);
  const ev = allocEvents(evs.length);
  evs.forEach((e, r) => {
    ev.ts[r] = e.ts;
    ev.user[r] = e.user;
    ev.item[r] = e.item;
    ev.event[r] = e.event;
    ev.category[r] = Math.floor(e.item / per);
  });
  const bySession: number[][] = Array.from({ length: session }, () => []);
  evs.forEach((e, r) => bySession[e.session].push(r));
  const offsets = new Int32Array(session + 1);
  bySession.forEach((rows, s) => (offsets[s + 1] = offsets[s] + rows.length));
  const sessions: SessionIndex = {
    offsets,
    rows: Int32Array.from(bySession.flat()),
    user: Int32Array.from(bySession, (rows) => evs[rows[0]].user),
  };
  return {
    nUsers,
    nItems,
    events: ev,
    sessions,
    itemCategory: Int32Array.from({ length: nItems }, (_, i) => Math.floor(i / per)),
    cutTime: ev.ts[ev.length - 1] + 1,
    synthetic: true,
    fingerprint: 'shop-test',
  };
}
