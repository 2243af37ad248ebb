/**
 * An open-loop load generator with evenly spaced arrivals: request i is due at t0 + i / rate and is
 * sent as soon as the client's timer allows (never waiting for earlier responses); its latency is
 * measured from when it was DUE, so a slow server or a late client shows up in the numbers instead
 * of thinning the load (no coordinated omission).
 *
 * Beside autocannon's rate mode, which gives each connection a per-second budget and sends it back
 * to back at the start of every second (bursts of `connections` concurrent requests), this is the
 * steady "N requests per second" a shop's traffic looks like.
 */
import { Agent, request } from 'node:http';

export interface PacedResult {
  /** Requests due in the run. */
  due: number;
  ok: number;
  errors: number;
  /** Latencies (ms, from the due time) of the 2xx responses, ascending. */
  latencies: number[];
  /** Achieved completions per second over the run. */
  rate: number;
}

export async function pacedRun(o: {
  base: string;
  paths: (i: number) => string;
  rate: number;
  seconds: number;
}): Promise<PacedResult> {
  const url = new URL(o.base);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const due = Math.round(o.rate * o.seconds);
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  let done = 0;
  const t0 = performance.now() + 50;
  const gap = 1000 / o.rate;
  await new Promise<void>((resolve) => {
    let next = 0;
    const finish = (): void => {
      if (++done === due) resolve();
    };
    const send = (i: number): void => {
      const at = t0 + i * gap;
      const req = request(
        { host: url.hostname, port: url.port, path: o.paths(i), method: 'GET', agent },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode && res.statusCode < 300) {
              ok++;
              latencies.push(performance.now() - at);
            } else errors++;
            finish();
          });
        },
      );
      req.on('error', () => {
        errors++;
        finish();
      });
      req.end();
    };
    const tick = (): void => {
      const now = performance.now();
      while (next < due && t0 + next * gap <= now) send(next++);
      if (next < due) setTimeout(tick, Math.max(0, Math.min(gap, t0 + next * gap - performance.now())));
    };
    setTimeout(tick, 50);
  });
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { due, ok, errors, latencies, rate: ok / o.seconds };
}

/** The q-quantile of ascending values (NaN when empty). */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
}
