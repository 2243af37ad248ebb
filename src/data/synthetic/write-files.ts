/**
 * Writers of the four RetailRocket files. Rows are built into ~1 MB strings and written with
 * `fs.writeSync`, which keeps memory flat and output byte-identical for a given seed.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Rng } from '../../core/rng.js';
import { EVENT_TYPES } from '../../core/events.js';
import { stableOrderByTime } from '../csv/stable-order.js';
import { type Catalogue, N_WEEKS, WEEK_MS } from './catalogue.js';
import type { CategoryTree } from './category-tree.js';
import { RETAILROCKET_START_MS } from './official.js';
import { permutation } from './sampling.js';
import type { SimulatedEvents } from './simulate.js';

const CHUNK = 1 << 20;

/** Appends lines to a file through a string buffer. */
class LineWriter {
  private readonly fd: number;
  private buf: string[] = [];
  private size = 0;
  rows = 0;
  constructor(path: string, header: string) {
    this.fd = openSync(path, 'w');
    this.line(header);
    this.rows = 0;
  }
  line(s: string): void {
    this.buf.push(s);
    this.size += s.length + 1;
    this.rows++;
    if (this.size >= CHUNK) this.flush();
  }
  private flush(): void {
    if (this.buf.length > 0) writeSync(this.fd, this.buf.join('\n') + '\n');
    this.buf = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Writes `events.csv` in time order; returns the number of rows. */
export function writeEvents(
  dir: string,
  ev: SimulatedEvents,
  rawVisitor: Int32Array,
  cat: Catalogue,
): number {
  const w = new LineWriter(join(dir, 'events.csv'), 'timestamp,visitorid,event,itemid,transactionid');
  const order = stableOrderByTime(ev.ts);
  for (let p = 0; p < order.length; p++) {
    const i = order[p];
    const tx = ev.transaction[i] >= 0 ? String(ev.transaction[i]) : '';
    w.line(
      `${ev.ts[i]},${rawVisitor[ev.visitor[i]]},${EVENT_TYPES[ev.event[i]]},${cat.rawItemId[ev.item[i]]},${tx}`,
    );
  }
  w.close();
  return w.rows;
}

/** Writes `category_tree.csv` in a random row order (roots with an empty parent). */
export function writeCategoryTree(dir: string, tree: CategoryTree, rng: Rng): number {
  const w = new LineWriter(join(dir, 'category_tree.csv'), 'categoryid,parentid');
  const order = permutation(rng, tree.rawId.length);
  for (const n of order) {
    const p = tree.parent[n];
    w.line(`${tree.rawId[n]},${p >= 0 ? tree.rawId[p] : ''}`);
  }
  w.close();
  return w.rows;
}

/**
 * Writes the weekly property snapshots, keeping only changes like the official files: in the first
 * week `categoryid`, `available` and a price-like property `790` (`n<amount>.000`) per item, then a
 * row only when availability or price changed. Items of the first half go to part 1.
 */
export function writeProperties(dir: string, rng: Rng, cat: Catalogue, tree: CategoryTree): [number, number] {
  const rows: [number, number] = [0, 0];
  const half = Math.ceil(cat.nItems / 2);
  for (let part = 0; part < 2; part++) {
    const w = new LineWriter(
      join(dir, `item_properties_part${part + 1}.csv`),
      'timestamp,itemid,property,value',
    );
    const lo = part === 0 ? 0 : half;
    const hi = part === 0 ? half : cat.nItems;
    for (let i = lo; i < hi; i++) {
      const id = cat.rawItemId[i];
      let price = cat.price[i];
      for (let k = 0; k < N_WEEKS; k++) {
        const ts = RETAILROCKET_START_MS + k * WEEK_MS;
        const a = cat.avail[i * N_WEEKS + k];
        if (k === 0) {
          w.line(`${ts},${id},categoryid,${tree.rawId[tree.populated[cat.itemCat[i]]]}`);
          w.line(`${ts},${id},available,${a}`);
          w.line(`${ts},${id},790,n${price}.000`);
          continue;
        }
        if (a !== cat.avail[i * N_WEEKS + k - 1]) w.line(`${ts},${id},available,${a}`);
        if (rng.next() < 0.03) {
          price = Math.max(10, Math.round((price * (0.8 + 0.3 * rng.next())) / 10) * 10);
          w.line(`${ts},${id},790,n${price}.000`);
        }
      }
    }
    w.close();
    rows[part] = w.rows;
  }
  return rows;
}
