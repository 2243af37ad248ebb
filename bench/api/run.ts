/**
 * API benchmark (loopback, autocannon, server in a child process started by this run):
 *   1. cached GET /recommendations/{id} throughput vs GET /bench/hello of the same process (ratio),
 *      then p99 of the cached GET at half that rate;
 *   2. uncached recommendations (cache off) p99 at 500 requests/s: autocannon at 5 and 20
 *      connections, and the same rate as steady arrivals (`paced.ts`, latency from the due time);
 *   3. POST /events at the highest rate for --events-seconds (default 60), then a crash (SIGKILL)
 *      and a restart: every accepted event must be in the log exactly once.
 *
 *   npx tsx bench/api/run.ts [--models artifacts/models] [--history synthetic:data/synthetic/small-seed42]
 *                            [--seconds 10] [--events-seconds 60] [--connections 50]
 *                            [--uncached-model hybrid] [--uncached-connections 5,20]
 *                            [--only cached|uncached|events]
 */
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pacedRun, quantile } from './paced.js';

const { values: args } = parseArgs({
  options: {
    models: { type: 'string', default: 'artifacts/models' },
    history: { type: 'string', default: 'synthetic:data/synthetic/small-seed42' },
    seconds: { type: 'string', default: '10' },
    'events-seconds': { type: 'string', default: '60' },
    connections: { type: 'string', default: '50' },
    port: { type: 'string', default: '18181' },
    /** Default model of the uncached run (FUNNELREC_MODEL); the target is hybrid. */
    'uncached-model': { type: 'string', default: 'hybrid' },
    /** Connections of the uncached 500/s runs, comma-separated (autocannon sends each one's share in a burst). */
    'uncached-connections': { type: 'string', default: '5,20' },
    /** Run one part only: cached | uncached | events. */
    only: { type: 'string' },
  },
});
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const PORT = Number(args.port);
const BASE = `http://127.0.0.1:${PORT}`;
const work = mkdtempSync(join(tmpdir(), 'funnelrec-bench-api-'));
const logPath = join(work, 'events.sqlite');

