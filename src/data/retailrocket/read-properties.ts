import { forEachRawCsvRow } from '../csv/csv-rows.js';
import { bytesEqual, excerpt, parseUnsigned } from '../csv/fields.js';
import { GrowableF64, GrowableI32 } from '../csv/growable.js';
import type { ForEachLineOptions } from '../csv/line-reader.js';
import type { BadRowPolicy } from '../dataset.js';

export const PROPERTIES_HEADER = 'timestamp,itemid,property,value';

/** Property kinds kept from the item snapshots. */
export const PropertyKind = { category: 0, available: 1 } as const;

/** The kept snapshot rows (`categoryid` and `available`), in file order. */
export interface PropertySnapshots {
  length: number;
  ts: Float64Array;
  /** Raw item id. */
  item: Float64Array;
  /** `PropertyKind`. */
  kind: Uint8Array;
  /** Category id, or availability 0/1. */
  value: Int32Array;
}

const CATEGORY = Buffer.from('categoryid');
const AVAILABLE = Buffer.from('available');

/** Accumulates the kept rows of one or more property files. */
export class SnapshotCollector {
  readonly ts = new GrowableF64(1 << 16);
  readonly item = new GrowableF64(1 << 16);
  readonly kind = new GrowableI32(1 << 16);
  readonly value = new GrowableI32(1 << 16);

  result(): PropertySnapshots {
    return {
      length: this.ts.length,
      ts: this.ts.toArray(),
      item: this.item.toArray(),
      kind: Uint8Array.from(this.kind.toArray()),
      value: this.value.toArray(),
    };
  }
}

/**
 * Streams one `item_properties_part*.csv` (`timestamp,itemid,property,value`) and keeps only the
 * `categoryid` and `available` rows of the items for which `wanted(rawItemId)` is true. Every row
 * is validated (4+ columns, integer timestamp and item id; the kept values must be integers, and
 * 0/1 for `available`); the value of other properties may hold anything, commas included.
 *
 * @returns the number of skipped rows.
 */
export async function readPropertiesCsv(
  path: string,
  into: SnapshotCollector,
  wanted: (rawItem: number) => boolean,
  opts: { onBadRow?: BadRowPolicy; read?: ForEachLineOptions } = {},
): Promise<number> {
  return forEachRawCsvRow(
    path,
    PROPERTIES_HEADER,
    (buf, s, e) => {
      let c0 = -1;
      let c1 = -1;
      let c2 = -1;
      for (let i = s; i < e; i++) {
        if (buf[i] === 44) {
          if (c0 < 0) c0 = i;
          else if (c1 < 0) c1 = i;
          else {
            c2 = i;
            break;
          }
        }
      }
      if (c2 < 0) {
        const n = c0 < 0 ? 1 : c1 < 0 ? 2 : 3;
        return e === s ? 'is empty, expected 4 columns' : `has ${n} columns, expected 4`;
      }
      const t = parseUnsigned(buf, s, c0);
      if (t < 0) return `: timestamp "${excerpt(buf, s, c0)}" is not an epoch-millisecond integer`;
      const it = parseUnsigned(buf, c0 + 1, c1);
      if (it < 0) return `: itemid "${excerpt(buf, c0 + 1, c1)}" is not a non-negative integer`;
      const plen = c2 - c1 - 1;
      let kind = -1;
      if (plen === 10 && buf[c1 + 1] === 99 && bytesEqual(buf, c1 + 1, c2, CATEGORY)) kind = 0;
      else if (plen === 9 && buf[c1 + 1] === 97 && bytesEqual(buf, c1 + 1, c2, AVAILABLE)) kind = 1;
      else if (plen === 0) return ': property is empty';
      if (kind < 0 || !wanted(it)) return;
      const v = parseUnsigned(buf, c2 + 1, e);
      if (v < 0 || v > 2147483647 || (kind === 1 && v > 1)) {
        const what = kind === 0 ? 'an integer category id' : '0 or 1';
        return `: ${kind === 0 ? 'categoryid' : 'available'} value "${excerpt(buf, c2 + 1, e)}" is not ${what}`;
      }
      into.ts.push(t);
      into.item.push(it);
      into.kind.push(kind);
      into.value.push(v);
    },
    opts,
  );
}
