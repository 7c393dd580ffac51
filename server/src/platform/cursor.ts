import { AppError } from './errors.js';

/** Opaque keyset cursors: the sort values of the last row seen. */
export const encodeCursor = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

export function decodeCursor(cursor: string): unknown[] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v)) return v;
  } catch {
    /* fall through */
  }
  throw new AppError('validation_failed', 400, 'Bad cursor', { errors: [{ field: 'cursor', code: 'invalid', params: { reason: 'not a cursor this API gave out' } }] });
}
