/**
 * Realtime: events pushed to browsers over WebSocket, fanned out across every CareDesk process
 * through PostgreSQL LISTEN/NOTIFY (docs/decisions/0008-realtime-and-live-chat.md).
 *
 * Publishing (any module, any process):
 *
 *     await publish(tx, `chat:${sessionId}`, { type: 'message', ... });
 *
 * runs `pg_notify` in the caller's transaction, so subscribers hear of a change only once it has
 * committed, and never of one that rolled back. It needs only a database handle: a domain-event
 * listener can publish. Events larger than NOTIFY's 8000-byte limit are stored in
 * `realtime_payloads` in the same transaction and the notification carries only their id; the
 * receiving process reads the row and delivers the full event, so subscribers never see the split.
 *
 * Receiving (per process): `startRealtime()` holds one LISTEN (a dedicated pg.Client on
 * PostgreSQL, `client.listen()` on PGlite) and dispatches each event to local subscribers of its
 * topic: `realtime.subscribe(topic, fn)` returns the unsubscribe function.
 *
 * Sockets: `GET /api/v1/realtime` is the signed-in staff socket (session cookie or bearer token,
 * the same as HTTP). It speaks JSON: `{type:'subscribe', topic}` / `{type:'unsubscribe', topic}`;
 * the server answers `{type:'subscribed', topic}` or `{type:'error', code, topic}` and pushes
 * `{type:'event', topic, event}`. Every staff socket is subscribed to `agents` (everyone) and
 * `user:<id>` (that person) without asking. Which other topics a person may follow is decided by
 * the module that owns the topic prefix: `realtime.authorize('chat:', (actor, topic) => …)`.
 * Modules can take messages from staff sockets with `realtime.handle('chat.typing', fn)`; the
 * handler gets the frame and the socket (its person, and an onClose hook for presence).
 * Anonymous sockets (the chat widget) are owned by their module and use `subscribe` directly.
 *
 * Delivery is at most once: a notification sent while a process was reconnecting to PostgreSQL
 * is lost, so every socket then gets `{type:'resync'}` and a client re-reads what it shows
 * (chat replays after its last seen message id). Clients must treat events as hints to refresh
 * or as idempotent updates keyed by id.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { sql } from 'drizzle-orm';
import type { Database, DbOrTx } from './db/index.js';
import type { Actor } from './context.js';

export type RealtimeEvent = { type: string } & Record<string, unknown>;
type Handler = (event: RealtimeEvent, topic: string) => void;

/** NOTIFY payloads must be under 8000 bytes; leave room for the envelope. */
const INLINE_LIMIT = 7_000;
const CHANNEL_PREFIX = 'caredesk_rt_';

/** Sends `event` to every subscriber of `topic` in every process, when the caller's transaction commits. */
export async function publish(db: DbOrTx, topic: string, event: RealtimeEvent): Promise<void> {
  const body = JSON.stringify({ t: topic, e: event });
  if (Buffer.byteLength(body) <= INLINE_LIMIT) {
    await db.execute(sql`select pg_notify(${CHANNEL_PREFIX} || current_schema(), ${body})`);
    return;
  }
  await db.execute(sql`
    with stored as (insert into realtime_payloads (topic, payload) values (${topic}, ${body}::jsonb) returning id)
    select pg_notify(${CHANNEL_PREFIX} || current_schema(), json_build_object('t', ${topic}::text, 'ref', (select id from stored))::text)`);
}

export type TopicAuthorizer = (actor: Actor, topic: string, database: Database) => Promise<boolean>;
export interface StaffSocket {
  actor: Actor;
  database: Database;
  socket: WebSocket;
  /** Runs `fn` when this socket closes (presence, cleanup). */
  onClose(fn: () => void): void;
}
export type SocketMessageHandler = (message: Record<string, unknown>, from: StaffSocket) => Promise<void>;

