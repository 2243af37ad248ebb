import { RecError } from '../../core/errors.js';
import { OFFICIAL_RETAILROCKET as OFF } from './official.js';

/** Named sizes of the synthetic data set. */
export const SYNTHETIC_SCALES = ['tiny', 'small', 'full'] as const;
export type SyntheticScale = (typeof SYNTHETIC_SCALES)[number];

/** Exact targets of one scale; every count is met exactly by the generator except `itemsInEvents`. */
export interface ScaleTargets {
  visitors: number;
  view: number;
  addtocart: number;
  transaction: number;
  /** Items expected to appear in events (met approximately, ±5 %). */
  itemsInEvents: number;
  /** Items written to the property files (the catalogue, including never-seen items). */
  catalogue: number;
  /** Categories that hold items (the tree always has 1,669 nodes). */
  populatedCategories: number;
}

/** Fraction of the official data set that each scale reproduces. */
const FRACTION: Record<SyntheticScale, number> = {
  full: 1,
  small: 1 / 20,
  tiny: 5_000 / OFF.events,
};

/** Targets of `scale`: the official totals times the scale's fraction. */
export function scaleTargets(scale: SyntheticScale): ScaleTargets {
  const f = FRACTION[scale];
  if (f === undefined) {
    throw new RecError(
      'CONFIG_INVALID',
      `Unknown synthetic scale "${String(scale)}": use one of ${SYNTHETIC_SCALES.join(', ')}`,
    );
  }
  const itemsInEvents = Math.round(OFF.itemsInEvents * f);
  return {
    visitors: Math.round(OFF.visitors * f),
    view: Math.round(OFF.view * f),
    addtocart: Math.round(OFF.addtocart * f),
    transaction: Math.round(OFF.transaction * f),
    itemsInEvents,
    catalogue: Math.round(OFF.itemsInProperties * f),
    // ~200 items per category at full scale; at least 12 categories so that interests differ.
    populatedCategories: Math.max(12, Math.min(1_200, Math.round(itemsInEvents / 200))),
  };
}
