import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiTypeProvider } from '../../platform/type-provider.js';
import { Type } from 'typebox';
import {
  Account,
  Contact,
  CreateAccountBody,
  CreateContactBody,
  IdentityInput,
  LookupContactBody,
  UpdateAccountBody,
  UpdateContactBody,
  Uuid,
  page,
} from '@caredesk/contracts';
import { authed } from '../auth/index.js';
import { notFound } from '../../platform/errors.js';
import { createAccount, getAccount, listAccounts, updateAccount } from './use-cases/accounts.js';
import { keyAccountsRoutes } from './key-accounts.routes.js';
import { careRoutes } from './care.routes.js';
import {
  addIdentity,
  createContact,
  findOrCreateContact,
  getContact,
  listContacts,
  removeIdentity,
  mergeContacts,
  updateContact,
} from './use-cases/contacts.js';

export { findOrCreateContact, findOrCreateContacts, getContact, searchContacts, findContactByIdentity } from './use-cases/contacts.js';
export { getAccount } from './use-cases/accounts.js';
export { normaliseIdentity } from './domain/identity.js';
export { importRevenue } from './use-cases/revenue.js';
export { rankKeyAccounts } from './use-cases/ranking.js';
export { monthIn } from './domain/months.js';
export { startKeyAccountsRuntime, RANKING_QUEUE } from './runtime.js';

const IdParams = Type.Object({ id: Uuid });
const closed = { additionalProperties: false } as const;
const PageQuery = {
  q: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
};

/** `If-Match: "3"` is the header form of the body's version. */
export function ifMatchVersion(req: FastifyRequest): number | undefined {
  const h = req.headers['if-match'];
  if (typeof h !== 'string') return undefined;
  const n = Number(h.replace(/^W\//, '').replace(/"/g, ''));
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export async function customersRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ApiTypeProvider>();
  const tags = ['customers'];
  await app.register(keyAccountsRoutes);
  await app.register(careRoutes);

  api.get('/accounts', { schema: { tags, querystring: Type.Object(PageQuery, closed), response: { 200: page(Account) } } }, async (req) =>
    listAccounts(authed(req), req.query),
  );
  api.post('/accounts', { schema: { tags, body: CreateAccountBody, response: { 201: Account } } }, async (req, reply) =>
    reply.status(201).send(await createAccount(authed(req), req.body)),
  );
  api.get('/accounts/:id', { schema: { tags, params: IdParams, response: { 200: Account } } }, async (req) => {
    authed(req);
    return getAccount(authed(req), req.params.id);
  });
  api.patch('/accounts/:id', { schema: { tags, params: IdParams, body: UpdateAccountBody, response: { 200: Account } } }, async (req) =>
    updateAccount(authed(req), req.params.id, req.body, ifMatchVersion(req)),
  );

  api.get(
    '/contacts',
    { schema: { tags, querystring: Type.Object({ ...PageQuery, accountId: Type.Optional(Uuid) }, closed), response: { 200: page(Contact) } } },
    async (req) => listContacts(authed(req), req.query),
  );
  api.post('/contacts', { schema: { tags, body: CreateContactBody, response: { 201: Contact } } }, async (req, reply) =>
    reply.status(201).send(await createContact(authed(req), req.body)),
  );
  api.get('/contacts/:id', { schema: { tags, params: IdParams, response: { 200: Contact } } }, async (req) =>
    getContact(authed(req), req.params.id),
  );
  api.patch('/contacts/:id', { schema: { tags, params: IdParams, body: UpdateContactBody, response: { 200: Contact } } }, async (req) =>
    updateContact(authed(req), req.params.id, req.body, ifMatchVersion(req)),
  );
  api.post(
    '/contacts/:id/merge',
    { schema: { tags, params: IdParams, body: Type.Object({ otherId: Uuid }, { additionalProperties: false }), response: { 200: Contact } } },
    async (req) => mergeContacts(authed(req), req.params.id, req.body.otherId),
  );
  api.post('/contacts/:id/identities', { schema: { tags, params: IdParams, body: IdentityInput, response: { 200: Contact } } }, async (req) =>
    addIdentity(authed(req), req.params.id, req.body),
  );
  api.delete(
    '/contacts/:id/identities/:identityId',
    { schema: { tags, params: Type.Object({ id: Uuid, identityId: Uuid }), response: { 200: Contact } } },
    async (req) => removeIdentity(authed(req), req.params.id, req.params.identityId),
  );
  api.post('/contacts/lookup', { schema: { tags, body: LookupContactBody, response: { 200: Contact, 201: Contact } } }, async (req, reply) => {
    const found = await findOrCreateContact(authed(req), req.body);
    if (!found) throw notFound();
    return reply.status(found.created ? 201 : 200).send(found.contact);
  });
}
