import { ChatMessage as ChatMessageContract } from '@caredesk/contracts';
import fs from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { Type } from 'typebox';
import { eq } from 'drizzle-orm';
import type { ApiTypeProvider } from '../../../platform/type-provider.js';
import { AppError, validation } from '../../../platform/errors.js';
import { onEvent, type EventServices } from '../../../platform/events.js';
import { parseFrame, sendJson, type RealtimeEvent } from '../../../platform/realtime.js';
import { authed } from '../../auth/index.js';
import { tickets } from '../../tickets/index.js';
import { groups, users } from '../../people/db/schema.js';
import { contacts } from '../../customers/db/schema.js';
import { chatSessions } from './db/schema.js';
import {
  MAX_TEXT,
  acceptChat,
  agentMessage,
  anyoneOnline,
  canSeeChat,
  chatTopic,
  chatTranscript,
  customerMessage,
  endChat,
  endChatAsAgent,
  getPresence,
  getSession,
  heartbeat,
  leaveOfflineMessage,
  listChats,
  loadChatMessages,
  publishTyping,
  replyToChat,
  routeLapsedOffers,
  sessionByToken,
  setPresence,
  startChat,
  storeVisitorFile,
  transferChat,
  viewChat,
  visitorFile,
  type ChatDeps,
  type ChatMessage,
  type ChatSession,
} from './use-cases/chat.js';
import { sendInertDownload } from '../../tickets/use-cases/attachments.js';

export { loadChatMessages, routeQueue } from './use-cases/chat.js';

/** Any public reply on a chat ticket, from the console or the ticket page, reaches the open chat. */
onEvent('ticket.message_added', async (tx, event) => {
  if (event.kind !== 'reply') return;
  const [t] = await tx.select({ channel: tickets.channel }).from(tickets).where(eq(tickets.id, event.ticketId));
  if (t?.channel !== 'chat') return;
  await replyToChat(tx, event.ticketId, event.messageId);
});

const TOKEN_HEADER = 'x-caredesk-chat-token';
const closed = { additionalProperties: false } as const;
const Str = (min: number, max: number) => Type.String({ minLength: min, maxLength: max });
const Lang = Type.Union([Type.Literal('en'), Type.Literal('ar')]);
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const Ref = Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]);
const ChatSessionSchema = Type.Object({
  id: Type.String(),
  status: Type.String(),
  topic: Type.String(),
  language: Type.String(),
  contact: Type.Object({ id: Type.String(), name: Type.String() }),
  ticket: Type.Object({ id: Type.String(), number: Type.Integer(), subject: Type.String() }),
  group: Ref,
  agent: Ref,
  offeredToId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  acceptedAt: Type.Union([Type.String(), Type.Null()]),
  endedAt: Type.Union([Type.String(), Type.Null()]),
});
const Identity = {
  name: Str(1, 200),
  email: Type.Optional(Type.String({ maxLength: 320 })),
  phone: Type.Optional(Type.String({ maxLength: 40 })),
  groupId: Type.Optional(Type.String({ format: 'uuid' })),
  language: Type.Optional(Lang),
};
const StartBody = Type.Object({ ...Identity, topic: Str(1, 1000) }, closed);
const OfflineBody = Type.Object({ ...Identity, message: Str(1, MAX_TEXT) }, closed);

/** Whether a page on `origin` may embed the widget (CAREDESK_CHAT_ORIGINS; `*` allows any). */
export function originAllowed(allowed: string[], origin: string | undefined, host: string | undefined) {
  if (!origin) return true; // not a browser page (curl, the server's own tests)
  if (allowed.includes('*')) return true;
  try {
    if (new URL(origin).host === host) return true;
  } catch {
    return false;
  }
  return allowed.includes(origin);
}

const widgetFile = new URL('./widget/widget.js', import.meta.url);