export interface Realtime {
  subscribe(topic: string, handler: Handler): () => void;
  /** Called whenever the process may have missed notifications (LISTEN reconnected). */
  onResync(fn: () => void): () => void;
  authorize(prefix: string, check: TopicAuthorizer): void;
  handle(type: string, fn: SocketMessageHandler): void;
  /** Local subscriptions, for tests and the bench. */
  readonly subscriptions: number;
  /** @internal read by the staff socket route */
  readonly authorizers: Map<string, TopicAuthorizer>;
  /** @internal read by the staff socket route */
  readonly handlers: Map<string, SocketMessageHandler>;
  close(): Promise<void>;
}

export async function startRealtime(database: Database, log: (msg: string, err?: unknown) => void): Promise<Realtime> {
  const topics = new Map<string, Set<Handler>>();
  const resyncs = new Set<() => void>();
  const authorizers = new Map<string, TopicAuthorizer>();
  const handlers = new Map<string, SocketMessageHandler>();
  let closed = false;
  let count = 0;

  const dispatch = async (raw: string) => {
    try {
      const msg = JSON.parse(raw) as { t: string; e?: RealtimeEvent; ref?: string };
      const subs = topics.get(msg.t);
      if (!subs?.size) return;
      let event = msg.e;
      if (!event && msg.ref) {
        const r = await database.db.execute<{ payload: { e: RealtimeEvent } }>(sql`select payload from realtime_payloads where id = ${msg.ref}`);
        event = r.rows[0]?.payload.e;
      }
      if (!event) return;
      for (const h of [...subs]) {
        try {
          h(event, msg.t);
        } catch (err) {
          log('realtime subscriber failed', err);
        }
      }
    } catch (err) {
      log('realtime notification dropped', err);
    }
  };
  const resync = () => {
    for (const fn of resyncs) fn();
  };

  const schemaRow = await database.db.execute<{ s: string }>(sql`select current_schema() as s`);
  const channel = `${CHANNEL_PREFIX}${schemaRow.rows[0]!.s}`;
  let stop: () => Promise<void>;
  const native = database.native;
  if (native.kind === 'pglite') {
    const unlisten = await native.client.listen(channel, (payload) => void dispatch(payload));
    stop = () => unlisten();
  } else {
    const { default: pg } = await import('pg');
    let client: import('pg').Client | null = null;
    let retry: NodeJS.Timeout | null = null;
    const connect = async (isRetry: boolean) => {
      const c = new pg.Client({ connectionString: native.connectionString });
      c.on('notification', (n) => n.payload && void dispatch(n.payload));
      // A terminated backend may surface as 'error', 'end' or both: reconnect once either way.
      let lost = false;
      const onLost = (err?: unknown) => {
        if (lost || closed) return;
        lost = true;
        log('realtime LISTEN connection lost; reconnecting', err);
        void c.end().catch(() => {});
        if (client === c) client = null;
        retry = setTimeout(() => void connect(true).catch(() => {}), 1000);
      };
      c.on('error', onLost);
      c.on('end', () => onLost());
      try {
        await c.connect();
        await c.query(`LISTEN "${channel}"`);
      } catch (err) {
        lost = true;
        void c.end().catch(() => {});
        if (!isRetry) throw err;
        if (!closed) retry = setTimeout(() => void connect(true).catch(() => {}), 1000);
        return;
      }
      if (closed) return void c.end();
      client = c;
      if (isRetry) resync();
    };
    await connect(false);
    stop = async () => {
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    };
  }

  // Oversized payloads only have to live as long as the processes take to read them.
  const sweep = setInterval(() => {
    void database.db.execute(sql`delete from realtime_payloads where created_at < now() - interval '10 minutes'`).catch(() => {});
  }, 5 * 60_000);
  sweep.unref();

  return {
    subscribe(topic, handler) {
      let set = topics.get(topic);
      if (!set) topics.set(topic, (set = new Set()));
      set.add(handler);
      count++;
      return () => {
        if (set!.delete(handler)) count--;
        if (!set!.size) topics.delete(topic);
      };
    },
    onResync(fn) {
      resyncs.add(fn);
      return () => resyncs.delete(fn);
    },
    authorize(prefix, check) {
      authorizers.set(prefix, check);
    },
    handle(type, fn) {
      handlers.set(type, fn);
    },
    get subscriptions() {
      return count;
    },
    async close() {
      closed = true;
      clearInterval(sweep);
      await stop();
    },
    authorizers,
    handlers,
  };
}

