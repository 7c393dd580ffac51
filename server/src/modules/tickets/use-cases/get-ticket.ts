import { and } from 'drizzle-orm';
import type { AuthedCtx } from '../../../platform/context.js';
import { notFound } from '../../../platform/errors.js';
import type { DbOrTx } from '../../../platform/db/index.js';
import { byIdOrNumber, isUuid, presentDetail, selectDetails, visibleTo } from '../db/queries.js';

/** The ticket if the actor may see it; 404 otherwise, so its existence does not leak. */
/** `scoped: false` is only for answering the actor who just changed it (and may have handed it away). */
export async function getTicket(ctx: AuthedCtx, idOrNumber: string, db: DbOrTx = ctx.db, scoped = true) {
  if (!isUuid(idOrNumber) && !/^\d{1,15}$/.test(idOrNumber)) throw notFound();
  const [row] = await selectDetails(db).where(and(byIdOrNumber(idOrNumber), scoped ? visibleTo(ctx.actor) : undefined)).limit(1);
  if (!row) throw notFound();
  return presentDetail(row);
}
