import type { FastifyInstance } from 'fastify';
import type { ApiTypeProvider } from '../../../platform/type-provider.js';
import { Type } from 'typebox';
import { Connector, CreateConnectorBody, UpdateConnectorBody, Uuid, list } from '@caredesk/contracts';
import { AppError } from '../../../platform/errors.js';
import { authed } from '../../auth/index.js';
import { ifMatchVersion } from '../../customers/index.js';
import { decorateMessages, getTicket } from '../../tickets/index.js';
import { eventKeyOf } from './adapters.js';
import { keepRawBody, parseJson, rawBodyOf } from './webhook-body.js';
import { createConnector, getConnector, listConnectors, updateConnector, verifyHmac, verifyTelegramToken, webhookConnector } from './use-cases/connectors.js';
import { enqueueIngest, requeueEvents, storeEvent } from './use-cases/intake.js';
import { enqueueSend, resendReplies, socialOfMessages } from './use-cases/outbound.js';
import { socialInbound, socialMessages } from './db/schema.js';
import { and, eq } from 'drizzle-orm';
import './listeners.js';

export { startSocialRuntime, type SocialRuntime } from './runtime.js';

decorateMessages(socialOfMessages);

const IdParams = Type.Object({ id: Uuid });

export async function socialRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ApiTypeProvider>();
  const tags = ['admin'];

  api.get('/connectors', { schema: { tags, response: { 200: list(Connector) } } }, async (req) => ({ items: await listConnectors(authed(req)) }));
  api.post('/connectors', { schema: { tags, body: CreateConnectorBody, response: { 201: Connector } } }, async (req, reply) =>
    reply.status(201).send(await createConnector(authed(req), req.body)),
  );
  api.get('/connectors/:id', { schema: { tags, params: IdParams, response: { 200: Connector } } }, async (req) => getConnector(authed(req), req.params.id));
  api.patch('/connectors/:id', { schema: { tags, params: IdParams, body: UpdateConnectorBody, response: { 200: Connector } } }, async (req) =>
    updateConnector(authed(req), req.params.id, req.body, ifMatchVersion(req)),
  );

  // After a fix (an upgrade, a connector setting), events that failed for good go through intake again.
  api.post('/connectors/:id/retry-failed', { schema: { tags, params: IdParams, response: { 202: Type.Object({ queued: Type.Integer() }) } } }, async (req, reply) => {
    const ctx = authed(req);
    const c = await getConnector(ctx, req.params.id);
    const failed = await ctx.db.select({ id: socialInbound.id }).from(socialInbound).where(and(eq(socialInbound.connectorId, c.id), eq(socialInbound.status, 'failed')));
    const ids = await requeueEvents(ctx.db, failed.map((r) => r.id));
    await enqueueIngest(ctx.jobs, ids);
    return reply.status(202).send({ queued: ids.length });
  });

  // An agent resends a reply the platform refused or never took.
  api.post(
    '/social/messages/:id/resend',
    { schema: { tags: ['social'], params: IdParams, response: { 202: Type.Object({ queued: Type.Boolean() }) } } },
    async (req, reply) => {
      const ctx = authed(req);
      const [m] = await ctx.db.select({ ticketId: socialMessages.ticketId }).from(socialMessages).where(eq(socialMessages.id, req.params.id));
      if (!m) throw new AppError('not_found', 404);
      await getTicket(ctx, m.ticketId);
      const ids = await resendReplies(ctx.db, [req.params.id]);
      await enqueueSend(ctx.jobs, ids);
      return reply.status(202).send({ queued: ids.length > 0 });
    },
  );

  // Messaging platforms' webhook: signed, not signed in (see docs/api.md).
  await app.register(async (hooks) => {
    keepRawBody(hooks);
    hooks.post(
      '/hooks/social/:connectorId',
      { schema: { tags: ['webhooks'], params: Type.Object({ connectorId: Type.String({ maxLength: 40 }) }), security: [] }, config: { rateLimit: { max: 1200, timeWindow: '1 minute' } } },
      async (req, reply) => {
        const { connectorId } = req.params as { connectorId: string };
        const { database, secrets, jobs } = req.server.deps;
        const connector = await webhookConnector(database.db, connectorId, 'social');
        const raw = rawBodyOf(req);
        const secret = secrets!.decrypt(connector.webhookSecretEnc);
        if (connector.kind === 'telegram') verifyTelegramToken(secret, req.headers['x-telegram-bot-api-secret-token']);
        else verifyHmac(secret, raw, req.headers['x-caredesk-signature']);
        const key = eventKeyOf(connector.kind, parseJson(raw));
        let stored;
        try {
          stored = await storeEvent(database.db, connector.id, key, raw.toString('utf8'));
        } catch (err) {
          req.log.error({ err }, 'social webhook could not be stored');
          // Not stored, so not accepted: the platform keeps the event and delivers it again.
          throw new AppError('webhook_unavailable', 503, 'Try again later', { params: { reason: 'the event could not be stored' } });
        }
        if (stored.status === 'received') await enqueueIngest(jobs, [stored.id]).catch((err) => req.log.warn({ err }, 'enqueue failed; the sweep will pick it up'));
        return reply.status(200).send({ ok: true, id: stored.id });
      },
    );
  });
}

