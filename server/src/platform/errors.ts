/** One error type for the whole server; the HTTP layer turns it into RFC 9457 problem+json. */
export interface FieldError {
  field: string;
  code: string;
  /** Extra values for the message, e.g. { name } for an unknown field. */
  params?: Record<string, unknown>;
  /** Used when the catalog has no message for this code. */
  message?: string;
}

export class AppError extends Error {
  constructor(
    public readonly code: string,
    public readonly status: number,
    message?: string,
    public readonly details: { errors?: FieldError[]; params?: Record<string, unknown> } = {},
  ) {
    super(message ?? code);
  }
}

export const notFound = () => new AppError('not_found', 404, 'Not found');
export const forbidden = (code = 'forbidden', params?: Record<string, unknown>) =>
  new AppError(code, 403, 'Forbidden', { params });
export const validation = (errors: FieldError[]) =>
  new AppError('validation_failed', 400, 'Validation failed', { errors });
export const conflict = (code: string, params?: Record<string, unknown>) => new AppError(code, 409, code, { params });
export const unprocessable = (code: string, params?: Record<string, unknown>) =>
  new AppError(code, 422, code, { params });

export const versionConflict = () => conflict('version_conflict');

/** True for a PostgreSQL unique-violation; both drivers expose the SQLSTATE as `code`. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; cause?: unknown } | null;
  if (!e) return false;
  if (e.code === '23505') return constraint ? e.constraint === constraint : true;
  return e.cause ? isUniqueViolation(e.cause, constraint) : false;
}
