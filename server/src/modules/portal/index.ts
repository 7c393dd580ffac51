import type { FastifyInstance } from 'fastify';
import type { ApiTypeProvider } from '../../platform/type-provider.js';
import { Type } from 'typebox';
import { eq } from 'drizzle-orm';
import {
  Attachment,
  PortalAccepted,
  PortalCategory,
  PortalEmailBody,
  PortalLoginBody,
  PortalMe,
  PortalNewTicketBody,
  PortalRegisterBody,
  PortalReplyBody,
  PortalSession,
  PortalTicket,
  PortalTicketQuery,
  PortalTicketSummary,
  PortalTokenBody,
  PortalUpdateMeBody,
  Uuid,
  list,
  page,
} from '@caredesk/contracts';
import { ctxOf } from '../auth/index.js';
import type { Ctx } from '../../platform/context.js';
import { validation } from '../../platform/errors.js';
import { accounts, contacts } from '../customers/db/schema.js';
import { consumeToken, hasPassword, passwordSignIn, register, requestLink, setPassword } from './use-cases/auth.js';
import { createPortalTicket, getPortalTicket, listPortalTickets, portalCategories, readPortalAttachment, replyOnPortal, storePortalUpload } from './use-cases/tickets.js';
import {
  clearPortalCookie,
  customerForToken,
  customerOf,
  endPortalSession,
  portalTokenOf,
  setPortalCookie,
  type PortalCustomer,
} from './sessions.js';
import { sendInertDownload } from '../tickets/use-cases/attachments.js';

export { PORTAL_COOKIE } from './sessions.js';

const NumberParams = Type.Object({ number: Type.String({ maxLength: 20 }) });
const IdParams = Type.Object({ id: Uuid });

async function meOf(ctx: Pick<Ctx, 'db'>, c: PortalCustomer) {
  const [account] = c.accountId ? await ctx.db.select({ id: accounts.id, name: accounts.name }).from(accounts).where(eq(accounts.id, c.accountId)) : [];
  return {
    id: c.contactId,
    name: c.name,
    email: c.email,
    language: c.language,
    accountAdmin: c.accountAdmin,
    account: account ?? null,
    hasPassword: await hasPassword(ctx, c.contactId),
  };
}

/**
 * The customer portal's API: contacts sign in (password or emailed link) and follow their own
 * tickets. Its session is a separate cookie and table; nothing here accepts an agent's session.
 */
export async function portalRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ApiTypeProvider>();
  const tags = ['portal'];
  const { config } = app.deps;
  const limited = { rateLimit: { max: config.loginRateLimitPerMinute, timeWindow: 60_000 } };
  // The portal speaks the customer's language when they are known, else the browser's.
  const ctx = (req: Parameters<typeof ctxOf>[0], c?: PortalCustomer): Ctx => ({ ...ctxOf(req), ...(c ? { lang: c.language } : {}) });

  api.post('/portal/auth/register', { schema: { tags, body: PortalRegisterBody, response: { 202: PortalAccepted } }, config: limited }, async (req, reply) =>
    reply.status(202).send(await register(ctx(req), req.body)),
  );
  api.post('/portal/auth/link', { schema: { tags, body: PortalEmailBody, response: { 202: PortalAccepted } }, config: limited }, async (req, reply) =>
    reply.status(202).send(await requestLink(ctx(req), req.body.email)),
  );
  api.post('/portal/auth/consume', { schema: { tags, body: PortalTokenBody, response: { 200: PortalSession } }, config: limited }, async (req, reply) => {
    const { token } = await consumeToken(ctx(req), req.body.token);
    setPortalCookie(reply, config, token);
    const c = (await customerForToken(app.deps.database.db, token, new Date()))!;
    return { me: await meOf(ctx(req), c) };
  });
  api.post('/portal/auth/login', { schema: { tags, body: PortalLoginBody, response: { 200: PortalSession } }, config: limited }, async (req, reply) => {
    const { token } = await passwordSignIn(ctx(req), req.body.email, req.body.password);
    setPortalCookie(reply, config, token);
    const c = (await customerForToken(app.deps.database.db, token, new Date()))!;
    return { me: await meOf(ctx(req), c) };
  });
  api.post('/portal/auth/logout', { schema: { tags } }, async (req, reply) => {
    const found = portalTokenOf(req);
    if (found) await endPortalSession(app.deps.database.db, found.token);
    clearPortalCookie(reply);
    return reply.status(204).send();
  });

  api.get('/portal/me', { schema: { tags, response: { 200: PortalMe } } }, async (req) => meOf(ctx(req), await customerOf(req)));
  api.patch('/portal/me', { schema: { tags, body: PortalUpdateMeBody, response: { 200: PortalMe } } }, async (req) => {
    const c = await customerOf(req);
    const { password, ...fields } = req.body;
    if (password) await setPassword(ctx(req, c), c.contactId, password);
    if (Object.keys(fields).length) await app.deps.database.db.update(contacts).set({ ...fields, updatedAt: new Date() }).where(eq(contacts.id, c.contactId));
    return meOf(ctx(req), { ...c, ...(fields.name ? { name: fields.name } : {}), ...(fields.language ? { language: fields.language } : {}) });
  });

  api.get('/portal/categories', { schema: { tags, response: { 200: list(PortalCategory) } } }, async (req) => {
    await customerOf(req);
    return { items: await portalCategories(ctx(req)) };
  });
  api.get('/portal/tickets', { schema: { tags, querystring: PortalTicketQuery, response: { 200: page(PortalTicketSummary) } } }, async (req) =>
    listPortalTickets(ctx(req), await customerOf(req), req.query),
  );
  api.post('/portal/tickets', { schema: { tags, body: PortalNewTicketBody, response: { 201: PortalTicket } } }, async (req, reply) => {
    const c = await customerOf(req);
    return reply.status(201).send(await createPortalTicket(ctx(req, c), c, req.body));
  });
  api.get('/portal/tickets/:number', { schema: { tags, params: NumberParams, response: { 200: PortalTicket } } }, async (req) =>
    getPortalTicket(ctx(req), await customerOf(req), req.params.number),
  );
  api.post('/portal/tickets/:number/messages', { schema: { tags, params: NumberParams, body: PortalReplyBody, response: { 201: PortalTicket } } }, async (req, reply) => {
    const c = await customerOf(req);
    return reply.status(201).send(await replyOnPortal(ctx(req, c), c, req.params.number, req.body));
  });

  api.post('/portal/attachments', { schema: { tags, consumes: ['multipart/form-data'], response: { 201: Attachment } } }, async (req, reply) => {
    const c = await customerOf(req);
    if (!req.isMultipart()) throw validation([{ field: 'file', code: 'required' }]);
    const file = await req.file();
    if (!file) throw validation([{ field: 'file', code: 'required' }]);
    const data = await file.toBuffer();
    return reply.status(201).send(await storePortalUpload(ctx(req), c, { filename: file.filename, mimetype: file.mimetype, data }));
  });
  api.get('/portal/attachments/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
    return sendInertDownload(reply, await readPortalAttachment(ctx(req), await customerOf(req), req.params.id));
  });
}
