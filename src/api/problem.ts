/**
 * The ONE place where errors become HTTP responses: RFC 9457 problem bodies
 * (`application/problem+json`) with `type`, `title`, `status`, `detail`, `instance`, the RecError
 * `code`, and for validation failures `errors: [{ field, message }]` naming each bad field and why.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isRecError, type RecErrorCode } from '../core/errors.js';
import { IdempotencyConflict } from './services/event-log.js';

/** An HTTP-only failure that is not a domain error (authentication, unknown route). */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

/** RecError code → HTTP status. */
export const STATUS_OF_CODE: Record<RecErrorCode, number> = {
  USAGE: 400,
  CONFIG_INVALID: 400,
  DATA_INVALID: 400,
  UNKNOWN_ITEM: 404,
  UNKNOWN_USER: 404,
  UNKNOWN_MODEL: 404,
  ARTIFACT_INVALID: 422,
  CHECKSUM_MISMATCH: 422,
  NOT_FITTED: 503,
  DATA_MISSING: 503,
  DOWNLOAD_FAILED: 502,
  CANCELLED: 503,
  NUMERIC: 500,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code?: string;
  errors?: { field: string; message: string }[];
  [extra: string]: unknown;
}

export function problem(
  status: number,
  detail: string,
  instance: string,
  extra: Record<string, unknown> = {},
): ProblemBody {
  return {
    type: `https://funnelrec.dev/problems/${status}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance,
    ...extra,
  };
}

/** Fastify/ajv validation issues → `{ field, message }` with the field as a dotted path. */
function validationErrors(err: FastifyError): { field: string; message: string }[] {
  const ctx = err.validationContext ?? 'body';
  return (err.validation ?? []).map((v) => {
    const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const missing = (v.params as { missingProperty?: string }).missingProperty;
    const extra = (v.params as { additionalProperty?: string }).additionalProperty;
    const field = [ctx, path, missing ?? extra].filter((x) => x !== undefined && x !== '').join('.');
    return { field, message: extra ? `unknown property "${extra}"` : (v.message ?? 'is invalid') };
  });
}

export function toProblem(err: unknown, req: FastifyRequest): ProblemBody {
  const instance = req.url;
  if (err instanceof IdempotencyConflict)
    return problem(409, err.message, instance, { code: 'IDEMPOTENCY_CONFLICT' });
  if (err instanceof HttpProblem)
    return { ...problem(err.status, err.message, instance), title: err.title, ...err.extra };
  if (isRecError(err)) {
    const status = STATUS_OF_CODE[err.code] ?? 500;
    const extra: Record<string, unknown> = { code: err.code };
    const field = err.details?.field;
    if (typeof field === 'string') extra.errors = [{ field, message: err.message }];
    if (err.details?.rejected) extra.rejected = err.details.rejected;
    return problem(
      status,
      status >= 500 && err.code === 'NUMERIC' ? 'The model produced an invalid score' : err.message,
      instance,
      extra,
    );
  }
  const fe = err as FastifyError;
  if (fe && Array.isArray(fe.validation)) {
    const errors = validationErrors(fe);
    return problem(
      400,
      `Invalid request: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
      instance,
      {
        code: 'VALIDATION',
        errors,
      },
    );
  }
  const status =
    typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : 500;
  if (status < 500) return problem(status, fe.message, instance, fe.code ? { code: fe.code } : {});
  return problem(500, 'Unexpected server error; it has been logged', instance);
}

/** Installs the error and not-found handlers on `app`. */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const body = toProblem(err, req);
    if (body.status >= 500) req.log.error({ err }, 'request failed');
    else req.log.debug({ err: (err as Error)?.message }, 'request rejected');
    if (body.status === 429) {
      const retry = (err as { retryAfter?: unknown })?.retryAfter;
      if (retry !== undefined) void reply.header('retry-after', String(retry));
    }
    return reply.status(body.status).type('application/problem+json').send(body);
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .status(404)
      .type('application/problem+json')
      .send(problem(404, `No route ${req.method} ${req.url.split('?')[0]}; see /docs for the API`, req.url)),
  );
}
