/** Funnel-Aware Hybrid: registry entries, the model class and its config. */
export { HybridRecommender, hybridEntry, hybridStaticEntry } from './hybrid.js';
export { registerComponentEntry } from './components.js';
export {
  HybridConfigSchema,
  HybridStaticConfigSchema,
  DEFAULT_COMPONENTS,
  type HybridConfig,
  type ComponentSpec,
} from './config.js';
export type { LearnReport } from './learn-weights.js';