/** Sends JSON to a socket unless it is gone or too far behind (it is then closed and reconnects). */
export function sendJson(socket: WebSocket, value: unknown) {
  if (socket.readyState !== 1) return;
  if (socket.bufferedAmount > 4 * 1024 * 1024) {
    socket.close(4008, 'too slow');
    return;
  }
  socket.send(JSON.stringify(value));
}

/** Parses a client frame as a JSON object, or null. Frames are capped by the websocket plugin. */
export function parseFrame(data: unknown): Record<string, unknown> | null {
  try {
    const v = JSON.parse(String(data)) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The signed-in staff socket (see the top of this file). */
export async function realtimeRoutes(app: FastifyInstance) {
  app.get('/realtime', { websocket: true, schema: { hide: true } }, (socket: WebSocket, req: FastifyRequest) => {
    const realtime = app.deps.realtime!;
    const { authorizers, handlers } = realtime;
    const actor = req.actor;
    // Cookies ride along on a cross-site handshake too: only the app's own pages may use them.
    const origin = req.headers.origin;
    const crossSite = req.authVia === 'cookie' && !!origin && (() => {
      try {
        return new URL(origin).host !== req.headers.host;
      } catch {
        return true;
      }
    })();
    if (!actor || crossSite) {
      sendJson(socket, { type: 'error', code: 'unauthorized' });
      socket.close(4001, 'unauthorized');
      return;
    }
    const subs = new Map<string, () => void>();
    const push: Handler = (event, topic) => sendJson(socket, { type: 'event', topic, event });
    const add = (topic: string) => {
      if (!subs.has(topic)) subs.set(topic, realtime.subscribe(topic, push));
    };
    add('agents');
    add(`user:${actor.id}`);
    const offResync = realtime.onResync(() => sendJson(socket, { type: 'resync' }));
    const alive = setInterval(() => socket.readyState === 1 && socket.ping(), 25_000);
    const closers: (() => void)[] = [];
    const from: StaffSocket = { actor, database: app.deps.database, socket, onClose: (fn) => closers.push(fn) };
    socket.on('close', () => {
      clearInterval(alive);
      offResync();
      for (const off of subs.values()) off();
      subs.clear();
      for (const fn of closers) fn();
    });
    socket.on('message', (data) => {
      const msg = parseFrame(data);
      if (!msg || typeof msg.type !== 'string') return sendJson(socket, { type: 'error', code: 'bad_frame' });
      void (async () => {
        if (msg.type === 'subscribe' || msg.type === 'unsubscribe') {
          const topic = typeof msg.topic === 'string' ? msg.topic.slice(0, 200) : '';
          if (msg.type === 'unsubscribe') {
            subs.get(topic)?.();
            subs.delete(topic);
            return sendJson(socket, { type: 'unsubscribed', topic });
          }
          const prefix = [...authorizers.keys()].find((p) => topic.startsWith(p));
          const ok = prefix ? await authorizers.get(prefix)!(actor, topic, app.deps.database) : false;
          if (!ok) return sendJson(socket, { type: 'error', code: 'forbidden', topic });
          if (subs.size >= 1000) return sendJson(socket, { type: 'error', code: 'too_many_topics', topic });
          add(topic);
          return sendJson(socket, { type: 'subscribed', topic });
        }
        if (msg.type === 'ping') return sendJson(socket, { type: 'pong' });
        const h = handlers.get(String(msg.type));
        if (!h) return sendJson(socket, { type: 'error', code: 'unknown_type' });
        await h(msg, from);
      })().catch((err) => {
        req.log.warn({ err }, 'realtime frame failed');
        sendJson(socket, { type: 'error', code: 'failed' });
      });
    });
  });
}
