import type { DbOrTx } from './db/index.js';
import { auditEvents, type FieldChange } from './db/audit.schema.js';
import type { Actor } from './context.js';

export interface AuditInput {
  actor: Actor | null;
  action: string;
  targetType: string;
  targetId: string;
  ticketId?: string | null;
  changes?: FieldChange[];
  at?: Date;
}

/** The INSERT for audit events, unexecuted, so a caller can run it inside a larger statement. */
export function auditInsert(db: DbOrTx, input: AuditInput | AuditInput[]) {
  const rows = (Array.isArray(input) ? input : [input]).map((e) => ({
    actorType: e.actor ? 'user' : null,
    actorId: e.actor?.id ?? null,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    ticketId: e.ticketId ?? null,
    changes: e.changes ?? [],
    ...(e.at ? { createdAt: e.at } : {}),
  }));
  return rows.length ? db.insert(auditEvents).values(rows) : null;
}

export async function recordAudit(db: DbOrTx, input: AuditInput | AuditInput[]) {
  const insert = auditInsert(db, input);
  if (insert) await insert;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields of `patch` whose value differs from `before`, as before/after pairs. Secrets are never copied in. */
export function changedFields<T extends Record<string, unknown>>(
  before: T,
  patch: Partial<T>,
  redact: string[] = [],
): FieldChange[] {
  const out: FieldChange[] = [];
  for (const [field, after] of Object.entries(patch)) {
    if (after === undefined || same(before[field], after)) continue;
    out.push(redact.includes(field) ? { field, before: '[redacted]', after: '[redacted]' } : { field, before: before[field] ?? null, after });
  }
  return out;
}
