/**
 * Features as of a time. Every function here reads only events with ts < asOf; the property
 * tests in features.test.ts check that events at or after asOf never change any value.
 */
export * from './funnel.js';
export * from './user-features.js';
export * from './session-features.js';
export * from './item-features.js';
