/** Processing: clean → sessions → temporal split → features (as of a cut). All pure, no I/O. */
export * from './clean.js';
export * from './sessions.js';
export * from './split.js';
export * from './features.js';
export { timeOrder, groupByKey, rowsByUser, rowsBefore, isTimeSorted } from './order.js';
