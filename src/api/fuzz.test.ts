/**
 * Fuzzing driven by the OpenAPI document: for every operation, fast-check generates requests from
 * its schemas (valid values, values at and past the bounds, and arbitrary JSON in their place) and
 * sends them in process. No request may produce a 5xx (503 before readiness is not the case here:
 * models are loaded), and the app keeps answering.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyApp, type TestApp } from './test-helpers.js';

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
};

/** Values from a schema, valid most of the time, sometimes past a bound or of another type. */
function fromSchema(s: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const junk = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 40 }), fc.constant(null));
  if (!s || depth > 4) return junk;
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  let valid: fc.Arbitrary<unknown>;
  if (s.enum) valid = fc.constantFrom(...s.enum);
  else if (type === 'string') {
    const maxLength = Math.min(s.maxLength ?? 30, 30);
    valid = s.pattern
      ? fc
          .stringMatching(new RegExp(s.pattern))
          .filter((x) => x.length >= (s.minLength ?? 0) && x.length <= (s.maxLength ?? Infinity))
      : fc.string({ minLength: s.minLength ?? 0, maxLength });
  } else if (type === 'integer' || type === 'number') {
    const lo = s.minimum ?? -1e9;
    const hi = Math.min(s.maximum ?? 1e9, 1e15);
    valid = fc.oneof(
      fc.integer({ min: Math.max(lo, -2e9), max: Math.min(hi, 2e9) }),
      fc.constantFrom(lo, hi, lo - 1, hi + 1),
    );
  } else if (type === 'array') {
    valid = fc.array(fromSchema(s.items, depth + 1), { maxLength: Math.min(s.maxItems ?? 5, 5) });
  } else if (type === 'object') {
    const props = s.properties ?? {};
    const required = new Set(s.required ?? []);
    const rec: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [k, v] of Object.entries(props)) rec[k] = fromSchema(v, depth + 1);
    valid = fc.record(rec, { requiredKeys: [...required].filter((k) => k in rec) as never[] });
  } else valid = junk;
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: junk });
}

interface Operation {
  method: string;
  path: string;
  params: { name: string; in: string; schema: Schema }[];
  body?: Schema;
}

let t: TestApp;
let ops: Operation[];
beforeAll(async () => {
  t = await tinyApp({ deps: { config: { rateLimit: false, maxBatch: 20 } } });
  const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
    paths: Record<
      string,
      Record<
        string,
        { parameters?: Operation['params']; requestBody?: { content: Record<string, { schema: Schema }> } }
      >
    >;
  };
  ops = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      ops.push({
        method: method.toUpperCase(),
        path,
        params: op.parameters ?? [],
        body: op.requestBody?.content['application/json']?.schema,
      });
    }
  }
});
afterAll(async () => t.close());

function requestArb(op: Operation) {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  return fc.record({
    path: fc.tuple(...pathParams.map((p) => fc.oneof(fromSchema(p.schema), fc.string({ maxLength: 300 })))),
    query: fc.tuple(...queryParams.map((p) => fc.option(fromSchema(p.schema), { nil: undefined }))),
    extraQuery: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    body: op.body
      ? fc.oneof(
          { weight: 5, arbitrary: fromSchema(op.body) },
          { weight: 1, arbitrary: fc.string({ maxLength: 50 }) },
        )
      : fc.constant(undefined),
    rawBody: fc.boolean(),
  });
}

describe('the API under requests generated from its OpenAPI document', () => {
  it('lists every operation it documents', () => {
    expect(ops.length).toBeGreaterThanOrEqual(8);
  });

  it('never answers 5xx and keeps serving', async () => {
    const classes = new Map<string, Set<number>>();
    for (const op of ops) {
      await fc.assert(
        fc.asyncProperty(requestArb(op), async (r) => {
          let url = op.path;
          op.params
            .filter((p) => p.in === 'path')
            .forEach((p, i) => {
              url = url.replace(`{${p.name}}`, encodeURIComponent(String(r.path[i])));
            });
          const qs = new URLSearchParams();
          op.params
            .filter((p) => p.in === 'query')
            .forEach((p, i) => {
              const v = r.query[i];
              if (v !== undefined) qs.append(p.name, typeof v === 'object' ? JSON.stringify(v) : String(v));
            });
          if (r.extraQuery !== undefined) qs.append(r.extraQuery, 'x');
          const q = qs.toString();
          const res = await t.app.inject({
            method: op.method as 'GET',
            url: q ? `${url}?${q}` : url,
            ...(op.body !== undefined
              ? {
                  payload: r.rawBody
                    ? String(JSON.stringify(r.body)).slice(0, -1)
                    : JSON.stringify(r.body ?? null),
                  headers: { 'content-type': 'application/json' },
                }
              : {}),
          });
          const seen = classes.get(op.path) ?? new Set<number>();
          seen.add(Math.floor(res.statusCode / 100));
          classes.set(op.path, seen);
          if (res.statusCode >= 500)
            throw new Error(`${op.method} ${url}?${q} → ${res.statusCode}: ${res.body}`);
        }),
        { numRuns: op.path.startsWith('/docs') ? 10 : 120, seed: 42 },
      );
    }
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    // The generator reaches both accepted and rejected requests of the main endpoints.
    for (const p of ['/recommendations/{user_id}', '/recommendations/session', '/events', '/stats/funnel']) {
      expect([...(classes.get(p) ?? [])].sort()).toEqual([2, 4]);
    }
  });
});
