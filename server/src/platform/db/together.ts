import { sql, type SQLWrapper } from 'drizzle-orm';
import type { DbOrTx } from './index.js';

/**
 * Runs several INSERT/UPDATE statements as one SQL statement (data-modifying CTEs): one round
 * trip, atomic without BEGIN/COMMIT, foreign keys checked at its end. Used on hot write paths,
 * where each round trip cost measurable server CPU (ticket creation).
 */
export async function runTogether(db: DbOrTx, statements: (SQLWrapper | null | undefined)[]) {
  // getSQL(): embedding the builder itself would wrap it in a second pair of parentheses.
  const parts = statements.filter((s): s is SQLWrapper => !!s).map((s, i) => sql`${sql.raw(`s${i}`)} as (${s.getSQL()})`);
  if (!parts.length) return;
  await db.execute(sql`with ${sql.join(parts, sql`, `)} select 1`);
}

/**
 * As runTogether, and answers the rows of the first statement's RETURNING clause (named as in the
 * database: `ticket_number`, not `ticketNumber`).
 */
export async function runTogetherReturning<T extends Record<string, unknown>>(db: DbOrTx, first: SQLWrapper, rest: (SQLWrapper | null | undefined)[]): Promise<T[]> {
  const parts = [first, ...rest.filter((s): s is SQLWrapper => !!s)].map((s, i) => sql`${sql.raw(`s${i}`)} as (${s.getSQL()})`);
  const res = await db.execute<T>(sql`with ${sql.join(parts, sql`, `)} select * from s0`);
  return res.rows;
}
