import type { FastifyInstance } from 'fastify';
import type { ApiTypeProvider } from '../../platform/type-provider.js';
import { Type } from 'typebox';
import { CreateGroupBody, CreateUserBody, Group, UpdateGroupBody, UpdateUserBody, User, Uuid, list } from '@caredesk/contracts';
import { authed } from '../auth/index.js';
import { getMe, updateMe } from './use-cases/me.js';
import { createUser, listUsers, updateUser, getUser } from './use-cases/users.js';
import { createGroup, listGroups, updateGroup, getGroup } from './use-cases/groups.js';

export { getMe, updateMe };
export { groupsByIds, userIsMember } from './use-cases/groups.js';
export { createUser } from './use-cases/users.js';
export { isAgentAddress } from './use-cases/agent-addresses.js';
export { createGroup } from './use-cases/groups.js';

const IdParams = Type.Object({ id: Uuid });

export async function peopleRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ApiTypeProvider>();
  const tags = ['people'];
  api.get(
    '/users',
    {
      schema: {
        tags,
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), includeInactive: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: list(User) },
      },
    },
    async (req) => ({ items: await listUsers(authed(req), req.query) }),
  );
  api.post('/users', { schema: { tags, body: CreateUserBody, response: { 201: User } } }, async (req, reply) =>
    reply.status(201).send(await createUser(authed(req), req.body)),
  );
  api.get('/users/:id', { schema: { tags, params: IdParams, response: { 200: User } } }, async (req) =>
    getUser(authed(req), req.params.id),
  );
  api.patch('/users/:id', { schema: { tags, params: IdParams, body: UpdateUserBody, response: { 200: User } } }, async (req) =>
    updateUser(authed(req), req.params.id, req.body),
  );

  api.get('/groups', { schema: { tags, response: { 200: list(Group) } } }, async (req) => ({ items: await listGroups(authed(req)) }));
  api.post('/groups', { schema: { tags, body: CreateGroupBody, response: { 201: Group } } }, async (req, reply) =>
    reply.status(201).send(await createGroup(authed(req), req.body)),
  );
  api.get('/groups/:id', { schema: { tags, params: IdParams, response: { 200: Group } } }, async (req) =>
    getGroup(authed(req), req.params.id),
  );
  api.patch('/groups/:id', { schema: { tags, params: IdParams, body: UpdateGroupBody, response: { 200: Group } } }, async (req) =>
    updateGroup(authed(req), req.params.id, req.body),
  );
}
