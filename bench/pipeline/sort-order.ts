/**
 * Measures the two ways to order rows by (user, ts) at full scale: the stable counting sort by user
 * over time-sorted rows that `sessionize` uses, and `Int32Array.prototype.sort` with a comparator.
 *   npx tsx bench/pipeline/sort-order.ts [--dir /tmp/synthetic-full]
 */
import { parseArgs } from 'node:util';
import { groupByKey, keyCount, timeOrder } from '../../src/data/processing/order.js';
import { loadRetailRocket } from '../../src/data/retailrocket/load-retailrocket.js';

const { values } = parseArgs({ options: { dir: { type: 'string', default: '/tmp/synthetic-full' } } });
const ev = (await loadRetailRocket(values.dir!)).events;
const time = (f: () => unknown): number => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};
let counting: Int32Array = new Int32Array(0);
let comparator: Int32Array = new Int32Array(0);
const tCount = time(() => {
  counting = groupByKey(timeOrder(ev.ts), ev.user, keyCount(ev.user)).sorted;
});
const tCmp = time(() => {
  comparator = new Int32Array(ev.length);
  for (let i = 0; i < ev.length; i++) comparator[i] = i;
  comparator.sort((a, b) => ev.user[a] - ev.user[b] || ev.ts[a] - ev.ts[b] || a - b);
});
let same = counting.length === comparator.length;
for (let i = 0; same && i < counting.length; i++) same = counting[i] === comparator[i];
console.log(
  `${ev.length} rows: counting sort ${tCount.toFixed(0)} ms, Int32Array.sort(comparator) ${tCmp.toFixed(0)} ms, ratio ${(tCmp / tCount).toFixed(1)}x, identical order: ${same}`,
);
