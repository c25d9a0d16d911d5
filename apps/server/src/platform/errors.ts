/**
 * Typed domain errors. Services throw these; the single HTTP error handler
 * (platform/http/errors.plugin.ts) maps them to `{error: {code, message, details?, requestId}}`.
 * Services never throw transport errors.
 */
export type ErrorDetails = Record<string, unknown>;

export abstract class AppError extends Error {
  abstract readonly status: number;
  readonly code: string;
  readonly details: ErrorDetails | undefined;
  /** Extra response headers (e.g. Retry-After). */
  readonly headers: Record<string, string> = {};

  constructor(code: string, message: string, details?: ErrorDetails) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

export class ValidationError extends AppError {
  readonly status = 400;
  constructor(message: string, details?: ErrorDetails, code = 'validation_error') {
    super(code, message, details);
  }
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  constructor(message = 'Authentication required', code = 'unauthorized', details?: ErrorDetails) {
    super(code, message, details);
  }
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  constructor(message = 'You are not allowed to do this', code = 'forbidden', details?: ErrorDetails) {
    super(code, message, details);
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  constructor(resource: string, id?: string) {
    super(
      'not_found',
      id === undefined ? `${resource} not found` : `${resource} '${id}' not found`,
      undefined,
    );
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
  constructor(message: string, details?: ErrorDetails, code = 'conflict') {
    super(code, message, details);
  }
}

export class UnprocessableError extends AppError {
  readonly status = 422;
  constructor(message: string, details?: ErrorDetails, code = 'unprocessable') {
    super(code, message, details);
  }
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  constructor(message = 'Request body is too large') {
    super('payload_too_large', message);
  }
}

export class RateLimitedError extends AppError {
  readonly status = 429;
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number, message = 'Too many requests, try again later') {
    super('rate_limited', message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) });
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
    this.headers['retry-after'] = String(this.retryAfterSeconds);
  }
}

/** A failure of an upstream system (Proxmox). Carries what an operator needs to debug it. */
export class UpstreamError extends AppError {
  readonly status = 502;
  constructor(message: string, details?: ErrorDetails) {
    super('upstream_error', message, details);
  }
}

export class UnavailableError extends AppError {
  readonly status = 503;
  constructor(message = 'Service unavailable', details?: ErrorDetails) {
    super('unavailable', message, details);
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
