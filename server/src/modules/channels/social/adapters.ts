import { createHmac } from 'node:crypto';
import { AppError } from '../../../platform/errors.js';
import type { ConnectorRow } from './use-cases/connectors.js';
import type { Agent } from 'undici';
import { BlockedAddressError, guardedFetch } from '../../../platform/outbound-http.js';

/** One customer message in a platform's webhook, in the shape every platform is reduced to. */
export interface PlatformMessage {
  /** The sender's stable id on the platform: their handle identity. */
  handle: string;
  name: string | null;
  language: 'en' | 'ar' | null;
  /** Where replies go (Telegram: the chat id). */
  conversation: string;
  /** Unique per connector, so the same message is stored once however it is delivered. */
  externalId: string;
  text: string;
  at: Date;
}
export type Parsed = { kind: 'message'; message: PlatformMessage } | { kind: 'ignored'; reason: string };

const refuse = (field: string, reason: string) => new AppError('validation_failed', 400, 'Validation failed', { errors: [{ field, code: 'invalid', params: { reason } }] });
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The platform's own id for a delivery, read at the edge before anything else, so redeliveries are one row. */
export function eventKeyOf(kind: string, body: unknown): string {
  if (!isObj(body)) throw refuse('body', 'expected a JSON object');
  if (kind === 'telegram') {
    if (!Number.isSafeInteger(body.update_id)) throw refuse('update_id', 'a Telegram Update has an integer update_id');
    return `update:${body.update_id}`;
  }
  if (typeof body.id !== 'string' || !body.id.trim() || body.id.length > 200) throw refuse('id', 'every event needs a string id (at most 200 characters), the same on every delivery');
  return body.id;
}

/**
 * A Telegram Bot API Update (https://core.telegram.org/bots/api#update). Only new messages from
 * people are conversations; edits, channel posts and bots are recorded and set aside.
 */
function parseTelegram(body: Record<string, unknown>): Parsed {
  const m = body.message;
  if (!isObj(m)) return { kind: 'ignored', reason: `update without a new message (${Object.keys(body).filter((k) => k !== 'update_id').join(', ') || 'empty'})` };
  const from = m.from;
  const chat = m.chat;
  if (!isObj(from) || !isObj(chat)) return { kind: 'ignored', reason: 'message without from or chat' };
  if (from.is_bot === true) return { kind: 'ignored', reason: 'message from a bot' };
  const name = [from.first_name, from.last_name].filter((x) => typeof x === 'string' && x).join(' ') || (typeof from.username === 'string' ? from.username : null);
  const text =
    typeof m.text === 'string'
      ? m.text
      : typeof m.caption === 'string'
        ? m.caption
        : `[${['photo', 'document', 'voice', 'video', 'sticker', 'location', 'contact'].find((k) => k in m) ?? 'message'} without text]`;
  const lang = typeof from.language_code === 'string' && from.language_code.startsWith('ar') ? 'ar' : typeof from.language_code === 'string' ? 'en' : null;
  return {
    kind: 'message',
    message: {
      handle: String(from.id),
      name,
      language: lang,
      conversation: String(chat.id),
      externalId: `${String(chat.id)}:${String(m.message_id)}`,
      text,
      at: typeof m.date === 'number' ? new Date(m.date * 1000) : new Date(),
    },
  };
}

/** The CareDesk generic format (docs/api.md): { id, from: { handle, name? }, conversation?, text, sentAt? }. */
function parseGeneric(body: Record<string, unknown>): Parsed {
  const from = body.from;
  if (!isObj(from) || typeof from.handle !== 'string' || !from.handle.trim()) return { kind: 'ignored', reason: 'from.handle is missing' };
  if (typeof body.text !== 'string') return { kind: 'ignored', reason: 'text is missing' };
  const handle = from.handle.trim();
  const sentAt = typeof body.sentAt === 'string' ? new Date(body.sentAt) : new Date();
  return {
    kind: 'message',
    message: {
      handle,
      name: typeof from.name === 'string' && from.name.trim() ? from.name.trim() : null,
      language: body.language === 'ar' ? 'ar' : body.language === 'en' ? 'en' : null,
      conversation: typeof body.conversation === 'string' && body.conversation ? body.conversation : handle,
      externalId: String(body.id),
      text: body.text,
      at: Number.isNaN(sentAt.getTime()) ? new Date() : sentAt,
    },
  };
}