export async function chatRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ApiTypeProvider>();
  const { database, config } = app.deps;
  const realtime = app.deps.realtime!;
  const services = (): EventServices => ({ jobs: app.deps.jobs, secrets: app.deps.secrets });
  const deps = (): ChatDeps => ({ db: database.db, config, services: services() });

  // ---- presence: consoles that declared themselves keep their person available
  const present = new Map<string, number>();
  const beat = setInterval(() => void heartbeat(database.db, [...present.keys()]).catch(() => {}), 20_000);
  beat.unref();
  // Offers nobody accepted move on even when nothing else happens in the chat queue.
  const lapse = setInterval(() => void routeLapsedOffers(database.db).catch(() => {}), 10_000);
  lapse.unref();
  app.addHook('onClose', async () => {
    clearInterval(beat);
    clearInterval(lapse);
  });

  realtime.authorize('chat:', async (actor, topic) => {
    const id = topic.slice(5);
    if (!/^[0-9a-f-]{36}$/.test(id)) return false;
    const [s] = await database.db.select().from(chatSessions).where(eq(chatSessions.id, id));
    return !!s && canSeeChat({ actor }, s);
  });
  realtime.handle('chat.presence', async (msg, from) => {
    const status = msg.status === 'away' ? 'away' : 'online';
    const capacity = typeof msg.capacity === 'number' && Number.isInteger(msg.capacity) && msg.capacity >= 1 && msg.capacity <= 20 ? msg.capacity : undefined;
    const id = from.actor.id;
    const first = !(from.socket as WebSocket & { chatPresence?: boolean }).chatPresence;
    if (first) {
      (from.socket as WebSocket & { chatPresence?: boolean }).chatPresence = true;
      present.set(id, (present.get(id) ?? 0) + 1);
      from.onClose(() => {
        const n = (present.get(id) ?? 1) - 1;
        if (n > 0) present.set(id, n);
        else present.delete(id);
        void setPresence(database.db, id, { console: 'closed' }).catch(() => {});
      });
    }
    const p = await setPresence(database.db, id, { status, capacity, ...(first ? { console: 'opened' as const } : { heartbeat: true as const }) });
    sendJson(from.socket, { type: 'chat.presence', ...p });
  });
  realtime.handle('chat.typing', async (msg, from) => {
    if (typeof msg.sessionId !== 'string' || !/^[0-9a-f-]{36}$/.test(msg.sessionId)) return;
    const s = await getSession(database.db, msg.sessionId).catch(() => null);
    if (!s || !canSeeChat(from, s)) return;
    await publishTyping(database.db, s.id, 'agent', from.actor.name);
  });

  // ---- staff API
  const tags = ['chat'];
  api.get('/chat/sessions', { schema: { tags, response: { 200: Type.Object({ items: Type.Array(ChatSessionSchema) }) } } }, async (req) => ({ items: await listChats(authed(req)) }));
  api.get('/chat/sessions/:id', { schema: { tags, params: IdParams, response: { 200: ChatSessionSchema } } }, async (req) => viewChat(authed(req), req.params.id));
  api.get(
    '/chat/sessions/:id/messages',
    { schema: { tags, params: IdParams, querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })) }, closed), response: { 200: Type.Object({ items: Type.Array(ChatMessageContract) }) } } },
    async (req) => ({ items: await chatTranscript(authed(req), req.params.id, req.query.after ?? 0) }),
  );
  api.post(
    '/chat/sessions/:id/messages',
    {
      schema: {
        tags,
        params: IdParams,
        body: Type.Object({ clientId: Str(1, 100), text: Type.String({ maxLength: MAX_TEXT }), attachmentIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 10 })) }, closed),
        response: { 201: Type.Object({ seq: Type.Integer(), duplicate: Type.Boolean() }) },
      },
    },
    async (req, reply) => {
      if (!req.body.text.trim() && !req.body.attachmentIds?.length) throw validation([{ field: 'text', code: 'required' }]);
      return reply.status(201).send(await agentMessage(authed(req), req.params.id, req.body));
    },
  );
  api.post('/chat/sessions/:id/accept', { schema: { tags, params: IdParams, response: { 200: ChatSessionSchema } } }, async (req) => acceptChat(authed(req), req.params.id));
  api.post(
    '/chat/sessions/:id/transfer',
    { schema: { tags, params: IdParams, body: Type.Object({ groupId: Type.Optional(Type.String({ format: 'uuid' })), userId: Type.Optional(Type.String({ format: 'uuid' })) }, closed), response: { 200: ChatSessionSchema } } },
    async (req) => transferChat(authed(req), req.params.id, req.body),
  );
  api.post('/chat/sessions/:id/end', { schema: { tags, params: IdParams, response: { 200: ChatSessionSchema } } }, async (req) => endChatAsAgent(authed(req), req.params.id));
  const Presence = Type.Object({ status: Type.String(), capacity: Type.Integer() });
  api.get('/chat/presence', { schema: { tags, response: { 200: Presence } } }, async (req) => getPresence(database.db, authed(req).actor.id));
  api.put(
    '/chat/presence',
    { schema: { tags, body: Type.Object({ status: Type.Union([Type.Literal('online'), Type.Literal('away')]), capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })) }, closed), response: { 200: Presence } } },
    async (req) => setPresence(database.db, authed(req).actor.id, { status: req.body.status, capacity: req.body.capacity }),
  );

  // ---- the widget: public, tokened, callable from the pages CAREDESK_CHAT_ORIGINS allows
  await app.register(async (w) => {
    const wapi = w.withTypeProvider<ApiTypeProvider>();
    w.addHook('onRequest', async (req, reply) => {
      const origin = req.headers.origin;
      if (!originAllowed(config.chatOrigins, origin, req.headers.host)) throw new AppError('origin_not_allowed', 403, 'This site may not use the chat');
      if (origin) {
        reply.header('access-control-allow-origin', origin);
        reply.header('vary', 'origin');
        reply.header('access-control-allow-headers', `content-type, ${TOKEN_HEADER}`);
        reply.header('access-control-allow-methods', 'GET, POST, OPTIONS');
        reply.header('access-control-max-age', '600');
      }
    });
    w.options('/chat/widget/*', { schema: { hide: true } }, async (_req, reply) => reply.status(204).send());
    const visitor = async (req: FastifyRequest) => {
      const token = req.headers[TOKEN_HEADER];
      const s = typeof token === 'string' ? await sessionByToken(database.db, token) : null;
      if (!s) throw new AppError('unauthorized', 401, 'Unknown chat');
      return s;
    };
    const wtags = ['chat widget'];
    wapi.get(
      '/chat/widget/availability',
      { schema: { tags: wtags, security: [], querystring: Type.Object({ groupId: Type.Optional(Type.String({ format: 'uuid' })) }, closed), response: { 200: Type.Object({ online: Type.Boolean() }) } } },
      async (req) => ({ online: await anyoneOnline(database.db, req.query.groupId ?? (await defaultGroup())) }),
    );
    const defaultGroup = async () => {
      const [g] = await database.db.select({ id: groups.id }).from(groups).where(eq(groups.kind, 'customer-service')).orderBy(groups.name).limit(1);
      return g?.id ?? null;
    };
    wapi.post(
      '/chat/widget/sessions',
      {
        schema: { tags: wtags, security: [], body: StartBody, response: { 201: Type.Object({ sessionId: Type.String(), token: Type.String(), ticketNumber: Type.Integer(), status: Type.String() }) } },
        config: { rateLimit: { max: config.chatStartRateLimitPerMinute, timeWindow: '1 minute' } },
      },
      async (req, reply) =>
        reply.status(201).send(await startChat(deps(), { ...req.body, language: req.body.language ?? 'en', origin: req.headers.origin ?? null })),
    );
    wapi.post(
      '/chat/widget/offline',
      { schema: { tags: wtags, security: [], body: OfflineBody, response: { 201: Type.Object({ ticketNumber: Type.Integer() }) } }, config: { rateLimit: { max: config.chatStartRateLimitPerMinute, timeWindow: '1 minute' } } },
      async (req, reply) => reply.status(201).send(await leaveOfflineMessage(deps(), { ...req.body, language: req.body.language ?? 'en' })),
    );
    wapi.get(
      '/chat/widget/messages',
      { schema: { tags: wtags, security: [], querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })) }, closed), response: { 200: Type.Object({ items: Type.Array(ChatMessageContract) }) } } },
      async (req) => ({ items: await loadChatMessages(database.db, (await visitor(req)).id, req.query.after ?? 0) }),
    );
    wapi.post('/chat/widget/end', { schema: { tags: wtags, security: [] } }, async (req, reply) => {
      const s = await visitor(req);
      await endChat(database.db, s.id, { name: null });
      return reply.status(204).send();
    });
    wapi.post('/chat/widget/files', { schema: { tags: wtags, security: [], consumes: ['multipart/form-data'] } }, async (req, reply) => {
      const s = await visitor(req);
      if (s.status === 'ended') throw new AppError('chat_ended', 409);
      const file = await req.file().catch(() => undefined);
      if (!file) throw validation([{ field: 'file', code: 'required' }]);
      const data = await file.toBuffer();
      if (file.file.truncated) throw new AppError('payload_too_large', 413);
      return reply.status(201).send(await storeVisitorFile(database.db, s, { filename: file.filename, mimetype: file.mimetype, data }));
    });
    wapi.get('/chat/widget/files/:id', { schema: { tags: wtags, security: [], params: IdParams } }, async (req, reply) => {
      const s = await visitor(req);
      const f = await visitorFile(database.db, s, req.params.id);
      return sendInertDownload(reply, f);
    });

    // The visitor's socket. First frame: {type:'hello', token, lastSeq}.
    w.get('/chat/widget/ws', { websocket: true, schema: { hide: true } }, (socket: WebSocket, req) => {
      let session: ChatSession | null = null;
      let contactName: string | undefined;
      let lastSent = 0;
      let off: (() => void) | null = null;
      let lastTyping = 0;
      const offResync = realtime.onResync(() => void replay());
      const ping = setInterval(() => socket.readyState === 1 && socket.ping(), 25_000);
      socket.on('close', () => {
        clearInterval(ping);
        offResync();
        off?.();
      });
      const deliver = (m: ChatMessage) => {
        if (m.seq <= lastSent) return;
        lastSent = m.seq;
        sendJson(socket, { type: 'message', message: m });
      };
      let buffer: RealtimeEvent[] | null = null;
      const onEvent = (e: RealtimeEvent) => {
        if (buffer) return void buffer.push(e);
        if (e.type === 'message') deliver(e.message as ChatMessage);
        else if (!(e.type === 'typing' && e.author === 'customer')) sendJson(socket, e);
      };
      const replay = async () => {
        if (!session) return;
        buffer = buffer ?? [];
        for (;;) {
          const page = await loadChatMessages(database.db, session.id, lastSent);
          page.forEach(deliver);
          if (page.length < 500) break;
        }
        const held = buffer;
        buffer = null;
        held.forEach(onEvent);
      };
      socket.on('message', (data) => {
        const msg = parseFrame(data);
        if (!msg) return sendJson(socket, { type: 'error', code: 'bad_frame' });
        void (async () => {
          if (msg.type === 'hello') {
            if (session) return;
            const s = typeof msg.token === 'string' ? await sessionByToken(database.db, msg.token) : null;
            if (!s) {
              sendJson(socket, { type: 'error', code: 'unauthorized' });
              return socket.close(4001, 'unauthorized');
            }
            session = s;
            contactName = (await database.db.select({ name: contacts.name }).from(contacts).where(eq(contacts.id, s.contactId)))[0]?.name;
            lastSent = typeof msg.lastSeq === 'number' && msg.lastSeq >= 0 ? msg.lastSeq : 0;
            buffer = [];
            off = realtime.subscribe(chatTopic(s.id), onEvent);
            const fresh = await getSession(database.db, s.id);
            const agentName = fresh.agentId ? ((await database.db.select({ name: users.name }).from(users).where(eq(users.id, fresh.agentId)))[0]?.name ?? null) : null;
            sendJson(socket, { type: 'ready', status: fresh.status, agentName, sessionId: s.id });
            await replay();
            return;
          }
          if (!session) return sendJson(socket, { type: 'error', code: 'unauthorized' });
          if (msg.type === 'message') {
            const clientId = typeof msg.clientId === 'string' ? msg.clientId : '';
            try {
              const fileIds = Array.isArray(msg.fileIds) ? msg.fileIds.filter((x): x is string => typeof x === 'string' && /^[0-9a-f-]{36}$/.test(x)).slice(0, 10) : undefined;
              const r = await customerMessage(deps(), session, { clientId, text: typeof msg.text === 'string' ? msg.text : '', fileIds }, contactName);
              sendJson(socket, { type: 'ack', clientId, seq: r.seq, duplicate: r.duplicate });
            } catch (err) {
              const e = err as AppError;
              sendJson(socket, { type: 'error', clientId, code: e instanceof AppError ? e.code : 'failed', errors: e instanceof AppError ? e.details.errors : undefined });
              if (!(err instanceof AppError)) req.log.error({ err }, 'chat message failed');
            }
            return;
          }
          if (msg.type === 'typing') {
            const now = Date.now();
            if (now - lastTyping < 1500) return;
            lastTyping = now;
            await publishTyping(database.db, session.id, 'customer', null);
            return;
          }
          if (msg.type === 'end') return void (await endChat(database.db, session.id, { name: null }));
          if (msg.type === 'ping') return sendJson(socket, { type: 'pong' });
          sendJson(socket, { type: 'error', code: 'unknown_type' });
        })().catch((err) => {
          req.log.warn({ err }, 'chat frame failed');
          sendJson(socket, { type: 'error', code: 'failed' });
        });
      });
    });
  });
}


/** `/widget.js`: the one script a website adds (see docs/api.md, "Live chat"). */
export async function widgetScriptRoute(app: FastifyInstance) {
  const script = fs.readFileSync(widgetFile, 'utf8');
  app.get('/widget.js', { schema: { hide: true } }, async (_req, reply) =>
    reply
      .header('content-type', 'application/javascript; charset=utf-8')
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('cache-control', 'public, max-age=300')
      .send(script),
  );
}

