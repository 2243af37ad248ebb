/**
 * Component plumbing of the hybrid: resolving component names to model entries, creating them with
 * validated configs, fitting them, and nesting their artifacts inside the hybrid's.
 *
 * This module does NOT import `registry.ts`: the registry imports the hybrid, and a static import
 * back would make `registry.ts` read `hybridEntry` before it exists whenever the hybrid module is
 * loaded first. Entries are imported from the model folders (the popular variants are built
 * exactly as in the registry); models added later are made available with
 * {@link registerComponentEntry} (e.g. by `registry.ts` after its list is built).
 */
import { RecError } from '../../core/errors.js';
import { parseConfig } from '../common/config.js';
import { alsEntry } from '../collaborative/als/als.js';
import { itemcfEntry } from '../collaborative/itemcf/itemcf.js';
import { usercfEntry } from '../collaborative/usercf/usercf.js';
import { item2vecEntry } from '../content/item2vec/index.js';
import type { ModelEntry } from '../registry.js';
import {
  PopularRecommender,
  popularConfigSchema,
  PopularConfigSchema,
} from '../baselines/popular/popular.js';
import { RandomConfigSchema, RandomRecommender } from '../baselines/random/random.js';
import { sknnEntry, vsknnEntry } from '../sequential/sknn/sknn.js';
import type { FitContext, ModelArtifact, Recommender, TrainData } from '../types.js';
import { defaultRole, type ComponentRole, type ComponentSpec } from './config.js';

function popularEntry(name: string, schema: ModelEntry['configSchema']): ModelEntry {
  return {
    name,
    family: 'baseline',
    description: name,
    planted: 'popularity',
    configSchema: schema,
    create: (c) => new PopularRecommender(c as never, name),
    fromArtifact: (a, c) => PopularRecommender.fromArtifact(a, c as never),
  };
}

/** Known component entries, by name (same schemas and constructors as the registry's). */
const ENTRIES = new Map<string, ModelEntry>(
  [
    popularEntry('popular', PopularConfigSchema),
    popularEntry('popular-decay', popularConfigSchema({ mode: 'global', halfLifeDays: 7 })),
    popularEntry('popular-category', popularConfigSchema({ mode: 'category', halfLifeDays: 7 })),
    {
      name: 'random',
      family: 'baseline',
      description: 'random',
      planted: 'none',
      configSchema: RandomConfigSchema,
      create: (c) => new RandomRecommender(c as never),
      fromArtifact: (a, c) => RandomRecommender.fromArtifact(a, c as never),
    } satisfies ModelEntry,
    alsEntry,
    itemcfEntry,
    usercfEntry,
    item2vecEntry,
    sknnEntry,
    vsknnEntry,
  ].map((e) => [e.name, e]),
);

/** Makes a model usable as a hybrid component (e.g. bpr, gru4rec, sasrec once they exist). */
export function registerComponentEntry(entry: ModelEntry): void {
  if (entry.family !== 'hybrid') ENTRIES.set(entry.name, entry);
}

/** The entry of a component model; throws CONFIG_INVALID for unknown or hybrid names. */
export function componentEntry(name: string): ModelEntry {
  if (name === 'hybrid' || name === 'hybrid-static') {
    throw new RecError(
      'CONFIG_INVALID',
      `Invalid config for model "hybrid": a hybrid cannot be its own component ("${name}")`,
    );
  }
  const e = ENTRIES.get(name);
  if (e) return e;
  const known = [...ENTRIES.keys()];
  throw new RecError(
    'CONFIG_INVALID',
    `Invalid config for model "hybrid": unknown component "${name}"; known: ${known.join(', ')}`,
  );
}

/** A component with its effective config and fusion role. */
export interface Component {
  readonly name: string;
  readonly config: unknown;
  readonly role: ComponentRole;
  model: Recommender;
}

/** Creates (unfitted) components from specs; validates every component config. */
export function createComponents(specs: readonly ComponentSpec[]): Component[] {
  const seen = new Set<string>();
  return specs.map((s) => {
    if (seen.has(s.name)) {
      throw new RecError(
        'CONFIG_INVALID',
        `Invalid config for model "hybrid": component "${s.name}" is listed twice`,
      );
    }
    seen.add(s.name);
    const entry = componentEntry(s.name);
    const config = parseConfig(s.name, entry.configSchema, s.config);
    return { name: s.name, config, role: s.role ?? defaultRole(s.name), model: entry.create(config) };
  });
}

/** Fits every component in order; each gets its own forked generator (deterministic for a seed). */
export async function fitComponents(cs: Component[], data: TrainData, ctx: FitContext): Promise<void> {
  for (const c of cs) {
    if (ctx.signal?.aborted) throw new RecError('CANCELLED', 'Training of "hybrid" was cancelled');
    c.model = componentEntry(c.name).create(c.config as never);
    ctx.onProgress?.({ task: `hybrid: fit ${c.name}`, done: 0, total: 1, unit: 'steps' });
    // Iterative components run their default epochs inside fit (the Recommender contract).
    await c.model.fit(data, { ...ctx, rng: ctx.rng.fork() });
    ctx.onProgress?.({ task: `hybrid: fit ${c.name}`, done: 1, total: 1, unit: 'steps' });
  }
}

/** Writes the components' artifacts into the hybrid's state/arrays under `c<index>:` prefixes. */
export function packComponents(cs: readonly Component[], arrays: ModelArtifact['arrays']): unknown[] {
  return cs.map((c, k) => {
    const a = c.model.toArtifact();
    for (const [key, arr] of Object.entries(a.arrays)) arrays[`c${k}:${key}`] = arr;
    return { name: c.name, model: a.model, role: c.role, config: a.config, state: a.state };
  });
}

/** Restores components packed by {@link packComponents}. */
export function unpackComponents(state: unknown, arrays: ModelArtifact['arrays']): Component[] {
  if (!Array.isArray(state))
    throw new RecError('ARTIFACT_INVALID', 'Hybrid artifact lacks its component list');
  return state.map(
    (
      s: {
        name: string;
        model: string;
        role: ComponentRole;
        config: unknown;
        state: Record<string, unknown>;
      },
      k,
    ) => {
      const entry = componentEntry(s.name);
      const config = parseConfig(s.name, entry.configSchema, s.config);
      const own: ModelArtifact['arrays'] = {};
      const prefix = `c${k}:`;
      for (const [key, arr] of Object.entries(arrays))
        if (key.startsWith(prefix)) own[key.slice(prefix.length)] = arr;
      const model = entry.fromArtifact(
        { model: s.model, config: s.config, state: s.state, arrays: own },
        config,
      );
      return { name: s.name, config, role: s.role, model };
    },
  );
}
