import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ApiTypeProvider } from '../../platform/type-provider.js';
import {
  AccountOverview,
  CurrencyRates,
  KeyAccountList,
  KeyAccountNotification,
  Month,
  RankingResult,
  RevenueImportReport,
  RevenueImportSummary,
  RunRankingBody,
  SetCurrencyRatesBody,
  Uuid,
} from '@caredesk/contracts';
import { authed } from '../auth/index.js';
import { validation } from '../../platform/errors.js';
import { importRevenue, listRates, listRevenueImports, setRates } from './use-cases/revenue.js';
import { markKeyAccountNotificationsRead, myKeyAccountNotifications, rankKeyAccounts, rankingHistory, requireRanker } from './use-cases/ranking.js';
import { accountOverview, myKeyAccounts } from './use-cases/overview.js';
import { monthIn } from './domain/months.js';

const list = <T extends import('typebox').TSchema>(t: T) => Type.Object({ items: Type.Array(t) });

export async function keyAccountsRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ApiTypeProvider>();
  const tags = ['key accounts'];

  api.post('/revenue/imports', { schema: { tags, consumes: ['multipart/form-data'], response: { 201: RevenueImportReport } } }, async (req, reply) => {
    const ctx = authed(req);
    if (!req.isMultipart()) throw validation([{ field: 'file', code: 'required' }]);
    let file: { filename: string; data: Buffer } | null = null;
    let createUnknown = false;
    for await (const part of req.parts()) {
      if (part.type === 'file') file = { filename: part.filename, data: await part.toBuffer() };
      else if (part.fieldname === 'createUnknown') {
        const v = String(part.value).toLowerCase();
        if (!['true', 'false', '1', '0', ''].includes(v)) throw validation([{ field: 'createUnknown', code: 'invalid', params: { reason: 'use true or false' } }]);
        createUnknown = v === 'true' || v === '1';
      }
    }
    if (!file) throw validation([{ field: 'file', code: 'required' }]);
    return reply.status(201).send(await importRevenue(ctx, file.data, { filename: file.filename, createUnknown }));
  });
  api.get('/revenue/imports', { schema: { tags, response: { 200: list(RevenueImportSummary) } } }, async (req) => ({ items: await listRevenueImports(authed(req)) }));
  api.get('/currency-rates', { schema: { tags, response: { 200: CurrencyRates } } }, async (req) => listRates(authed(req)));
  api.put('/currency-rates', { schema: { tags, body: SetCurrencyRatesBody, response: { 200: CurrencyRates } } }, async (req) => setRates(authed(req), req.body.items));

  api.post('/key-accounts/rankings', { schema: { tags, body: RunRankingBody, response: { 200: RankingResult } } }, async (req) => {
    const ctx = authed(req);
    requireRanker(ctx);
    const month = req.body.month ? `${req.body.month}-01` : monthIn(ctx.now(), ctx.config.timeZone);
    return rankKeyAccounts(ctx, month, { topN: req.body.topN });
  });
  api.get('/key-accounts', { schema: { tags, querystring: Type.Object({ month: Type.Optional(Month) }, { additionalProperties: false }), response: { 200: KeyAccountList } } }, async (req) =>
    rankingHistory(authed(req), { month: req.query.month ? `${req.query.month}-01` : undefined }),
  );
  api.get('/key-accounts/mine', {
    schema: {
      tags,
      response: { 200: list(Type.Object({ id: Uuid, name: Type.String(), countryCode: Type.Union([Type.String(), Type.Null()]), rank: Type.Union([Type.Integer(), Type.Null()]), openTickets: Type.Integer() })) },
    },
  }, async (req) => ({ items: await myKeyAccounts(authed(req)) }));
  api.get('/key-accounts/notifications', { schema: { tags, response: { 200: list(KeyAccountNotification) } } }, async (req) => ({ items: await myKeyAccountNotifications(authed(req)) }));
  api.post('/key-accounts/notifications/read-all', { schema: { tags, response: { 200: Type.Object({ marked: Type.Integer() }) } } }, async (req) => ({
    marked: await markKeyAccountNotificationsRead(authed(req)),
  }));
  api.post('/key-accounts/notifications/:id/read', { schema: { tags, params: Type.Object({ id: Uuid }) } }, async (req, reply) => {
    await markKeyAccountNotificationsRead(authed(req), req.params.id);
    return reply.status(204).send();
  });
  api.get('/accounts/:id/overview', { schema: { tags, params: Type.Object({ id: Uuid }), response: { 200: AccountOverview } } }, async (req) =>
    accountOverview(authed(req), req.params.id),
  );
}
