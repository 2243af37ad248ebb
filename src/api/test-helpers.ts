/**
 * Test fixtures of the API: a tiny published model root (popular, popular-decay,
 * popular-category over 30 items in 3 categories) and an app wired to it with an in-memory or
 * file event log.
 */
import { mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { effectiveConfig } from '../models/registry.js';
import { saveArtifact } from '../training/artifact-store.js';
import { buildApp, type AppDeps } from './app.js';
import { EventLog } from './services/event-log.js';
import { ModelStore } from './services/model-store.js';
import { OnlineState } from './services/online-state.js';

export const N_ITEMS = 30;
/** External id of item index i: "100" + i. */
export const itemId = (i: number): string => String(100 + i);
/** Category of item index i: 10, 11 or 12. */
export const categoryOf = (i: number): number => 10 + (i % 3);
/** Known (training) users. */
export const KNOWN_USERS = ['1', '2', '3'];

/** Writes one published version of the popular variants; popularity falls with the item index. */
export async function publishTinyModels(root: string, version = 'v1', boost?: number): Promise<void> {
  const pop = Float32Array.from({ length: N_ITEMS }, (_, i) => (N_ITEMS - i) / N_ITEMS);
  if (boost !== undefined) pop[boost] = 2;
  const itemCategory = Int32Array.from({ length: N_ITEMS }, (_, i) => categoryOf(i));
  for (const name of ['popular', 'popular-decay', 'popular-category']) {
    const dir = join(root, name, version);
    await saveArtifact(
      dir,
      { model: name, config: effectiveConfig(name), state: {}, arrays: { pop, itemCategory } },
      { createdAt: new Date(0).toISOString(), codeVersion: 'test', dataFingerprint: 'tiny', synthetic: true },
    );
    await writeFile(join(dir, 'items.txt'), Array.from({ length: N_ITEMS }, (_, i) => itemId(i)).join('\n'));
    await writeFile(join(dir, 'users.txt'), KNOWN_USERS.join('\n'));
    await writeFile(join(root, name, 'LATEST'), version);
  }
}

export interface TestApp {
  app: FastifyInstance;
  root: string;
  models: ModelStore;
  state: OnlineState;
  log: EventLog;
  close(): Promise<void>;
}

/** A ready app over a fresh tiny model root (models loaded unless `load: false`). */
export async function tinyApp(
  opts: { load?: boolean; logPath?: string; deps?: Partial<AppDeps> } = {},
): Promise<TestApp> {
  const root = mkdtempSync(join(tmpdir(), 'funnelrec-api-'));
  await publishTinyModels(join(root, 'models'));
  const models = new ModelStore(join(root, 'models'));
  if (opts.load !== false) await models.reload();
  const state = new OnlineState();
  const log = new EventLog(opts.logPath ?? ':memory:');
  for (const e of log.replay()) state.apply(e);
  const app = await buildApp({ models, state, log, config: { rateLimit: false }, ...opts.deps });
  await app.ready();
  return {
    app,
    root,
    models,
    state,
    log,
    close: async () => {
      await app.close();
      await log.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
