import type { FastifyInstance } from 'fastify';
import type { ApiTypeProvider } from '../../../platform/type-provider.js';
import { Type } from 'typebox';
import { CreateMailboxBody, InboundEmail, Mailbox, OutboundEmail, UpdateMailboxBody, Uuid, list, page } from '@caredesk/contracts';
import { authed } from '../../auth/index.js';
import { ifMatchVersion } from '../../customers/index.js';
import { decorateMessages } from '../../tickets/index.js';
import { createMailbox, getMailbox, listMailboxes, updateMailbox } from './use-cases/mailboxes.js';
import { emailOfMessages, listInbound, listOutbound, readInboundRaw, retryInbound, ticketFromInbound } from './use-cases/admin.js';
import { retryOutbound } from './use-cases/outbound.js';
import { IMAP_QUEUE } from './runtime.js';
import './listeners.js';

export { startEmailRuntime, type EmailRuntime } from './runtime.js';
export { storeInbound, enqueueIngest } from './use-cases/intake.js';
export { enqueueSend, PORTAL_LINK_MINUTES, PORTAL_VERIFY_HOURS, type PortalMailPurpose } from './use-cases/outbound.js';
export { queueModuleMail, registerMailComposer, noticeMail, type ComposedMail } from './use-cases/outbound.js';

decorateMessages(emailOfMessages);

const IdParams = Type.Object({ id: Uuid });
const closed = { additionalProperties: false } as const;
const InboundStatus = Type.String({ pattern: '^(received|processed|quarantined|duplicate|ignored)(,(received|processed|quarantined|duplicate|ignored))*$' });
const OutboundStatus = Type.String({ pattern: '^(queued|sending|sent|no_relay|failed|bounced)(,(queued|sending|sent|no_relay|failed|bounced))*$' });
const Paging = { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), cursor: Type.Optional(Type.String({ maxLength: 500 })) };

export async function emailRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ApiTypeProvider>();
  const tags = ['email'];

  api.get('/mailboxes', { schema: { tags, response: { 200: list(Mailbox) } } }, async (req) => ({ items: await listMailboxes(authed(req)) }));
  api.post('/mailboxes', { schema: { tags, body: CreateMailboxBody, response: { 201: Mailbox } } }, async (req, reply) =>
    reply.status(201).send(await createMailbox(authed(req), req.body)),
  );
  api.get('/mailboxes/:id', { schema: { tags, params: IdParams, response: { 200: Mailbox } } }, async (req) => getMailbox(authed(req), req.params.id));
  api.patch('/mailboxes/:id', { schema: { tags, params: IdParams, body: UpdateMailboxBody, response: { 200: Mailbox } } }, async (req) =>
    updateMailbox(authed(req), req.params.id, req.body, ifMatchVersion(req)),
  );
  api.post('/mailboxes/:id/poll', { schema: { tags, params: IdParams, response: { 202: Type.Object({ queued: Type.Boolean() }) } } }, async (req, reply) => {
    const ctx = authed(req);
    const m = await getMailbox(ctx, req.params.id);
    if (m.imapEnabled) await ctx.jobs?.send(IMAP_QUEUE, { id: m.id }, { singletonKey: m.id });
    return reply.status(202).send({ queued: m.imapEnabled });
  });

  api.get(
    '/email/inbound',
    { schema: { tags, querystring: Type.Object({ status: Type.Optional(InboundStatus), mailboxId: Type.Optional(Uuid), ...Paging }, closed), response: { 200: page(InboundEmail) } } },
    async (req) => listInbound(authed(req), req.query),
  );
  api.get('/email/inbound/:id/raw', { schema: { tags, params: IdParams } }, async (req, reply) => {
    const raw = await readInboundRaw(authed(req), req.params.id);
    return reply
      .header('Content-Type', 'message/rfc822')
      .header('Content-Disposition', `attachment; filename="message-${req.params.id}.eml"`)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Security-Policy', "default-src 'none'; sandbox")
      .send(raw);
  });
  api.post('/email/inbound/:id/retry', { schema: { tags, params: IdParams, response: { 202: Type.Object({ queued: Type.Boolean() }) } } }, async (req, reply) => {
    await retryInbound(authed(req), req.params.id);
    return reply.status(202).send({ queued: true });
  });
  api.post(
    '/email/inbound/:id/ticket',
    { schema: { tags, params: IdParams, response: { 201: Type.Object({ id: Uuid, number: Type.Integer() }) } } },
    async (req, reply) => reply.status(201).send(await ticketFromInbound(authed(req), req.params.id)),
  );
  api.get(
    '/email/outbound',
    { schema: { tags, querystring: Type.Object({ status: Type.Optional(OutboundStatus), ...Paging }, closed), response: { 200: page(OutboundEmail) } } },
    async (req) => listOutbound(authed(req), req.query),
  );
  api.post('/email/outbound/:id/retry', { schema: { tags, params: IdParams, response: { 202: Type.Object({ queued: Type.Boolean() }) } } }, async (req, reply) => {
    await retryOutbound(authed(req), req.params.id);
    return reply.status(202).send({ queued: true });
  });
}
