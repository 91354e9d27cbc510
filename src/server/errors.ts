/**
 * Domain errors with stable codes. Domain code throws these; the one error handler in
 * src/server/errorHandler.ts maps them to HTTP statuses and translated messages.
 */
export interface FieldProblem {
  /** JSON pointer of the field, e.g. `/name_ur`. */
  path: string;
  /** Stable code: required, too_short, too_long, invalid_format, invalid_choice, taken, ... */
  code: string;
  /** Values for the message (limit, etc.). */
  params?: Record<string, string | number>;
}

export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly code: string,
    readonly status: number,
    readonly params: Record<string, string | number> = {},
    readonly fields: FieldProblem[] = [],
  ) {
    super(code);
  }
}

export class ValidationFailed extends DomainError {
  constructor(fields: FieldProblem[]) {
    super("validation_failed", 400, {}, fields);
  }
}

export class NotFound extends DomainError {
  constructor(what = "not_found") {
    super(what === "not_found" ? "not_found" : `${what}_not_found`, 404);
  }
}

export class Unauthenticated extends DomainError {
  constructor() {
    super("unauthenticated", 401);
  }
}

export class Forbidden extends DomainError {
  constructor(code = "forbidden") {
    super(code, 403);
  }
}

export class Conflict extends DomainError {
  constructor(code: string, fields: FieldProblem[] = []) {
    super(code, 409, {}, fields);
  }
}

export class TooManyRequests extends DomainError {
  constructor(retryAfterSeconds: number) {
    super("rate_limited", 429, { seconds: retryAfterSeconds });
  }
}
