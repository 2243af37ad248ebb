import { basename } from 'node:path';
import { BadRows, checkHeader } from '../csv/bad-rows.js';
import { excerpt, findSeparators, parseUnsigned } from '../csv/fields.js';
import { forEachLine, type ForEachLineOptions } from '../csv/line-reader.js';
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
  const name = basename(path);
  const bad = new BadRows(name, opts.onBadRow);
  const parent = new Map<number, number>();
  const commas = new Int32Array(1);
  let header: string | undefined;
  await forEachLine(
    path,
    (buf, s, e, lineNo) => {
      if (lineNo === 1) {
        header = buf.toString('utf8', s, e);
        checkHeader(name, header, CATEGORY_TREE_HEADER);
        return;
      }
      const n = findSeparators(buf, s, e, commas);
      if (n !== 1) return bad.report(lineNo, `has ${n + 1} columns, expected 2`);
      const child = parseUnsigned(buf, s, commas[0]);
      const p = commas[0] + 1 === e ? -1 : parseUnsigned(buf, commas[0] + 1, e);
      if (child < 0)
        return bad.report(lineNo, `: categoryid "${excerpt(buf, s, commas[0])}" is not an integer`);
      if (p < 0 && commas[0] + 1 !== e) {
        return bad.report(
          lineNo,
          `: parentid "${excerpt(buf, commas[0] + 1, e)}" is neither empty nor an integer`,
        );
      }
      if (parent.has(child)) return bad.report(lineNo, `: categoryid ${child} appears twice`);
      parent.set(child, p);
    },
    opts.read,
  );
  checkHeader(name, header, CATEGORY_TREE_HEADER);
  return { parent, skipped: bad.skipped };
}
