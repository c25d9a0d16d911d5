/** Errors raised by simulator handlers, rendered as PVE renders them. */

export class PveError extends Error {
  readonly status: number;
  readonly errors: Record<string, string> | undefined;
  /** `message` is PVE's text; it gets the trailing newline PVE's `die` adds when rendered. */
  constructor(status: number, message: string, errors?: Record<string, string>) {
    super(message);
    this.status = status;
    this.errors = errors;
  }
}

/** A plain `die "…\n"` inside a PVE API handler: HTTP 500 with the message. */
export const die = (message: string): never => {
  throw new PveError(500, message);
};

/** `raise_param_exc`: HTTP 400 "Parameter verification failed." with per-parameter errors. */
export const paramError = (errors: Record<string, string>): never => {
  throw new PveError(400, 'Parameter verification failed.', errors);
};
