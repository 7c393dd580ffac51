/**
 * Escalation notifications: one row per recipient in `sla_notifications` (the bell in the agent
 * workspace) and one email per recipient through the email outbox, both written in the
 * transaction that records the ladder step. The step's unique key makes the step commit once, so
 * its notifications and emails exist once; the outbox delivers each email at least once and
 * `sent` stays sent.
 */
import { publish } from '../../../platform/realtime.js';
import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db/index.js';
import type { AfterCommit, EventServices } from '../../../platform/events.js';
import { t, type Lang } from '../../../platform/i18n.js';
import { users } from '../../people/db/schema.js';
import { tickets } from '../../tickets/db/schema.js';
import { enqueueSend, noticeMail, queueModuleMail, registerMailComposer } from '../../channels/email/index.js';
import { slaNotifications } from '../db/schema.js';

export const SLA_EMAIL_PURPOSE = 'sla_escalation';

/** How emails name times and link to the ticket; set from the server configuration at start. */
const mailSettings = { timeZone: 'UTC', publicUrl: '' };
export function configureSlaMail(settings: { timeZone: string; publicUrl: string }) {
  Object.assign(mailSettings, settings);
}

export interface NewNotification {
  id: string;
  userId: string;
  ticketId: string;
  target: string;
  stepKey: string;
  dueAt: Date | null;
  createdAt: Date;
}

/**
 * Pushes each new notification to its recipient's open workspaces (topic `user:<id>`), inside the
 * step's transaction, so it arrives once the step has committed and never for one rolled back. A
 * workspace that was offline reads them from `GET /notifications` when it comes back.
 */
async function pushSlaNotifications(tx: DbOrTx, rows: NewNotification[]): Promise<void> {
  for (const r of rows) await publish(tx, `user:${r.userId}`, { type: 'sla.notification', id: r.id, ticketId: r.ticketId, target: r.target, stepKey: r.stepKey });
}

export async function notifyUsers(
  tx: DbOrTx,
  input: { ticketId: string; target: string; stepKey: string; dueAt: Date | null; now: Date; userIds: string[] },
  services: EventServices,
): Promise<AfterCommit[]> {
  if (!input.userIds.length) return [];
  const rows = await tx
    .insert(slaNotifications)
    .values(input.userIds.map((userId) => ({ userId, ticketId: input.ticketId, target: input.target, stepKey: input.stepKey, dueAt: input.dueAt, createdAt: input.now })))
    .returning();
  const people = await tx.select({ id: users.id, email: users.email }).from(users).where(and(inArray(users.id, input.userIds), eq(users.active, true)));
  const emailOf = new Map(people.map((p) => [p.id, p.email]));
  const emailIds: string[] = [];
  for (const n of rows) {
    const to = emailOf.get(n.userId);
    if (!to) continue;
    const emailId = await queueModuleMail(tx, { ticketId: input.ticketId, purpose: SLA_EMAIL_PURPOSE, to });
    if (!emailId) break; // no mailbox to send from: the in-app notification stands alone
    await tx.update(slaNotifications).set({ emailId }).where(eq(slaNotifications.id, n.id));
    emailIds.push(emailId);
  }
  const created: NewNotification[] = rows.map((r) => ({ id: r.id, userId: r.userId, ticketId: r.ticketId, target: r.target, stepKey: r.stepKey, dueAt: r.dueAt, createdAt: r.createdAt }));
  await pushSlaNotifications(tx, created);
  return [async () => enqueueSend(services.jobs, emailIds)];
}

/** The email of one notification, in its recipient's language, rendered when it is sent. */
registerMailComposer(SLA_EMAIL_PURPOSE, async (db, emailId) => {
  const [n] = await db
    .select({ target: slaNotifications.target, stepKey: slaNotifications.stepKey, dueAt: slaNotifications.dueAt, name: users.name, language: users.language, number: tickets.number, subject: tickets.subject })
    .from(slaNotifications)
    .innerJoin(users, eq(users.id, slaNotifications.userId))
    .innerJoin(tickets, eq(tickets.id, slaNotifications.ticketId))
    .where(eq(slaNotifications.emailId, emailId));
  if (!n) return null;
  const lang: Lang = n.language === 'ar' ? 'ar' : 'en';
  const v = { number: n.number, subject: n.subject, name: n.name, step: n.stepKey, target: t(lang, `sla.target.${n.target}`) ?? n.target };
  const lines = [t(lang, 'mail.sla.greeting', v)!, t(lang, 'mail.sla.body', v)!];
  if (n.dueAt) {
    const due = new Intl.DateTimeFormat(lang === 'ar' ? 'ar-SA-u-nu-latn' : 'en-GB', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: mailSettings.timeZone, timeZoneName: 'short' }).format(n.dueAt);
    lines.push(t(lang, 'mail.sla.due', { due })!);
  }
  if (mailSettings.publicUrl) lines.push(t(lang, 'mail.sla.open', { url: `${mailSettings.publicUrl}/tickets/${n.number}` })!);
  return noticeMail(lang, t(lang, 'mail.sla.subject', v)!, lines, { 'X-CareDesk-Ticket': String(n.number) });
});
