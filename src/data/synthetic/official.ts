/**
 * Official figures of the RetailRocket e-commerce dataset (Kaggle `retailrocket/ecommerce-dataset`,
 * see ../shared/data/retailrocket/OFFICIAL_CHECKSUMS.txt), and of the real 5,000-visitor sample
 * shipped in ../shared/data. The synthetic generator is calibrated to the first; tests check the
 * loader and the statistics against the second.
 */
export const OFFICIAL_RETAILROCKET = {
  events: 2_756_101,
  view: 2_664_312,
  addtocart: 69_332,
  transaction: 22_457,
  visitors: 1_407_580,
  itemsInEvents: 235_061,
  categoriesInTree: 1_669,
  itemsInProperties: 417_053,
  propertyRows: 20_275_902,
  /** First and last calendar day of the events (UTC). */
  firstDay: '2015-05-03',
  lastDay: '2015-09-18',
  /** addtocart events / view events. */
  cartPerView: 69_332 / 2_664_312,
  /** transaction events / addtocart events. */
  transactionPerCart: 22_457 / 69_332,
  /** Mean events per visitor. */
  eventsPerVisitor: 2_756_101 / 1_407_580,
} as const;

/** The real sample `events_sample_5000visitors.csv` (all events of 5,000 random visitors). */
export const RETAILROCKET_SAMPLE = {
  events: 9_385,
  view: 9_076,
  addtocart: 263,
  transaction: 46,
  visitors: 5_000,
  items: 6_610,
} as const;

/** Epoch ms of 2015-05-03T03:00:00Z: just before the first real event (03:00:20). */
export const RETAILROCKET_START_MS = 1_430_622_000_000;
/** Epoch ms of 2015-09-18T02:00:00Z: just after the last real event (01:16:53). */
export const RETAILROCKET_END_MS = 1_442_541_600_000;
