import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, asc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { CreateConnectorBody, UpdateConnectorBody } from '@caredesk/contracts';
import type { AuthedCtx } from '../../../../platform/context.js';
import type { Config } from '../../../../platform/config.js';
import { literalAddressBlocked } from '../../../../platform/outbound-http.js';
import type { DbOrTx } from '../../../../platform/db/index.js';
import type { Secrets } from '../../../../platform/secrets.js';
import { AppError, notFound, validation, versionConflict, type FieldError } from '../../../../platform/errors.js';
import { changedFields, recordAudit } from '../../../../platform/audit.js';
import { groups } from '../../../people/db/schema.js';
import { requireAdmin } from '../../../people/use-cases/users.js';
import { channelConnectors, socialInbound, socialMessages } from '../db/schema.js';

export type ConnectorRow = typeof channelConnectors.$inferSelect;
export const TELEGRAM_API = 'https://api.telegram.org';

const stats = {
  groupName: groups.name,
  pending: sql<number>`(select count(*)::int from ${socialInbound} i where i.connector_id = ${channelConnectors.id} and i.status = 'received')`,
  failedReplies: sql<number>`(select count(*)::int from ${socialMessages} m where m.connector_id = ${channelConnectors.id} and m.direction = 'out' and m.status = 'failed')`,
};

export function webhookPath(c: { id: string; kind: string }) {
  return c.kind === 'telephony' ? `/api/v1/hooks/telephony/${c.id}` : `/api/v1/hooks/social/${c.id}`;
}

function present(config: Config, r: ConnectorRow & { groupName: string | null; pending: number; failedReplies: number }) {
  return {
    id: r.id,
    kind: r.kind as 'telegram' | 'generic' | 'telephony',
    name: r.name,
    platform: r.platform,
    group: r.groupId ? { id: r.groupId, name: r.groupName ?? '' } : null,
    active: r.active,
    outboundUrl: r.outboundUrl,
    hasOutboundToken: Boolean(r.outboundTokenEnc),
    webhookUrl: `${config.publicUrl}${webhookPath(r)}`,
    lastReceivedAt: r.lastReceivedAt,
    pending: r.pending,
    failedReplies: r.failedReplies,
    version: r.version,
    createdAt: r.createdAt,
  };
}

const selectConnectors = (db: DbOrTx) =>
  db.select({ ...getTableColumns(channelConnectors), ...stats }).from(channelConnectors).leftJoin(groups, eq(groups.id, channelConnectors.groupId));

export async function listConnectors(ctx: AuthedCtx) {
  requireAdmin(ctx.actor);
  const rows = await selectConnectors(ctx.db).orderBy(asc(channelConnectors.createdAt));
  return rows.map((r) => present(ctx.config, r));
}

export async function getConnector(ctx: AuthedCtx, id: string) {
  requireAdmin(ctx.actor);
  const [row] = await selectConnectors(ctx.db).where(eq(channelConnectors.id, id));
  if (!row) throw notFound();
  return present(ctx.config, row);
}

/**
 * Outbound URLs are followed by the server, so only http(s), never with credentials in them, and
 * never a private address unless the operator allowed it (the same rule is enforced per request).
 */
function checkUrl(url: string | null | undefined, errors: FieldError[], config: Config) {
  if (!url) return;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') errors.push({ field: 'outboundUrl', code: 'invalid', params: { reason: 'must be http or https' } });
    if (u.username || u.password) errors.push({ field: 'outboundUrl', code: 'invalid', params: { reason: 'put credentials in outboundToken, not in the URL' } });
    if (literalAddressBlocked(u, { allow: config.outboundAllow }))
      errors.push({ field: 'outboundUrl', code: 'invalid', params: { reason: 'a private or reserved address; the server operator can allow it with CAREDESK_OUTBOUND_ALLOW' } });
  } catch {
    errors.push({ field: 'outboundUrl', code: 'invalid', params: { reason: 'not a URL' } });
  }
}

function requireSecrets(ctx: AuthedCtx): Secrets {
  if (!ctx.secrets) throw new AppError('internal', 500, 'secrets unavailable');
  return ctx.secrets;
}

export async function createConnector(ctx: AuthedCtx, input: Static<typeof CreateConnectorBody>) {
  requireAdmin(ctx.actor);
  const secrets = requireSecrets(ctx);
  const errors: FieldError[] = [];
  checkUrl(input.outboundUrl, errors, ctx.config);
  if (input.kind === 'telegram' && !input.outboundToken) errors.push({ field: 'outboundToken', code: 'required', params: { reason: 'the bot token' } });
  if (input.kind === 'generic' && !input.outboundUrl) errors.push({ field: 'outboundUrl', code: 'required' });
  if (errors.length) throw validation(errors);
  const platform = input.kind === 'telegram' ? 'telegram' : input.kind === 'telephony' ? 'phone' : (input.platform ?? 'generic');
  const now = ctx.now();
  const [row] = await ctx.db
    .insert(channelConnectors)
    .values({
      kind: input.kind,
      name: input.name.trim(),
      platform,
      groupId: input.groupId ?? null,
      active: input.active ?? true,
      webhookSecretEnc: secrets.encrypt(input.webhookSecret),
      outboundUrl: input.outboundUrl ?? (input.kind === 'telegram' ? TELEGRAM_API : null),
      outboundTokenEnc: input.outboundToken ? secrets.encrypt(input.outboundToken) : null,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: channelConnectors.id });
  await recordAudit(ctx.db, { actor: ctx.actor, action: 'connector.created', targetType: 'connector', targetId: row!.id, at: now });
  return getConnector(ctx, row!.id);
}

