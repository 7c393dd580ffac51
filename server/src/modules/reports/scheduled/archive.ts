/**
 * Producing, keeping and sending the scheduled reports.
 *
 * Exactly once per (kind, period): the report is built, then inserted with ON CONFLICT DO NOTHING
 * on the unique (kind, period) key, and its emails are queued in the same transaction only when
 * the insert happened. Two processes running the schedule (or a retried job) may both build it;
 * one row and one set of emails result.
 */
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { ArchivedReportSummaryT, ReportRecipientT, ScheduledReportData } from '@caredesk/contracts';
import type { AuthedCtx } from '../../../platform/context.js';
import type { Config } from '../../../platform/config.js';
import type { Db, DbOrTx } from '../../../platform/db/index.js';
import type { Jobs } from '../../../platform/jobs.js';
import { forbidden, notFound, validation } from '../../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../../platform/cursor.js';
import { enqueueSend, queueModuleMail, type ComposedMail } from '../../channels/email/index.js';
import { assertCanReadReports } from '../use-cases/kpis.js';
import { buildReport, systemCtx } from './build.js';
import { latestDue, parsePeriod, periodsToProduce, REPORT_KINDS, type Period, type ReportKind } from './periods.js';
import { reportArchive, reportDeliveries, reportRecipients } from './schema.js';
import { periodLabel, renderReportHtml, reportTitle } from './render.js';
import { htmlToPdf, pdfAvailable } from './pdf.js';
import { reportCsv } from './csv.js';

export const MAIL_PURPOSE = 'report';

export interface ProduceDeps {
  db: Db;
  config: Config;
  jobs?: Jobs;
  now: () => Date;
}

type Row = typeof reportArchive.$inferSelect;

function summary(r: Row, deliveries: number): ArchivedReportSummaryT {
  return {
    id: r.id,
    kind: r.kind as ReportKind,
    period: r.period,
    periodStart: r.periodStart.toISOString(),
    periodEnd: r.periodEnd.toISOString(),
    timeZone: r.timeZone,
    trigger: r.trigger,
    generatedAt: r.generatedAt.toISOString(),
    deliveries,
  };
}

async function deliveriesOf(db: DbOrTx, ids: string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const res = await db.execute<{ archive_id: string; n: string | number }>(
    sql`select archive_id::text, count(*) as n from report_deliveries where archive_id in (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)}) group by 1`,
  );
  return new Map(res.rows.map((r) => [r.archive_id, Number(r.n)]));
}

/**
 * Builds and archives one period's report unless it is archived already. Returns the archived row
 * and whether this call created it. Emails go to the kind's recipients only on creation.
 */
export async function produce(deps: ProduceDeps, p: Period, trigger: 'schedule' | 'manual', actorId: string | null = null): Promise<{ created: boolean; row: Row }> {
  const existing = await findArchived(deps.db, p.kind, p.id);
  if (existing) return { created: false, row: existing };
  const now = deps.now();
  const data = await buildReport(systemCtx(deps.db, deps.config, now), p);
  const queued: string[] = [];
  const result = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(reportArchive)
      .values({ kind: p.kind, period: p.id, periodStart: p.start, periodEnd: p.end, timeZone: p.timeZone, data: data as never, trigger, generatedById: actorId, generatedAt: now })
      .onConflictDoNothing({ target: [reportArchive.kind, reportArchive.period] })
      .returning();
    if (!row) return null;
    const recipients = await tx.select().from(reportRecipients).where(eq(reportRecipients.kind, p.kind)).orderBy(reportRecipients.email);
    for (const r of recipients) {
      const lang = r.language === 'ar' ? 'ar' : 'en';
      const mailId = await queueModuleMail(tx, { purpose: MAIL_PURPOSE, to: r.email, subject: `${reportTitle(p.kind, lang)} — ${periodLabel(data, lang)}` });
      await tx.insert(reportDeliveries).values({ archiveId: row.id, emailMessageId: mailId, email: r.email, language: lang }).onConflictDoNothing();
      if (mailId) queued.push(mailId);
    }
    return row;
  });
  if (!result) return { created: false, row: (await findArchived(deps.db, p.kind, p.id))! };
  // After the commit: the send jobs find committed rows. A lost enqueue is picked up by the email sweep.
  await enqueueSend(deps.jobs, queued);
  return { created: true, row: result };
}

