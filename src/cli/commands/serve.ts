/**
 * `funnelrec serve`: the REST API on the embedded defaults (published models, SQLite event log,
 * in-process cache; Redis with --redis-url or REDIS_URL). Prints its URL. SIGHUP reloads the
 * models; `funnelrec reload` asks a running server to do the same over HTTP.
 * Config order: defaults → environment (PORT, HOST, REDIS_URL, FUNNELREC_*) → flags.
 */
import type { Command } from 'commander';
import { RecError } from '../../core/errors.js';
import { serveConfigFromEnv, startServer, type RunningServer, type ServeConfig } from '../../api/server.js';
import { loadAndClean, mainJobData } from '../pipeline.js';

interface ServeArgs {
  models?: string;
  eventLog?: string;
  history: string;
  dataDir: string;
  port?: string;
  host?: string;
  redisUrl?: string;
  model?: string;
  rateLimit?: string;
  logLevel?: string;
}

/** The data set the demo used: real RetailRocket files if present, else the small synthetic set. */
export function demoHistorySpec(dataDir: string): string | undefined {
  const d = mainJobData(dataDir);
  return d.hasReal ? `retailrocket:${d.real}` : d.hasSynthetic ? `synthetic:${d.synthetic}` : undefined;
}

/** Starts the server from CLI flags; returns it running (signals handled unless told otherwise). */
export async function serveCommand(
  a: ServeArgs,
  out: (s: string) => void,
  handleSignals = true,
): Promise<RunningServer> {
  const overrides: Partial<ServeConfig> = {
    modelsDir: a.models,
    eventLog: a.eventLog,
    port: a.port === undefined ? undefined : Number(a.port),
    host: a.host,
    redisUrl: a.redisUrl,
    model: a.model,
    rateLimitPerMinute: a.rateLimit === undefined ? undefined : Number(a.rateLimit),
    logLevel: a.logLevel as ServeConfig['logLevel'] | undefined,
  };
  const config = serveConfigFromEnv(process.env, overrides);
  const spec =
    a.history === 'auto' ? demoHistorySpec(a.dataDir) : a.history === 'none' ? undefined : a.history;
  let history;
  if (spec) {
    out(`Loading user histories from ${spec}\n`);
    history = (await loadAndClean(spec, { clean: true })).dataset;
  }
  const server = await startServer({ config, history, handleSignals });
  const names = [...server.models.snapshot.models.values()].map((m) => `${m.name}@${m.version}`).join(', ');
  out(`Models: ${names}\n`);
  out(
    `funnelrec API listening on ${server.url} (docs: ${server.url}/docs; reload: kill -HUP ${process.pid})\n`,
  );
  return server;
}

export async function reloadCommand(
  a: { url: string; apiKey?: string },
  out: (s: string) => void,
): Promise<void> {
  const key = a.apiKey ?? process.env.FUNNELREC_API_KEY;
  let res: Response;
  try {
    res = await fetch(new URL('/admin/reload', a.url), {
      method: 'POST',
      headers: key ? { 'x-api-key': key } : {},
    });
  } catch (e) {
    throw new RecError(
      'USAGE',
      `Cannot reach the server at ${a.url}: is "funnelrec serve" running?`,
      undefined,
      e,
    );
  }
  const body = (await res.json()) as { loaded?: unknown[]; unchanged?: unknown[]; detail?: string };
  if (!res.ok)
    throw new RecError('ARTIFACT_INVALID', `Reload failed (${res.status}): ${body.detail ?? 'no detail'}`);
  out(`Reloaded: ${JSON.stringify(body.loaded)}; unchanged: ${body.unchanged?.length ?? 0}\n`);
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve recommendations over HTTP (REST API, OpenAPI docs at /docs)')
    .option('--models <dir>', 'published models (env FUNNELREC_MODELS)', undefined)
    .option('--event-log <file>', 'durable event log, SQLite (env FUNNELREC_EVENT_LOG)', undefined)
    .option('--history <spec>', 'seed user histories: KIND:PATH, "auto" (the demo data) or "none"', 'auto')
    .option('--data-dir <dir>', 'data directory searched by --history auto', 'data')
    .option('--port <n>', 'port (env PORT, default 8080)')
    .option('--host <host>', 'host (env HOST, default 127.0.0.1)')
    .option('--redis-url <url>', 'Redis cache (env REDIS_URL; default: in-process LRU)')
    .option('--model <name>', 'default model (env FUNNELREC_MODEL; default: best published)')
    .option('--rate-limit <n>', 'requests per client per minute, 0 = off (env FUNNELREC_RATE_LIMIT)')
    .option('--log-level <level>', 'pino log level (env LOG_LEVEL, default info)')
    .action(async (a: ServeArgs) => {
      await serveCommand(a, (s) => process.stdout.write(s));
    });
  program
    .command('reload')
    .description('Ask a running server to reload its models (broken artifacts are rejected)')
    .option('--url <url>', 'server URL', `http://127.0.0.1:${process.env.PORT ?? 8080}`)
    .option('--api-key <key>', 'API key (env FUNNELREC_API_KEY)')
    .action(async (a: { url: string; apiKey?: string }) => {
      await reloadCommand(a, (s) => process.stdout.write(s));
    });
}