export async function updateConnector(ctx: AuthedCtx, id: string, patch: Static<typeof UpdateConnectorBody>, ifMatch?: number) {
  requireAdmin(ctx.actor);
  const secrets = requireSecrets(ctx);
  const [before] = await ctx.db.select().from(channelConnectors).where(eq(channelConnectors.id, id));
  if (!before) throw notFound();
  const version = patch.version ?? ifMatch;
  if (version !== undefined && version !== before.version) throw versionConflict();
  const errors: FieldError[] = [];
  checkUrl(patch.outboundUrl, errors, ctx.config);
  if (errors.length) throw validation(errors);
  const { webhookSecret, outboundToken, version: _v, ...plain } = patch;
  const set = {
    ...plain,
    ...(plain.name ? { name: plain.name.trim() } : {}),
    ...(before.kind === 'generic' && plain.platform ? { platform: plain.platform } : { platform: before.platform }),
    ...(webhookSecret ? { webhookSecretEnc: secrets.encrypt(webhookSecret) } : {}),
    ...(outboundToken !== undefined ? { outboundTokenEnc: outboundToken ? secrets.encrypt(outboundToken) : null } : {}),
  };
  const now = ctx.now();
  const rows = await ctx.db
    .update(channelConnectors)
    .set({ ...set, updatedAt: now, version: sql`${channelConnectors.version} + 1` })
    .where(and(eq(channelConnectors.id, id), eq(channelConnectors.version, before.version)))
    .returning({ id: channelConnectors.id });
  if (!rows.length) throw versionConflict();
  await recordAudit(ctx.db, {
    actor: ctx.actor,
    action: 'connector.updated',
    targetType: 'connector',
    targetId: id,
    at: now,
    changes: [
      ...changedFields(before as Record<string, unknown>, plain as Record<string, unknown>),
      ...(webhookSecret ? [{ field: 'webhookSecret', before: null, after: '(changed)' }] : []),
      ...(outboundToken !== undefined ? [{ field: 'outboundToken', before: null, after: '(changed)' }] : []),
    ],
  });
  return getConnector(ctx, id);
}

export async function connectorById(db: DbOrTx, id: string) {
  const [row] = await db.select().from(channelConnectors).where(eq(channelConnectors.id, id));
  return row ?? null;
}

/** Why a webhook is refused, told to the caller so a misconfigured platform can be fixed. */
export class WebhookRefused extends AppError {
  constructor(reason: string) {
    super('webhook_refused', 401, 'Webhook refused', { params: { reason } });
  }
}

/**
 * The CareDesk signature: `X-CareDesk-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with the
 * connector's secret. Compared in constant time; the body is checked exactly as it arrived.
 */
export function verifyHmac(secret: string, raw: Buffer, header: string | string[] | undefined) {
  if (typeof header !== 'string' || !header) throw new WebhookRefused('the X-CareDesk-Signature header is missing');
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!m) throw new WebhookRefused('X-CareDesk-Signature must be "sha256=" followed by 64 hex digits');
  const expected = createHmac('sha256', secret).update(raw).digest();
  const given = Buffer.from(m[1]!, 'hex');
  if (!timingSafeEqual(expected, given)) throw new WebhookRefused('the signature does not match the body for this connector');
}

/** Telegram sends the secret_token given to setWebhook back in a header, unchanged. */
export function verifyTelegramToken(secret: string, header: string | string[] | undefined) {
  if (typeof header !== 'string' || !header) throw new WebhookRefused('the X-Telegram-Bot-Api-Secret-Token header is missing');
  const a = Buffer.from(secret);
  const b = Buffer.from(header);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new WebhookRefused('the secret token does not match this connector');
}

/** The connector a webhook names, if it exists, is active and is of the expected family. */
export async function webhookConnector(db: DbOrTx, id: string, family: 'social' | 'telephony') {
  const c = /^[0-9a-f-]{36}$/i.test(id) ? await connectorById(db, id) : null;
  const fits = c && (family === 'telephony' ? c.kind === 'telephony' : c.kind !== 'telephony');
  if (!c || !fits) throw new AppError('not_found', 404, 'Not found');
  if (!c.active) throw new AppError('webhook_inactive', 403, 'Connector inactive', { params: { reason: 'this connector is switched off' } });
  return c;
}
