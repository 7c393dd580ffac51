import type { FastifyInstance } from 'fastify';
import type { ApiTypeProvider } from '../../platform/type-provider.js';
import { Type } from 'typebox';
import {
  Attachment,
  AuditEvent,
  Category,
  CreateCategoryBody,
  CreateReasonCodeBody,
  Message,
  NewMessageBody,
  NewTicketBody,
  QueueCounts,
  ReasonCode,
  Ticket,
  TicketListQuery,
  TicketPatchBody,
  TicketSummary,
  TimelineItem,
  UpdateCategoryBody,
  UpdateReasonCodeBody,
  Uuid,
  list,
  page,
} from '@caredesk/contracts';
import { authed } from '../auth/index.js';
import { ifMatchVersion } from '../customers/index.js';
import { notFound, validation } from '../../platform/errors.js';
import { createCategory, createReasonCode, listCategories, listReasonCodes, updateCategory, updateReasonCode } from './use-cases/catalog.js';
import { createTicket } from './use-cases/create-ticket.js';
import { getTicket } from './use-cases/get-ticket.js';
import { updateTicket } from './use-cases/update-ticket.js';
import { listTickets, queueCounts } from './use-cases/list-tickets.js';
import { addMessage, loadEvents, loadMessages, timeline } from './use-cases/messages.js';
import { readAttachment, sendInertDownload, storeUpload } from './use-cases/attachments.js';

export { createTicket, getTicket, updateTicket, addMessage };
export { tickets, ticketMessages } from './db/schema.js';
export { openTicketFromChannel, addCustomerMessage, setMessageHtml, type IncomingFile } from './use-cases/channel-intake.js';
export { addChannelNote, setOpeningSlaDue, type OpeningTicket } from './use-cases/channel-intake.js';
export { categories, reasonCodes } from './db/schema.js';
export { loadMessages, decorateMessages } from './use-cases/messages.js';
export { safeFilename } from './use-cases/attachments.js';
export { applySystemChange } from './use-cases/system-change.js';
export { visibleTo } from './db/queries.js';

const closed = { additionalProperties: false } as const;
const IdParams = Type.Object({ id: Uuid });
const TicketParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const IncludeInactive = Type.Object({ includeInactive: Type.Optional(Type.Boolean()) }, closed);
// Agents may also record a message the customer sent by other means; it counts as the customer's.
const AddMessageBody = Type.Object(
  { ...NewMessageBody.properties, kind: Type.Union([Type.Literal('reply'), Type.Literal('note'), Type.Literal('customer')]) },
  closed,
);

export async function ticketsRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ApiTypeProvider>();
  const tags = ['tickets'];

  api.get('/categories', { schema: { tags: ['admin'], querystring: IncludeInactive, response: { 200: list(Category) } } }, async (req) => ({
    items: await listCategories(authed(req), req.query.includeInactive),
  }));
  api.post('/categories', { schema: { tags: ['admin'], body: CreateCategoryBody, response: { 201: Category } } }, async (req, reply) =>
    reply.status(201).send(await createCategory(authed(req), req.body)),
  );
  api.patch('/categories/:id', { schema: { tags: ['admin'], params: IdParams, body: UpdateCategoryBody, response: { 200: Category } } }, async (req) =>
    updateCategory(authed(req), req.params.id, req.body),
  );
  api.get('/reason-codes', { schema: { tags: ['admin'], querystring: IncludeInactive, response: { 200: list(ReasonCode) } } }, async (req) => ({
    items: await listReasonCodes(authed(req), req.query.includeInactive),
  }));
  api.post('/reason-codes', { schema: { tags: ['admin'], body: CreateReasonCodeBody, response: { 201: ReasonCode } } }, async (req, reply) =>
    reply.status(201).send(await createReasonCode(authed(req), req.body)),
  );
  api.patch('/reason-codes/:id', { schema: { tags: ['admin'], params: IdParams, body: UpdateReasonCodeBody, response: { 200: ReasonCode } } }, async (req) =>
    updateReasonCode(authed(req), req.params.id, req.body),
  );

  api.get('/tickets', { schema: { tags, querystring: TicketListQuery, response: { 200: page(TicketSummary) } } }, async (req) =>
    listTickets(authed(req), req.query),
  );
  api.get('/tickets/counts', { schema: { tags, response: { 200: QueueCounts } } }, async (req) => queueCounts(authed(req)));
  api.post('/tickets', { schema: { tags, body: NewTicketBody, response: { 201: Ticket } } }, async (req, reply) =>
    reply.status(201).send(await createTicket(authed(req), req.body)),
  );
  api.get('/tickets/:id', { schema: { tags, params: TicketParams, response: { 200: Ticket } } }, async (req, reply) => {
    const t = await getTicket(authed(req), req.params.id);
    reply.header('ETag', `"${t.version}"`);
    return t;
  });
  api.patch('/tickets/:id', { schema: { tags, params: TicketParams, body: TicketPatchBody, response: { 200: Ticket } } }, async (req, reply) => {
    const t = await updateTicket(authed(req), req.params.id, req.body, ifMatchVersion(req));
    reply.header('ETag', `"${t.version}"`);
    return t;
  });
  api.get('/tickets/:id/timeline', { schema: { tags, params: TicketParams, response: { 200: list(TimelineItem) } } }, async (req) => ({
    items: await timeline(authed(req), req.params.id),
  }));
  api.get('/tickets/:id/messages', { schema: { tags, params: TicketParams, response: { 200: list(Message) } } }, async (req) => {
    const t = await getTicket(authed(req), req.params.id);
    return { items: await loadMessages(req.server.deps.database.db, t.id) };
  });
  api.get('/tickets/:id/events', { schema: { tags, params: TicketParams, response: { 200: list(AuditEvent) } } }, async (req) => {
    const t = await getTicket(authed(req), req.params.id);
    return { items: await loadEvents(req.server.deps.database.db, t.id) };
  });
  api.post('/tickets/:id/messages', { schema: { tags, params: TicketParams, body: AddMessageBody, response: { 201: Message } } }, async (req, reply) =>
    reply.status(201).send(await addMessage(authed(req), req.params.id, req.body)),
  );

  api.post('/attachments', { schema: { tags, consumes: ['multipart/form-data'], response: { 201: Attachment } } }, async (req, reply) => {
    const ctx = authed(req);
    if (!req.isMultipart()) throw validation([{ field: 'file', code: 'required' }]);
    const file = await req.file();
    if (!file) throw validation([{ field: 'file', code: 'required' }]);
    const data = await file.toBuffer();
    return reply.status(201).send(await storeUpload(ctx, { filename: file.filename, mimetype: file.mimetype, data }));
  });
  api.get('/attachments/:id/download', { schema: { tags, params: IdParams } }, async (req, reply) => {
    return sendInertDownload(reply, await readAttachment(authed(req), req.params.id));
  });
  // Inline images of an email (cid:) shown in the message; only raster types a browser cannot run.
  api.get('/attachments/:id/inline', { schema: { tags, params: IdParams } }, async (req, reply) => {
    const file = await readAttachment(authed(req), req.params.id);
    const type = file.contentType.toLowerCase().split(';')[0]!.trim();
    if (!INLINE_IMAGE_TYPES.has(type)) throw notFound();
    return reply
      .header('Content-Type', type)
      .header('Content-Disposition', 'inline')
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Security-Policy', "default-src 'none'; sandbox")
      .header('Cache-Control', 'private, max-age=3600')
      .send(file.data);
  });
}

const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp']);
