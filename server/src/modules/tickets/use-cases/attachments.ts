import { createHash } from 'node:crypto';
import path from 'node:path';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { FastifyReply } from 'fastify';
import type { AuthedCtx } from '../../../platform/context.js';
import { forbidden, notFound, validation } from '../../../platform/errors.js';
import type { DbOrTx } from '../../../platform/db/index.js';
import { attachments, tickets } from '../db/schema.js';
import { visibleTo } from '../db/queries.js';

/**
 * A filename safe to show and to put in a header: no path, no control or invisible characters,
 * no leading dots (".htaccess"), bounded length. The bytes are never served from a path.
 */
export function safeFilename(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/'));
  const cleaned = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"]/g, '')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 200);
  return cleaned || 'attachment';
}

export interface UploadedFile {
  filename: string;
  mimetype: string;
  data: Buffer;
}

/**
 * A file uploaded ahead of the message it will go with: by an agent, by a contact through the
 * portal, or by a chat visitor (kept with the chat's ticket).
 */
export async function insertUpload(db: DbOrTx, owner: { uploadedById?: string; uploadedByContactId?: string; ticketId?: string }, file: UploadedFile) {
  const [row] = await db
    .insert(attachments)
    .values({
      ...owner,
      filename: safeFilename(file.filename),
      contentType: file.mimetype || 'application/octet-stream',
      size: file.data.length,
      sha256: createHash('sha256').update(file.data).digest('hex'),
      data: file.data,
    })
    .returning({ id: attachments.id, filename: attachments.filename, contentType: attachments.contentType, size: attachments.size });
  return row!;
}

export async function storeUpload(ctx: AuthedCtx, file: UploadedFile) {
  const row = await insertUpload(ctx.db, { uploadedById: ctx.actor.id }, file);
  return { ...row, url: `/api/v1/attachments/${row.id}/download` };
}

/** Infected files stay on their message as evidence but are never handed to a browser. */
export function refuseInfected(row: { scanStatus: string; scanSignature: string | null }) {
  if (row.scanStatus === 'infected') throw forbidden('attachment.infected', { signature: row.scanSignature ?? '' });
}

/** Binds the caller's own not-yet-used uploads to a message; anything else is refused. */
export async function claimUploads(ctx: AuthedCtx, db: DbOrTx, ids: string[] | undefined, ticketId: string, messageId: string) {
  if (!ids?.length) return;
  const claimed = await db
    .update(attachments)
    .set({ ticketId, messageId })
    .where(and(inArray(attachments.id, ids), eq(attachments.uploadedById, ctx.actor.id), isNull(attachments.messageId)))
    .returning({ id: attachments.id });
  if (claimed.length !== ids.length) throw validation([{ field: 'attachmentIds', code: 'not_found' }]);
}

/** An attachment is readable by whoever can see its ticket, or by its uploader before it is sent. */
export async function readAttachment(ctx: AuthedCtx, id: string) {
  const [row] = await ctx.db
    .select({
      filename: attachments.filename,
      contentType: attachments.contentType,
      data: attachments.data,
      ticketId: attachments.ticketId,
      uploadedById: attachments.uploadedById,
      scanStatus: attachments.scanStatus,
      scanSignature: attachments.scanSignature,
    })
    .from(attachments)
    .where(eq(attachments.id, id));
  if (!row) throw notFound();
  if (row.ticketId) {
    const visible = await ctx.db.select({ id: tickets.id }).from(tickets).where(and(eq(tickets.id, row.ticketId), visibleTo(ctx.actor)));
    if (!visible.length) throw notFound();
  } else if (row.uploadedById !== ctx.actor.id) {
    throw notFound();
  }
  refuseInfected(row);
  return row;
}

/**
 * Serves a stored file as a download the browser may not sniff, render or run, whatever type the
 * uploader claimed (agents, portal customers and chat visitors all download through this).
 */
export function sendInertDownload(reply: FastifyReply, file: { filename: string; data: Buffer }) {
  return reply
    .header('Content-Type', 'application/octet-stream')
    .header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Security-Policy', "default-src 'none'; sandbox")
    .header('Cache-Control', 'private, no-store')
    .send(file.data);
}
