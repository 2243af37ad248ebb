/**
 * JSON schemas of the API (validation by Fastify/ajv, documentation by @fastify/swagger, and the
 * source of the OpenAPI-driven fuzz test). Unknown properties are errors, every string and array
 * has a bound.
 */
import { FUNNEL_STAGES } from '../data/processing/funnel.js';

/** Limits of the API; all configurable through `ApiConfig`. */
export interface ApiLimits {
  maxK: number;
  maxBatch: number;
  maxExclude: number;
  maxSessionEvents: number;
}

export const ID_PATTERN = '^[A-Za-z0-9_.:@-]+$';
const id = (description: string) =>
  ({ type: 'string', minLength: 1, maxLength: 128, pattern: ID_PATTERN, description }) as const;
const EVENT_TYPE = { type: 'string', enum: ['view', 'addtocart', 'transaction'] } as const;

const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
  additionalProperties: true,
} as const;

const recommendationSchema = {
  type: 'object',
  properties: {
    user_id: { type: ['string', 'null'] },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          score: { type: 'number' },
          category: { type: ['integer', 'null'] },
          reason: { type: 'string' },
          reason_kind: { type: 'string' },
          evidence: { type: 'object', additionalProperties: true },
        },
      },
    },
    model: { type: 'string' },
    model_version: { type: 'string' },
    funnel_stage: { type: 'string', enum: [...FUNNEL_STAGES] },
    explanation: { type: 'string' },
    cold_start: { type: 'boolean' },
    generated_at: { type: 'string' },
  },
} as const;

/** Error responses every route can give. */
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, problemSchema]));

function listQuery(l: ApiLimits) {
  return {
    k: { type: 'integer', minimum: 1, maximum: l.maxK, default: 10, description: 'Number of items' },
    category: {
      type: 'integer',
      minimum: -1,
      maximum: 2147483647,
      description: 'Only items of this raw category id',
    },
    model: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '^[a-z0-9-]+$',
      description: 'Model name (default: best loaded)',
    },
  } as const;
}

export function userRecommendationsSchema(l: ApiLimits) {
  return {
    summary: 'Personalised recommendations for a user (cold-start answer for unknown users)',
    tags: ['recommendations'],
    params: { type: 'object', properties: { user_id: id('External user id') }, required: ['user_id'] },
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ...listQuery(l),
        exclude: {
          type: 'string',
          maxLength: l.maxExclude * 24,
          pattern: '^[A-Za-z0-9_.:@,-]*$',
          description: 'Comma-separated item ids not to recommend',
        },
      },
    },
    response: { 200: recommendationSchema, ...errors(400, 401, 404, 429, 503) },
  } as const;
}

export function sessionRecommendationsSchema(l: ApiLimits) {
  return {
    summary: 'Recommendations for an anonymous session (item ids and event types in order)',
    tags: ['recommendations'],
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['events'],
      properties: {
        events: {
          type: 'array',
          maxItems: l.maxSessionEvents,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['item_id'],
            properties: {
              item_id: id('External item id'),
              event: { ...EVENT_TYPE, default: 'view' },
              ts: {
                type: 'integer',
                minimum: 0,
                maximum: 8640000000000000,
                description: 'Epoch ms (default: in order, ending now)',
              },
            },
          },
        },
        ...listQuery(l),
        exclude: { type: 'array', maxItems: l.maxExclude, items: id('Item id') },
      },
    },
    response: { 200: recommendationSchema, ...errors(400, 404, 413, 415, 429, 503) },
  } as const;
}

export function eventsSchema(l: ApiLimits) {
  return {
    summary: 'Record one event or a batch (durably logged before the response)',
    description:
      'Body: `{ "events": [...] }` or a single event object. `event_id` makes an event idempotent; the ' +
      '`Idempotency-Key` header makes the whole request idempotent (a retry returns the first response).',
    tags: ['events'],
    headers: {
      type: 'object',
      properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 200 } },
    },
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['events'],
      properties: {
        events: {
          type: 'array',
          minItems: 1,
          maxItems: l.maxBatch,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['user_id', 'item_id', 'event'],
            properties: {
              user_id: id('External user id'),
              item_id: id('External item id'),
              event: EVENT_TYPE,
              ts: {
                type: 'integer',
                minimum: 0,
                maximum: 8640000000000000,
                description: 'Epoch ms (default: now)',
              },
              event_id: {
                type: 'string',
                minLength: 1,
                maxLength: 200,
                description: 'Idempotency key of this event',
              },
            },
          },
        },
      },
    },
    response: {
      200: {
        type: 'object',
        properties: {
          accepted: { type: 'integer' },
          duplicates: { type: 'integer' },
          replayed: { type: 'boolean' },
          seqs: { type: 'array', items: { type: 'integer' } },
          funnel_stages: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      ...errors(400, 401, 409, 413, 415, 429, 503),
    },
  } as const;
}

const countsSchema = {
  type: 'object',
  properties: {
    from: { type: ['integer', 'null'] },
    to: { type: ['integer', 'null'] },
    events: { type: 'object', additionalProperties: { type: 'integer' } },
    users: { type: 'object', additionalProperties: { type: 'integer' } },
    rates: { type: 'object', additionalProperties: { type: ['number', 'null'] } },
  },
} as const;

export const funnelStatsSchema = {
  summary: 'Conversion funnel: counts and rates, overall and over a time window',
  tags: ['stats'],
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      from: { type: 'integer', minimum: 0, maximum: 8640000000000000, description: 'Window start, epoch ms' },
      to: {
        type: 'integer',
        minimum: 0,
        maximum: 8640000000000000,
        description: 'Window end (exclusive), epoch ms',
      },
      window: {
        type: 'string',
        pattern: '^[0-9]{1,6}(m|h|d)$',
        description: 'Window ending now, e.g. 24h, 7d',
      },
    },
  },
  response: {
    200: {
      type: 'object',
      properties: { overall: countsSchema, window: { anyOf: [countsSchema, { type: 'null' }] } },
    },
    ...errors(400, 429),
  },
} as const;

export const metricsSchema = {
  summary: 'Prometheus metrics (text); ?format=json for the dashboard view',
  tags: ['ops'],
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { format: { type: 'string', enum: ['prometheus', 'json'] } },
  },
} as const;

export const healthSchema = { summary: 'Liveness', tags: ['ops'] } as const;
export const readySchema = { summary: 'Readiness: 503 until models are loaded', tags: ['ops'] } as const;
export const reloadSchema = {
  summary: 'Reload published models atomically (broken artifacts are rejected, old versions keep serving)',
  tags: ['admin'],
  response: { ...errors(401, 422, 503) },
} as const;