async function findArchived(db: DbOrTx, kind: ReportKind, period: string): Promise<Row | null> {
  const [row] = await db.select().from(reportArchive).where(and(eq(reportArchive.kind, kind), eq(reportArchive.period, period)));
  return row ?? null;
}

/**
 * What the schedule does, for one kind: every period due at `now` and not archived, oldest first
 * (after downtime, the missed ones too). Safe to run in any number of processes at once.
 */
export async function produceDue(deps: ProduceDeps, kind: ReportKind): Promise<string[]> {
  const [last] = await deps.db
    .select({ period: reportArchive.period })
    .from(reportArchive)
    .where(eq(reportArchive.kind, kind))
    .orderBy(desc(reportArchive.periodStart))
    .limit(1);
  const produced: string[] = [];
  for (const p of periodsToProduce(kind, deps.now(), deps.config.timeZone, last?.period ?? null)) {
    const r = await produce(deps, p, 'schedule');
    if (r.created) produced.push(p.id);
  }
  return produced;
}

export async function produceAllDue(deps: ProduceDeps) {
  const out: Record<string, string[]> = {};
  for (const k of REPORT_KINDS) out[k] = await produceDue(deps, k);
  return out;
}

const canProduce = (ctx: AuthedCtx) => ctx.actor.roles.some((r) => r === 'admin' || r === 'manager');

/** On demand: a manager or admin produces a period's report now (or again, with `replace`). */
export async function generateOnDemand(ctx: AuthedCtx, body: { kind: ReportKind; period?: string; replace?: boolean }) {
  if (!canProduce(ctx)) throw forbidden('reports.not_allowed');
  const tz = ctx.config.timeZone;
  const p = body.period ? parsePeriod(body.kind, body.period, tz) : latestDue(body.kind, ctx.now(), tz);
  if (!p)
    throw validation([{ field: 'period', code: 'invalid', params: { reason: body.kind === 'weekly_care' ? 'a Sunday as YYYY-MM-DD' : 'a month as YYYY-MM' } }]);
  if (p.end > ctx.now()) throw validation([{ field: 'period', code: 'invalid', params: { reason: 'the period has not ended yet' } }]);
  const deps: ProduceDeps = { db: ctx.db, config: ctx.config, jobs: ctx.jobs, now: ctx.now };
  if (body.replace) {
    const existing = await findArchived(ctx.db, p.kind, p.id);
    if (existing) {
      const now = ctx.now();
      const data = await buildReport(systemCtx(ctx.db, ctx.config, now), p);
      const [row] = await ctx.db
        .update(reportArchive)
        .set({ data: data as never, generatedAt: now, trigger: 'manual', generatedById: ctx.actor.id })
        .where(eq(reportArchive.id, existing.id))
        .returning();
      return { created: false, report: summary(row!, (await deliveriesOf(ctx.db, [row!.id])).get(row!.id) ?? 0) };
    }
  }
  const r = await produce(deps, p, 'manual', ctx.actor.id);
  return { created: r.created, report: summary(r.row, (await deliveriesOf(ctx.db, [r.row.id])).get(r.row.id) ?? 0) };
}

export async function listArchive(ctx: AuthedCtx, q: { kind?: ReportKind; limit?: number; cursor?: string }) {
  assertCanReadReports(ctx);
  const limit = q.limit ?? 50;
  const conds = [];
  if (q.kind) conds.push(eq(reportArchive.kind, q.kind));
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor) as [string, string];
    if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at))) throw validation([{ field: 'cursor', code: 'invalid' }]);
    conds.push(or(lt(reportArchive.periodStart, new Date(at)), and(eq(reportArchive.periodStart, new Date(at)), lt(reportArchive.id, id))));
  }
  const rows = await ctx.db
    .select()
    .from(reportArchive)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(reportArchive.periodStart), desc(reportArchive.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const counts = await deliveriesOf(ctx.db, page.map((r) => r.id));
  const last = page[page.length - 1];
  return {
    items: page.map((r) => summary(r, counts.get(r.id) ?? 0)),
    nextCursor: rows.length > limit && last ? encodeCursor([last.periodStart.toISOString(), last.id]) : null,
  };
}

