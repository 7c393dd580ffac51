import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ApiTypeProvider } from '../../platform/type-provider.js';
import {
  CreateRoutingRuleBody,
  GroupAssignment,
  RoutingDecision,
  RoutingPreviewBody,
  RoutingRule,
  SetAvailabilityBody,
  SetGroupAssignmentBody,
  UpdateRoutingRuleBody,
  Uuid,
} from '@caredesk/contracts';
import { authed } from '../auth/index.js';
import { ifMatchVersion } from '../customers/index.js';
import { createRule, deleteRule, getGroupAssignment, listRules, previewRouting, setAvailability, setGroupAssignment, updateRule } from './use-cases/admin.js';

export { routeNewTicket, pickAssignee } from './use-cases/route-ticket.js';
export { decide, pickAgent } from './domain/rules.js';

const IdParams = Type.Object({ id: Uuid });

export async function routingRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ApiTypeProvider>();
  const tags = ['routing'];
  api.get('/routing-rules', { schema: { tags, response: { 200: Type.Object({ items: Type.Array(RoutingRule) }) } } }, async (req) => ({
    items: await listRules(authed(req)),
  }));
  api.post('/routing-rules', { schema: { tags, body: CreateRoutingRuleBody, response: { 201: RoutingRule } } }, async (req, reply) =>
    reply.status(201).send(await createRule(authed(req), req.body)),
  );
  api.patch('/routing-rules/:id', { schema: { tags, params: IdParams, body: UpdateRoutingRuleBody, response: { 200: RoutingRule } } }, async (req) =>
    updateRule(authed(req), req.params.id, req.body, ifMatchVersion(req)),
  );
  api.delete('/routing-rules/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
    await deleteRule(authed(req), req.params.id);
    return reply.status(204).send();
  });
  api.post('/routing/preview', { schema: { tags, body: RoutingPreviewBody, response: { 200: RoutingDecision } } }, async (req) => previewRouting(authed(req), req.body));
  api.get('/groups/:id/assignment', { schema: { tags, params: IdParams, response: { 200: GroupAssignment } } }, async (req) => getGroupAssignment(authed(req), req.params.id));
  api.put('/groups/:id/assignment', { schema: { tags, params: IdParams, body: SetGroupAssignmentBody, response: { 200: GroupAssignment } } }, async (req) =>
    setGroupAssignment(authed(req), req.params.id, req.body),
  );
  api.put('/users/:id/availability', {
    schema: { tags, params: IdParams, body: SetAvailabilityBody, response: { 200: Type.Object({ userId: Uuid, away: Type.Boolean() }) } },
  }, async (req) => setAvailability(authed(req), req.params.id, req.body.away));
}
