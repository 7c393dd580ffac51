import { eq } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { UpdateMeBody } from '@caredesk/contracts';
import { forgetCachedSessions } from '../../auth/sessions.js';
import type { AuthedCtx } from '../../../platform/context.js';
import { recordAudit, changedFields } from '../../../platform/audit.js';
import { users } from '../db/schema.js';
import { getUser } from './users.js';

export const getMe = (ctx: AuthedCtx) => getUser(ctx, ctx.actor.id);

export async function updateMe(ctx: AuthedCtx, patch: Static<typeof UpdateMeBody>) {
  const before = await getMe(ctx);
  const changes = changedFields(before as unknown as Record<string, unknown>, patch);
  if (changes.length) {
    await ctx.db.transaction(async (tx) => {
      await tx.update(users).set({ ...patch, updatedAt: ctx.now() }).where(eq(users.id, ctx.actor.id));
      await recordAudit(tx, { actor: ctx.actor, action: 'user.updated', targetType: 'user', targetId: ctx.actor.id, changes });
    });
    forgetCachedSessions(); // roles, groups and language travel with the session
  }
  return getMe(ctx);
}