export async function getArchived(ctx: AuthedCtx, id: string) {
  assertCanReadReports(ctx);
  const [row] = await ctx.db.select().from(reportArchive).where(eq(reportArchive.id, id));
  if (!row) throw notFound();
  return { ...summary(row, (await deliveriesOf(ctx.db, [id])).get(id) ?? 0), data: row.data as unknown as ScheduledReportData };
}

export async function archivedPdf(ctx: AuthedCtx, id: string, lang: 'en' | 'ar') {
  const r = await getArchived(ctx, id);
  const html = renderReportHtml(r.data, lang, r.generatedAt);
  return { report: r, pdf: await htmlToPdf(ctx.config.chromiumPath, html, lang) };
}

export function fileName(r: { kind: string; period: string }, lang: string, ext: string) {
  return `${r.kind === 'weekly_care' ? 'customer-care-report' : 'key-account-report'}-${r.period}${lang === 'ar' ? '-ar' : ''}.${ext}`;
}

// ---- recipients

const canConfigure = canProduce;

export async function getRecipients(ctx: AuthedCtx) {
  if (!canConfigure(ctx)) throw forbidden('reports.not_allowed');
  const rows = await ctx.db.select().from(reportRecipients).orderBy(reportRecipients.kind, reportRecipients.email);
  const out: Record<ReportKind, ReportRecipientT[]> = { weekly_care: [], monthly_key_accounts: [] };
  for (const r of rows) out[r.kind as ReportKind]?.push({ email: r.email, language: r.language === 'ar' ? 'ar' : 'en' });
  return out;
}

/** Replaces a kind's recipient list. Addresses are compared lower-cased; a repeat is a 400 on its row. */
export async function putRecipients(ctx: AuthedCtx, kind: ReportKind, list: ReportRecipientT[]) {
  if (!canConfigure(ctx)) throw forbidden('reports.not_allowed');
  const seen = new Set<string>();
  const errors: Parameters<typeof validation>[0] = [];
  const clean = list.map((r, i) => {
    const email = r.email.trim().toLowerCase();
    if (seen.has(email)) errors.push({ field: `recipients.${i}.email`, code: 'duplicate', params: { reason: 'listed twice' } });
    seen.add(email);
    return { email, language: r.language };
  });
  if (errors.length) throw validation(errors);
  await ctx.db.transaction(async (tx) => {
    await tx.delete(reportRecipients).where(eq(reportRecipients.kind, kind));
    if (clean.length) await tx.insert(reportRecipients).values(clean.map((r) => ({ kind, email: r.email, language: r.language })));
  });
  return getRecipients(ctx);
}

// ---- the email

/** Composes a report email when the outbox sends it: the report as HTML, its PDF attached. */
export function reportMailComposer(config: Config) {
  return async (db: DbOrTx, emailMessageId: string): Promise<ComposedMail | null> => {
    const [row] = await db
      .select({ archive: reportArchive, language: reportDeliveries.language })
      .from(reportDeliveries)
      .innerJoin(reportArchive, eq(reportArchive.id, reportDeliveries.archiveId))
      .where(eq(reportDeliveries.emailMessageId, emailMessageId));
    if (!row) return null;
    const lang = row.language === 'ar' ? 'ar' : 'en';
    const data = row.archive.data as unknown as ScheduledReportData;
    const html = renderReportHtml(data, lang, row.archive.generatedAt.toISOString());
    const title = `${reportTitle(data.kind, lang)} — ${periodLabel(data, lang)}`;
    const attachments: ComposedMail['attachments'] = [];
    // Without Chromium the report still goes out, as the HTML body; the CSV is always attached.
    if (pdfAvailable(config.chromiumPath)) {
      attachments.push({ filename: fileName(row.archive, lang, 'pdf'), contentType: 'application/pdf', data: await htmlToPdf(config.chromiumPath, html, lang) });
    }
    attachments.push({ filename: fileName(row.archive, lang, 'csv'), contentType: 'text/csv; charset=utf-8', data: Buffer.from(reportCsv(data, lang), 'utf8') });
    return { subject: title, html, text: `${title}\n\n${lang === 'ar' ? 'التقرير مرفق بصيغة PDF وCSV.' : 'The report is attached as PDF and CSV.'}\n`, attachments };
  };
}
