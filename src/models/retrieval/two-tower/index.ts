/** Two-Tower retrieval: public surface; the lead wires `twoTowerEntry` into the registry. */
export {
  TwoTowerRecommender,
  twoTowerEntry,
  TwoTowerConfigSchema,
  type TwoTowerConfig,
} from './two-tower.js';
export { TwoTowerTraining, towerLossGraph, userTimelines, type TwoTowerParams } from './training.js';
export { historySlots, stageOf, N_STAGES } from './features.js';
export { itemTower, queryVector, scoreItems, normalise, categoryIndex } from './tower.js';
