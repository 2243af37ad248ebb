/** The part of autocannon 8's API the benchmark uses (the package ships no types). */
declare module 'autocannon' {
  namespace autocannon {
    interface RawRequest {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
    }
    interface Request extends RawRequest {
      setupRequest?: (req: RawRequest, context: Record<string, unknown>) => RawRequest;
      onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
    }
    interface Options {
      url: string;
      connections?: number;
      duration?: number;
      overallRate?: number;
      requests?: Request[];
    }
    interface Histogram {
      average: number;
      p50: number;
      p99: number;
      total?: number;
    }
    interface Result {
      requests: Histogram;
      latency: Histogram;
      non2xx: number;
      errors: number;
    }
  }
  /** The run: a promise of the result that also emits `response` (client, status, bytes, ms). */
  interface Tracker extends Promise<autocannon.Result> {
    on(
      event: 'response',
      fn: (client: unknown, status: number, bytes: number, responseTimeMs: number) => void,
    ): this;
  }
  function autocannon(opts: autocannon.Options): Tracker;
  export default autocannon;
}
