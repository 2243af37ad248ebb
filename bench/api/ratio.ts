/**
 * Quick A/B of the cached route against hello-world (the first part of `run.ts`, alternated to
 * average out a busy machine): hello, cached, hello, cached … `--rounds` times, `--seconds` each.
 * Besides req/s it reports the server's CPU time per request (from /proc, user + system), which a
 * busy machine disturbs much less than throughput: cost ratio = µs(hello) / µs(cached).
 *   npx tsx bench/api/ratio.ts [--rounds 3] [--seconds 4] [--connections 50]
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    models: { type: 'string', default: 'artifacts/models' },
    history: { type: 'string', default: 'synthetic:data/synthetic/small-seed42' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '4' },
    connections: { type: 'string', default: '50' },
    port: { type: 'string', default: '18182' },
  },
});
const BASE = `http://127.0.0.1:${a.port}`;
const latest = readFileSync(join(a.models, 'popular-category', 'LATEST'), 'utf8').trim();
const ids = readFileSync(join(a.models, 'popular-category', latest, 'users.txt'), 'utf8')
  .split('\n')
  .slice(0, 2000);
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/api/bench-server.ts'], {
  env: {
    ...process.env,
    PORT: a.port,
    HOST: '127.0.0.1',
    FUNNELREC_MODELS: a.models,
    FUNNELREC_EVENT_LOG: join(mkdtempSync(join(tmpdir(), 'funnelrec-ratio-')), 'events.sqlite'),
    FUNNELREC_RATE_LIMIT: '0',
    FUNNELREC_HISTORY: a.history,
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((resolve) =>
  child.stdout!.on('data', (d: Buffer) => d.toString().includes('listening') && resolve()),
);
try {
  for (const id of ids) await fetch(`${BASE}/recommendations/${id}?k=10`);
  let i = 0;
  const rec: autocannon.Request[] = [
    {
      method: 'GET',
      setupRequest: (r) => ({ ...r, path: `/recommendations/${ids[i++ % ids.length]}?k=10` }),
    },
  ];
  const hello: autocannon.Request[] = [
    { method: 'GET', setupRequest: (r) => ({ ...r, path: '/bench/hello' }) },
  ];
  const cpu = (): number => {
    const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10_000; // clock ticks (100/s) → µs
  };
  let usPerReq = 0;
  const run = async (requests: autocannon.Request[], duration: number): Promise<number> => {
    const c0 = cpu();
    const r = await autocannon({ url: BASE, connections: Number(a.connections), duration, requests });
    usPerReq = (cpu() - c0) / Number(r.requests.total);
    return r.requests.average;
  };
  await run(hello, 2);
  await run(rec, 2);
  const ratios: number[] = [];
  const costs: number[] = [];
  for (let r = 0; r < Number(a.rounds); r++) {
    const h = await run(hello, Number(a.seconds));
    const hu = usPerReq;
    const c = await run(rec, Number(a.seconds));
    const cu = usPerReq;
    ratios.push(c / h);
    costs.push(hu / cu);
    process.stdout.write(
      `hello ${h.toFixed(0)} req/s ${hu.toFixed(1)} µs CPU/req, cached ${c.toFixed(0)} req/s ${cu.toFixed(1)} µs CPU/req: ` +
        `ratio ${(c / h).toFixed(3)}, cost ratio ${(hu / cu).toFixed(3)} (load ${loadavg()[0].toFixed(1)})\n`,
    );
  }
  const mean = (x: number[]): string => (x.reduce((s, v) => s + v, 0) / x.length).toFixed(3);
  process.stdout.write(`mean ratio ${mean(ratios)}, mean cost ratio ${mean(costs)}\n`);
} finally {
  child.kill('SIGTERM');
}
