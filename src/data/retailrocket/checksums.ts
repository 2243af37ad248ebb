import { RecError } from '../../core/errors.js';

/** Size and md5 of one official file. */
export interface OfficialChecksum {
  bytes: number;
  md5: string;
}

/** File name → official size and md5. Injectable wherever files are verified (tests use their own). */
export type ChecksumTable = Readonly<Record<string, OfficialChecksum>>;

/**
 * The official Kaggle `retailrocket/ecommerce-dataset` files, from
 * `../shared/data/retailrocket/OFFICIAL_CHECKSUMS.txt` (recorded in third-party DVC pointer files:
 * GFurts/recsys-retailrocket, Matsal-coder/retailrocket-recommender, ArtemR238/mlops-retailrocket-gru4rec).
 */
export const OFFICIAL_CHECKSUMS: ChecksumTable = {
  'events.csv': { bytes: 94_237_913, md5: 'fddaf7c1c6a9df23a726500a08ffdd7e' },
  'category_tree.csv': { bytes: 14_454, md5: 'f0e1eb878ae66209004112f6355d7e83' },
  'item_properties_part1.csv': { bytes: 484_315_749, md5: 'cb43a0682a1af76f1c1b60f9163ae47b' },
  'item_properties_part2.csv': { bytes: 408_929_907, md5: 'e74ec953e7b192920b195dfd82dc2a4e' },
  'ecommerce-dataset.zip': { bytes: 304_719_974, md5: '9c8a6e502a5e71a00e49c0ac8b95a87f' },
};

/** Official row counts (Kaggle description), for checks and reports. */
export const OFFICIAL_COUNTS = {
  events: 2_756_101,
  view: 2_664_312,
  addtocart: 69_332,
  transaction: 22_457,
  visitors: 1_407_580,
  items: 235_061,
  propertyRows: 20_275_902,
  propertyItems: 417_053,
  categories: 1_669,
} as const;

/** What verification concluded for one file. */
export type ChecksumStatus = 'verified' | 'not-official-size' | 'unknown-file' | 'skipped';

/**
 * Whether a file of `bytes` bytes named `name` must have its md5 checked: only a file with exactly
 * the official size is taken to be the official file (a sample or a synthetic file never is).
 */
export function officialFor(name: string, bytes: number, table: ChecksumTable): OfficialChecksum | undefined {
  const c = table[name];
  return c !== undefined && c.bytes === bytes ? c : undefined;
}

/**
 * Throws `CHECKSUM_MISMATCH` when `md5` differs from the official one for `name`.
 * The message names the file, the expected and actual md5 and says to download it again.
 */
export function assertMd5(name: string, path: string, md5: string, expected: OfficialChecksum): void {
  if (md5.toLowerCase() === expected.md5.toLowerCase()) return;
  throw new RecError(
    'CHECKSUM_MISMATCH',
    `${name} has the official size (${expected.bytes} bytes) but its md5 is ${md5}, expected ${expected.md5}: ` +
      `the file is corrupted or modified. Download it again (funnelrec data download, or from ` +
      `https://www.kaggle.com/datasets/retailrocket/ecommerce-dataset) and replace ${path}.`,
    { file: name, path, expected: expected.md5, actual: md5 },
  );
}
