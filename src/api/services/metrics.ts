/**
 * Serving metrics on a per-app prom-client registry (two apps in one test process do not share
 * counters): request latency histograms, cache hits/misses/errors, events ingested, loaded model
 * versions. `snapshot()` is the JSON view for the dashboard.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ModelSnapshot } from './model-store.js';

export class ApiMetrics {
  readonly registry = new Registry();
  readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
  readonly cacheHits: Counter;
  readonly cacheMisses: Counter;
  readonly cacheErrors: Counter;
  readonly eventsIngested: Counter<'event'>;
  readonly eventsDuplicate: Counter;
  readonly modelInfo: Gauge<'model' | 'version'>;
  readonly modelReloads: Counter<'result'>;
  /** Hits and misses not yet added to their counters (added when the registry is collected). */
  private pendingHits = 0;
  private pendingMisses = 0;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requestDuration = new Histogram({
      name: 'funnelrec_http_request_duration_seconds',
      help: 'HTTP request latency by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    // Hits and misses are counted in plain fields on the hot path and added at collection.
    const flush = (): void => this.flushCacheCounts();
    this.cacheHits = new Counter({
      name: 'funnelrec_cache_hits_total',
      help: 'Recommendation cache hits',
      registers,
      collect: flush,
    });
    this.cacheMisses = new Counter({
      name: 'funnelrec_cache_misses_total',
      help: 'Recommendation cache misses',
      registers,
      collect: flush,
    });
    this.cacheErrors = new Counter({
      name: 'funnelrec_cache_errors_total',
      help: 'Cache backend operations that failed (served uncached)',
      registers,
    });
    this.eventsIngested = new Counter({
      name: 'funnelrec_events_ingested_total',
      help: 'Events durably appended to the event log',
      labelNames: ['event'],
      registers,
    });
    this.eventsDuplicate = new Counter({
      name: 'funnelrec_events_duplicate_total',
      help: 'Events ignored as duplicates (idempotency)',
      registers,
    });
    this.modelInfo = new Gauge({
      name: 'funnelrec_model_info',
      help: 'Loaded model versions (value 1 per loaded model)',
      labelNames: ['model', 'version'],
      registers,
    });
    this.modelReloads = new Counter({
      name: 'funnelrec_model_reloads_total',
      help: 'Model reloads by result',
      labelNames: ['result'],
      registers,
    });
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'funnelrec_' });
  }

  /** Bound histogram children by route, then method and status (no label hashing per request). */
  private readonly durationChildren = new Map<
    string,
    Map<string, Map<number, { observe(v: number): void }>>
  >();

  /** Records one request's latency (seconds) under its method, route pattern and status. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    let byMethod = this.durationChildren.get(route);
    if (byMethod === undefined) this.durationChildren.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) byMethod.set(method, (byStatus = new Map()));
    let child = byStatus.get(status);
    if (child === undefined)
      byStatus.set(status, (child = this.requestDuration.labels(method, route, String(status))));
    child.observe(seconds);
  }

  /** Counts a recommendation cache hit (cheap: a field increment). */
  cacheHit(): void {
    this.pendingHits++;
  }

  /** Counts a recommendation cache miss. */
  cacheMiss(): void {
    this.pendingMisses++;
  }

  private flushCacheCounts(): void {
    if (this.pendingHits > 0) this.cacheHits.inc(this.pendingHits);
    if (this.pendingMisses > 0) this.cacheMisses.inc(this.pendingMisses);
    this.pendingHits = 0;
    this.pendingMisses = 0;
  }

  /** Sets `funnelrec_model_info` to exactly the loaded models. */
  setModels(snap: ModelSnapshot): void {
    this.modelInfo.reset();
    for (const m of snap.models.values()) this.modelInfo.set({ model: m.name, version: m.version }, 1);
  }

  /** The JSON view: totals, cache hit ratio and per-route latency quantiles (from the histogram). */
  async snapshot(): Promise<Record<string, unknown>> {
    const json = await this.registry.getMetricsAsJSON();
    const value = (name: string): number =>
      (json.find((m) => m.name === name)?.values ?? []).reduce((s, v) => s + Number(v.value), 0);
    const hits = value('funnelrec_cache_hits_total');
    const misses = value('funnelrec_cache_misses_total');
    const events: Record<string, number> = {};
    for (const v of json.find((m) => m.name === 'funnelrec_events_ingested_total')?.values ?? []) {
      events[String(v.labels.event)] = Number(v.value);
    }
    return {
      cache: {
        hits,
        misses,
        errors: value('funnelrec_cache_errors_total'),
        hit_ratio: hits + misses > 0 ? hits / (hits + misses) : null,
      },
      events: { ingested: events, duplicates: value('funnelrec_events_duplicate_total') },
      models: (json.find((m) => m.name === 'funnelrec_model_info')?.values ?? []).map((v) => ({
        model: v.labels.model,
        version: v.labels.version,
      })),
      routes: routeLatency(
        json.find((m) => m.name === 'funnelrec_http_request_duration_seconds')?.values ?? [],
      ),
    };
  }
}

type MetricValue = { value: number; labels: Partial<Record<string, string | number>>; metricName?: string };

/** Per route: request count and p50/p99 upper bounds (ms) read off the cumulative buckets. */
function routeLatency(
  values: MetricValue[],
): Record<string, { count: number; p50_ms: number | null; p99_ms: number | null }> {
  const byRoute = new Map<string, { le: number; n: number }[]>();
  const counts = new Map<string, number>();
  for (const v of values) {
    const key = `${v.labels.method} ${v.labels.route}`;
    if (v.metricName?.endsWith('_bucket')) {
      const list = byRoute.get(key) ?? [];
      const le = v.labels.le === '+Inf' ? Infinity : Number(v.labels.le);
      const existing = list.find((b) => b.le === le);
      if (existing) existing.n += v.value;
      else list.push({ le, n: v.value });
      byRoute.set(key, list);
    } else if (v.metricName?.endsWith('_count')) counts.set(key, (counts.get(key) ?? 0) + v.value);
  }
  const out: Record<string, { count: number; p50_ms: number | null; p99_ms: number | null }> = {};
  for (const [key, buckets] of byRoute) {
    buckets.sort((a, b) => a.le - b.le);
    const total = counts.get(key) ?? 0;
    const q = (p: number): number | null => {
      const b = buckets.find((x) => x.n >= p * total);
      return total === 0 || !b || b.le === Infinity ? null : b.le * 1000;
    };
    out[key] = { count: total, p50_ms: q(0.5), p99_ms: q(0.99) };
  }
  return out;
}
