import type { FastifyInstance } from 'fastify';
import type { ApiTypeProvider } from '../../../platform/type-provider.js';
import { Type, type Static } from 'typebox';
import { Call, CallScript, LogCallBody, PutCallScriptBody, ScreenPop, TelephonyEventBody, Uuid, list, page } from '@caredesk/contracts';
import { authed } from '../../auth/index.js';
import { decorateMessages } from '../../tickets/index.js';
import { checkBody, keepRawBody, parseJson, rawBodyOf } from '../social/webhook-body.js';
import { verifyHmac, webhookConnector } from '../social/use-cases/connectors.js';
import { callsOfMessages, listCalls, logCall } from './use-cases/calls.js';
import { getCallScript, listCallScripts, putCallScript } from './use-cases/scripts.js';
import { applyTelephonyEvent, screenPopFor, screenPops } from './use-cases/telephony.js';

decorateMessages(callsOfMessages);

const closed = { additionalProperties: false } as const;
const CategoryParams = Type.Object({ categoryId: Uuid });

export async function phoneRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ApiTypeProvider>();
  const tags = ['phone'];

  api.get('/call-scripts', { schema: { tags, response: { 200: list(CallScript) } } }, async (req) => ({ items: await listCallScripts(authed(req)) }));
  api.get('/call-scripts/:categoryId', { schema: { tags, params: CategoryParams, response: { 200: CallScript } } }, async (req) =>
    getCallScript(authed(req), req.params.categoryId),
  );
  api.put('/call-scripts/:categoryId', { schema: { tags: ['admin'], params: CategoryParams, body: PutCallScriptBody, response: { 200: CallScript } } }, async (req) =>
    putCallScript(authed(req), req.params.categoryId, req.body),
  );

  api.post('/calls', { schema: { tags, body: LogCallBody, response: { 201: Call } } }, async (req, reply) => reply.status(201).send(await logCall(authed(req), req.body)));
  api.get(
    '/calls',
    {
      schema: {
        tags,
        querystring: Type.Object(
          {
            contactId: Type.Optional(Uuid),
            ticketId: Type.Optional(Type.String({ maxLength: 40 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            cursor: Type.Optional(Type.String({ maxLength: 500 })),
          },
          closed,
        ),
        response: { 200: page(Call) },
      },
    },
    async (req) => listCalls(authed(req), req.query),
  );

  api.get('/phone/screen-pops', { schema: { tags, response: { 200: list(ScreenPop) } } }, async (req) => ({ items: await screenPops(authed(req)) }));
  api.get('/phone/screen-pops/:callId', { schema: { tags, params: Type.Object({ callId: Type.String({ maxLength: 200 }) }), response: { 200: ScreenPop } } }, async (req) =>
    screenPopFor(authed(req), req.params.callId),
  );

  // The telephone system's webhook: signed, not signed in (see docs/api.md).
  await app.register(async (hooks) => {
    keepRawBody(hooks);
    hooks.post(
      '/hooks/telephony/:connectorId',
      { schema: { tags: ['webhooks'], params: Type.Object({ connectorId: Type.String({ maxLength: 40 }) }), security: [] }, config: { rateLimit: { max: 600, timeWindow: '1 minute' } } },
      async (req, reply) => {
        const { connectorId } = req.params as { connectorId: string };
        const { database, secrets } = req.server.deps;
        const connector = await webhookConnector(database.db, connectorId, 'telephony');
        const raw = rawBodyOf(req);
        verifyHmac(secrets!.decrypt(connector.webhookSecretEnc), raw, req.headers['x-caredesk-signature']);
        const event = checkBody<Static<typeof TelephonyEventBody>>(TelephonyEventBody, parseJson(raw));
        await applyTelephonyEvent(database.db, connector.id, event, new Date());
        return reply.status(200).send({ ok: true });
      },
    );
  });
}
