import { forEachRawCsvRow } from '../csv/csv-rows.js';
import { excerpt, findSeparators, parseUnsigned } from '../csv/fields.js';
import type { ForEachLineOptions } from '../csv/line-reader.js';
import type { BadRowPolicy } from '../dataset.js';

export const CATEGORY_TREE_HEADER = 'categoryid,parentid';

/**
 * Reads `category_tree.csv` (`categoryid,parentid`; an empty parent marks a root) into
 * child → parent (-1 for a root).
 */
export async function readCategoryTree(
  path: string,
  opts: { onBadRow?: BadRowPolicy; read?: ForEachLineOptions } = {},
): Promise<{ parent: Map<number, number>; skipped: number }> {
  const parent = new Map<number, number>();
  const commas = new Int32Array(1);
  const skipped = await forEachRawCsvRow(
    path,
    CATEGORY_TREE_HEADER,
    (buf, s, e) => {
      const n = findSeparators(buf, s, e, commas);
      if (n !== 1) return `has ${n + 1} columns, expected 2`;
      const child = parseUnsigned(buf, s, commas[0]);
      const p = commas[0] + 1 === e ? -1 : parseUnsigned(buf, commas[0] + 1, e);
      if (child < 0) return `: categoryid "${excerpt(buf, s, commas[0])}" is not an integer`;
      if (p < 0 && commas[0] + 1 !== e) {
        return `: parentid "${excerpt(buf, commas[0] + 1, e)}" is neither empty nor an integer`;
      }
      if (parent.has(child)) return `: categoryid ${child} appears twice`;
      parent.set(child, p);
    },
    opts,
  );
  return { parent, skipped };
}
