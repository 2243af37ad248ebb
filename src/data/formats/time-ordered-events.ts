import { allocEvents, type EventTable } from '../../core/events.js';
import { IdMap } from '../../core/ids.js';
import { stableOrderByTime } from '../csv/stable-order.js';

/** An event table in time order with the id maps of its users and items. */
export interface TimeOrderedEvents {
  events: EventTable;
  users: IdMap;
  items: IdMap;
  /** `order[r]` is the input row of event r: copy further columns with it. */
  order: Int32Array;
}

/**
 * The rows of a loaded file (epoch-ms `ts`, external `user` and `item` ids, in file order) as an
 * `EventTable` in time order, ties in file order; users and items are numbered by first appearance
 * in that order. Fills `ts`, `user` and `item` only (the rest keeps `allocEvents` defaults).
 * Cost: O(n) (radix sort) plus one map look-up per id.
 */
export function timeOrderedEvents(
  ts: Float64Array,
  user: readonly string[],
  item: readonly string[],
): TimeOrderedEvents {
  const order = stableOrderByTime(ts);
  const events = allocEvents(order.length);
  const users = new IdMap();
  const items = new IdMap();
  for (let r = 0; r < order.length; r++) {
    const k = order[r];
    events.ts[r] = ts[k];
    events.user[r] = users.add(user[k]);
    events.item[r] = items.add(item[k]);
  }
  return { events, users, items, order };
}
