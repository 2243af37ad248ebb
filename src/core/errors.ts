/**
 * One coded error hierarchy for the whole code base. The API maps `code` to an HTTP status in one
 * place; the CLI prints `message` (which always says what failed and what to do).
 */
export type RecErrorCode =
  | 'NOT_FITTED'
  | 'UNKNOWN_ITEM'
  | 'UNKNOWN_USER'
  | 'UNKNOWN_MODEL'
  | 'CONFIG_INVALID'
  | 'DATA_INVALID'
  | 'DATA_MISSING'
  | 'CHECKSUM_MISMATCH'
  | 'ARTIFACT_INVALID'
  | 'DOWNLOAD_FAILED'
  | 'CANCELLED'
  | 'NUMERIC'
  | 'USAGE';

export class RecError extends Error {
  readonly code: RecErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: RecErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'RecError';
    this.code = code;
    this.details = details;
  }
}

export function isRecError(e: unknown, code?: RecErrorCode): e is RecError {
  return e instanceof RecError && (code === undefined || e.code === code);
}