export function parseEvent(kind: string, raw: string): Parsed {
  const body = JSON.parse(raw) as Record<string, unknown>;
  return kind === 'telegram' ? parseTelegram(body) : parseGeneric(body);
}

export class DeliveryError extends Error {
  constructor(
    message: string,
    /** False when sending again cannot help (the chat is gone, the bot was blocked). */
    public readonly retryable: boolean,
  ) {
    super(message);
  }
}

const TELEGRAM_MAX = 4096;

/** Sends a reply; returns the platform's id for it. Throws DeliveryError when it did not arrive. */
export async function deliver(
  c: ConnectorRow,
  reply: { id: string; conversation: string; handle: string; text: string; ticketNumber: number },
  secrets: { webhookSecret: string; token: string | null },
  http: Agent,
  timeoutMs = 5000,
): Promise<string | null> {
  let url: string;
  let body: string;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (c.kind === 'telegram') {
    if (!secrets.token) throw new DeliveryError('the connector has no bot token', false);
    url = `${(c.outboundUrl ?? 'https://api.telegram.org').replace(/\/$/, '')}/bot${secrets.token}/sendMessage`;
    body = JSON.stringify({ chat_id: /^-?\d+$/.test(reply.conversation) ? Number(reply.conversation) : reply.conversation, text: reply.text.slice(0, TELEGRAM_MAX) });
  } else {
    if (!c.outboundUrl) throw new DeliveryError('the connector has no outbound URL', false);
    url = c.outboundUrl;
    body = JSON.stringify({ id: reply.id, conversation: reply.conversation, to: { handle: reply.handle }, text: reply.text, ticketNumber: reply.ticketNumber });
    headers['x-caredesk-signature'] = `sha256=${createHmac('sha256', secrets.webhookSecret).update(body).digest('hex')}`;
    // The receiver can drop a repeat: a retry after a lost answer sends the same id.
    headers['idempotency-key'] = reply.id;
    if (secrets.token) headers.authorization = `Bearer ${secrets.token}`;
  }
  let res: Response;
  try {
    // Redirects are not followed: a connector URL must not be bounced to somewhere else.
    res = (await guardedFetch(http, url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) })) as unknown as Response;
  } catch (err) {
    const blocked = blockedCause(err);
    // Retrying will not change where the name points today; the admin has to fix the URL or the allow list.
    if (blocked) throw new DeliveryError(blocked.message, false);
    throw new DeliveryError(`could not reach ${new URL(url).host}: ${(err as Error).message}`, true);
  }
  const text = (await res.text().catch(() => '')).slice(0, 500);
  // The bot token is in Telegram's URL path; errors quote the host only.
  if (res.status >= 300) {
    const retryable = res.status >= 500 || res.status === 429 || res.status === 408;
    throw new DeliveryError(`HTTP ${res.status} from ${new URL(url).host}: ${text}`, retryable);
  }
  if (c.kind === 'telegram') {
    try {
      const j = JSON.parse(text) as { ok?: boolean; result?: { message_id?: number }; description?: string };
      if (!j.ok) throw new DeliveryError(`Telegram refused: ${j.description ?? text}`, false);
      return j.result?.message_id !== undefined ? `${reply.conversation}:${j.result.message_id}` : null;
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      throw new DeliveryError(`unreadable answer from Telegram: ${text}`, true);
    }
  }
  return null;
}

/** The BlockedAddressError somewhere in a failed request's cause chain. */
function blockedCause(err: unknown): BlockedAddressError | null {
  for (let e = err as { cause?: unknown } | null, depth = 0; e && depth < 5; e = e.cause as never, depth++) {
    if (e instanceof BlockedAddressError) return e;
  }
  return null;
}