async function startServer(env: Record<string, string>): Promise<ChildProcess> {
  process.stderr.write(`starting server ${JSON.stringify(env)}\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/api/bench-server.ts'], {
    env: {
      ...process.env,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      FUNNELREC_MODELS: args.models,
      FUNNELREC_EVENT_LOG: logPath,
      FUNNELREC_RATE_LIMIT: '0',
      FUNNELREC_HISTORY: args.history,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return child;
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

function users(): string[] {
  const latest = readFileSync(join(args.models, 'popular-category', 'LATEST'), 'utf8').trim();
  return readFileSync(join(args.models, 'popular-category', latest, 'users.txt'), 'utf8')
    .split('\n')
    .slice(0, 2000);
}

type Result = autocannon.Result;
function run(opts: autocannon.Options): Promise<Result> {
  return autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts });
}
const line = (name: string, r: Result): string =>
  `${name.padEnd(34)} ${r.requests.average.toFixed(0).padStart(7)} req/s   p50 ${r.latency.p50} ms   p99 ${r.latency.p99} ms   non2xx ${r.non2xx}   errors ${r.errors}`;

function recRequests(ids: string[]): autocannon.Request[] {
  let i = 0;
  return [
    {
      method: 'GET',
      setupRequest: (req) => ({ ...req, path: `/recommendations/${ids[i++ % ids.length]}?k=10` }),
    },
  ];
}

/** The reference route through the same client-side path (setupRequest per request). */
function helloRequests(): autocannon.Request[] {
  return [{ method: 'GET', setupRequest: (req) => ({ ...req, path: '/bench/hello' }) }];
}

async function cachedVsHello(ids: string[]): Promise<string[]> {
  const server = await startServer({});
  try {
    for (const id of ids) await fetch(`${BASE}/recommendations/${id}?k=10`); // warm the cache
    await run({ url: BASE, requests: helloRequests(), duration: 3 }); // JIT warm-up
    await run({ url: BASE, requests: recRequests(ids), duration: 3 });
    const hello = await run({ url: BASE, requests: helloRequests() });
    const cached = await run({ url: BASE, requests: recRequests(ids) });
    const half = Math.round(cached.requests.average / 2);
    const atHalf = await run({ url: BASE, requests: recRequests(ids), overallRate: half, connections: 20 });
    return [
      line('GET /bench/hello (max)', hello),
      line('GET /recommendations cached (max)', cached),
      `ratio cached / hello = ${(cached.requests.average / hello.requests.average).toFixed(3)}  (target ≥ 0.8)`,
      line(`cached at half rate (${half}/s)`, atHalf),
    ];
  } finally {
    await stop(server, 'SIGTERM');
  }
}

async function uncached(ids: string[]): Promise<string[]> {
  const model = args['uncached-model'];
  const server = await startServer({ FUNNELREC_CACHE: 'off', FUNNELREC_MODEL: model });
  try {
    await run({ url: BASE, requests: recRequests(ids), duration: 3 });
    // autocannon's latency histogram back-fills every response slower than 1 ms (its coordinated-
    // omission correction uses an expected interval of ceil(1 / per-connection rate) = 1 ms), so the
    // raw response times are recorded too. Its rate mode gives each connection a per-second budget
    // sent back to back: the connection count is the burst's concurrency, so several are measured.
    const out: string[] = [];
    for (const connections of args['uncached-connections']!.split(',').map(Number)) {
      const raw: number[] = [];
      const tracker = autocannon({
        connections,
        duration: SECONDS,
        url: BASE,
        requests: recRequests(ids),
        overallRate: 500,
      });
      tracker.on('response', (_c, status, _b, ms) => {
        if (status === 200) raw.push(ms);
      });
      const r = await tracker;
      raw.sort((x, y) => x - y);
      const q = (p: number): string => quantile(raw, p).toFixed(1);
      out.push(
        line(`uncached (${model}) at 500/s, ${connections} conn.`, r),
        `  raw response times (${raw.length}): p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms`,
      );
    }
    // Which model answered: a sample of the measured users (cold users go to the cold-start model).
    const served = new Map<string, number>();
    for (const id of ids.slice(0, 200)) {
      const b = (await (await fetch(`${BASE}/recommendations/${id}?k=10`)).json()) as { model: string };
      served.set(b.model, (served.get(b.model) ?? 0) + 1);
    }
    const mix = [...served].map(([m, c]) => `${m} ${c}`).join(', ');
    // The same load as steady arrivals (one request every 2 ms, latency from its due time).
    let j = 0;
    const p = await pacedRun({
      base: BASE,
      paths: () => `/recommendations/${ids[j++ % ids.length]}?k=10`,
      rate: 500,
      seconds: SECONDS,
    });
    const pq = (x: number): string => quantile(p.latencies, x).toFixed(1);
    return [
      ...out,
      `uncached (${model}) at 500/s, paced open loop: ${p.rate.toFixed(0)} req/s, ${p.ok} ok, ${p.errors} errors; from due time p50 ${pq(0.5)} ms, p90 ${pq(0.9)} ms, p99 ${pq(0.99)} ms, max ${pq(1)} ms`,
      `models that answered 200 sampled users: ${mix}`,
    ];
  } finally {
    await stop(server, 'SIGTERM');
  }
}

async function eventsDurability(seconds: number): Promise<string[]> {
  const server = await startServer({});
  const accepted = new Set<string>();
  let n = 0;
  const r = await run({
    url: BASE,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/events',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req, ctx) => {
          const id = `ev-${n++}`;
          (ctx as { id?: string }).id = id;
          const body = {
            user_id: `bench-${n % 5000}`,
            item_id: String(10_000 + (n % 500)),
            event: 'view',
            event_id: id,
          };
          return { ...req, body: JSON.stringify(body) };
        },
        onResponse: (status, _body, ctx) => {
          if (status === 200) accepted.add((ctx as { id: string }).id);
        },
      },
    ],
  });
  await stop(server, 'SIGKILL'); // a crash, not a graceful shutdown
  const restarted = await startServer({});
  const ready = (await (await fetch(`${BASE}/health/ready`)).json()) as { events: number };
  await stop(restarted, 'SIGTERM');
  const db = new Database(logPath, { readonly: true });
  const rows = db
    .prepare("SELECT event_id, COUNT(*) AS c FROM events WHERE event_id LIKE 'ev-%' GROUP BY event_id")
    .all() as {
    event_id: string;
    c: number;
  }[];
  db.close();
  const inLog = new Map(rows.map((x) => [x.event_id, x.c]));
  const missing = [...accepted].filter((id) => !inLog.has(id)).length;
  const twice = rows.filter((x) => x.c > 1).length;
  return [
    line(`POST /events (${seconds} s, max)`, r),
    `accepted ${accepted.size}, in log after SIGKILL + restart ${rows.length}, missing ${missing}, stored twice ${twice}, replayed into state at restart ${ready.events}`,
  ];
}

const ids = users();
const out: string[] = [
  `load average before: ${(await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
  `node ${process.version}, connections ${CONNECTIONS}, ${SECONDS} s per run, models ${args.models}, history ${args.history}, uncached model ${args['uncached-model']}`,
];
try {
  const only = args.only;
  if (!only || only === 'cached') out.push(...(await cachedVsHello(ids)));
  if (!only || only === 'uncached') out.push(...(await uncached(ids)));
  if (!only || only === 'events') out.push(...(await eventsDurability(Number(args['events-seconds']))));
  out.push(
    `load average after: ${(await import('node:os'))
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.stdout.write(out.join('\n') + '\n');
