/**
 * Online state of the serving process: each user's recent history (external ids, time order, the
 * last `maxHistory` events) and a columnar record of every event seen, for funnel statistics.
 * Built at start from an optional seed data set plus a replay of the durable event log, then
 * updated by every accepted event, so the next recommendation reflects it at once.
 */
import { EVENT_TYPES, type EventCodeValue } from '../../core/events.js';
import { funnelStage, type FunnelStage } from '../../data/processing/funnel.js';
import type { Dataset } from '../../data/dataset.js';

/** One event as the API knows it (external ids). */
export interface OnlineEvent {
  readonly userId: string;
  readonly itemId: string;
  readonly event: EventCodeValue;
  /** Epoch ms. */
  readonly ts: number;
}

/** A user's recent history, oldest first. `version` counts every event ever applied to the user. */
export interface UserHistory {
  readonly items: string[];
  readonly events: number[];
  readonly ts: number[];
  version: number;
}

export interface FunnelCounts {
  from: number | null;
  to: number | null;
  events: Record<'view' | 'addtocart' | 'transaction', number>;
  users: Record<'any' | 'view' | 'addtocart' | 'transaction', number>;
  rates: { view_to_cart: number | null; cart_to_purchase: number | null; view_to_purchase: number | null };
}

class Growable<T extends Float64Array | Int32Array | Uint8Array> {
  length = 0;
  constructor(public data: T) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new (this.data.constructor as new (n: number) => T)(Math.max(1024, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

export class OnlineState {
  private readonly users = new Map<string, UserHistory>();
  private readonly userIndex = new Map<string, number>();
  private readonly colTs = new Growable(new Float64Array(1024));
  private readonly colUser = new Growable(new Int32Array(1024));
  private readonly colEvent = new Growable(new Uint8Array(1024));

  constructor(readonly maxHistory = 100) {}

  /** Number of users with a history. */
  get userCount(): number {
    return this.users.size;
  }

  /** Number of events recorded (seed + log + live). */
  get eventCount(): number {
    return this.colTs.length;
  }

  history(userId: string): UserHistory | undefined {
    return this.users.get(userId);
  }

  /** Records one event: the user's history (kept in time order, capped) and the stats columns. */
  apply(e: OnlineEvent): void {
    let h = this.users.get(e.userId);
    if (!h) {
      h = { items: [], events: [], ts: [], version: 0 };
      this.users.set(e.userId, h);
    }
    // Insert in time order (late events are rare: scan back from the end).
    let pos = h.ts.length;
    while (pos > 0 && h.ts[pos - 1] > e.ts) pos--;
    h.items.splice(pos, 0, e.itemId);
    h.events.splice(pos, 0, e.event);
    h.ts.splice(pos, 0, e.ts);
    if (h.ts.length > this.maxHistory) {
      const drop = h.ts.length - this.maxHistory;
      h.items.splice(0, drop);
      h.events.splice(0, drop);
      h.ts.splice(0, drop);
    }
    h.version++;
    let u = this.userIndex.get(e.userId);
    if (u === undefined) {
      u = this.userIndex.size;
      this.userIndex.set(e.userId, u);
    }
    this.colTs.push(e.ts);
    this.colUser.push(u);
    this.colEvent.push(e.event);
  }

  /** Seeds the state with every event of a data set (histories keep their last `maxHistory`). */
  seed(ds: Dataset): void {
    const ev = ds.events;
    for (let r = 0; r < ev.length; r++) {
      this.apply({
        userId: ds.users.id(ev.user[r]),
        itemId: ds.items.id(ev.item[r]),
        event: ev.event[r] as EventCodeValue,
        ts: ev.ts[r],
      });
    }
  }

  /** The shared funnel stage of a user at time `now`, events at `now` included (`cold` without history). */
  stage(userId: string, now: number): FunnelStage {
    const h = this.users.get(userId);
    return h ? historyStage(h, now) : 'cold';
  }

  /**
   * Funnel counts over events with `from ≤ ts < to` (null = unbounded): events per type, distinct
   * users per type, and the rates between the distinct-user counts. O(events) per call.
   */
  funnel(from: number | null, to: number | null): FunnelCounts {
    const n = this.colTs.length;
    const ts = this.colTs.data;
    const user = this.colUser.data;
    const event = this.colEvent.data;
    const lo = from ?? -Infinity;
    const hi = to ?? Infinity;
    const seen = new Uint8Array(this.userIndex.size); // bit t = user had event type t; bit 3 = any
    const evCount = [0, 0, 0];
    const userCount = [0, 0, 0, 0];
    for (let r = 0; r < n; r++) {
      const t = ts[r];
      if (t < lo || t >= hi) continue;
      const e = event[r];
      evCount[e]++;
      const u = user[r];
      const bits = seen[u];
      if ((bits & (1 << e)) === 0) userCount[e]++;
      if ((bits & 8) === 0) userCount[3]++;
      seen[u] = bits | (1 << e) | 8;
    }
    const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
    return {
      from,
      to,
      events: { view: evCount[0], addtocart: evCount[1], transaction: evCount[2] },
      users: { any: userCount[3], view: userCount[0], addtocart: userCount[1], transaction: userCount[2] },
      rates: {
        view_to_cart: ratio(userCount[1], userCount[0]),
        cart_to_purchase: ratio(userCount[2], userCount[1]),
        view_to_purchase: ratio(userCount[2], userCount[0]),
      },
    };
  }
}

/**
 * Funnel stage at time `now` of a history in external ids through THE shared `funnelStage` (items
 * interned locally). `funnelStage` looks at events strictly before its `asOf`; an event posted at
 * `now` must count, so it is asked as of `now + 1` ms.
 */
export function historyStage(
  h: { items: readonly string[]; events: readonly number[]; ts: readonly number[] },
  now: number,
): FunnelStage {
  const n = h.ts.length;
  const intern = new Map<string, number>();
  const items = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let v = intern.get(h.items[i]);
    if (v === undefined) intern.set(h.items[i], (v = intern.size));
    items[i] = v;
  }
  return funnelStage({ events: Uint8Array.from(h.events), ts: Float64Array.from(h.ts), items }, now + 1);
}

/** `view` → 0 etc.; the API's event names are the data's. */
export const EVENT_NAMES = EVENT_TYPES;
