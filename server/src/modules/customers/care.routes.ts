import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ApiTypeProvider } from '../../platform/type-provider.js';
import {
  CompleteContactTaskBody,
  ContactPlan,
  ContactTask,
  CreateContactPlanBody,
  CreateSuppliesBody,
  SalesMeetingNote,
  SaveSalesMeetingNoteBody,
  SuppliesRequest,
  UpdateSuppliesBody,
  Uuid,
} from '@caredesk/contracts';
import { authed } from '../auth/index.js';
import { completeTask, createPlan, createSupplies, listMeetingNotes, listPlans, listSupplies, listTasks, saveMeetingNote, updateSupplies } from './use-cases/care.js';

const IdParams = Type.Object({ id: Uuid });
const list = <T extends import('typebox').TSchema>(t: T) => Type.Object({ items: Type.Array(t) });

export async function careRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ApiTypeProvider>();
  const tags = ['key accounts'];
  api.get('/accounts/:id/contact-plans', { schema: { tags, params: IdParams, response: { 200: list(ContactPlan) } } }, async (req) => ({ items: await listPlans(authed(req), req.params.id) }));
  api.post('/accounts/:id/contact-plans', { schema: { tags, params: IdParams, body: CreateContactPlanBody, response: { 201: ContactPlan } } }, async (req, reply) =>
    reply.status(201).send(await createPlan(authed(req), req.params.id, req.body)),
  );
  api.get('/accounts/:id/contact-tasks', { schema: { tags, params: IdParams, response: { 200: list(ContactTask) } } }, async (req) => ({
    items: await listTasks(authed(req), { scope: 'account', accountId: req.params.id }),
  }));
  api.get('/contact-tasks', {
    schema: {
      tags,
      querystring: Type.Object({ scope: Type.Optional(Type.Enum(['mine', 'overdue'] as const)), status: Type.Optional(Type.Enum(['open', 'done'] as const)) }, { additionalProperties: false }),
      response: { 200: list(ContactTask) },
    },
  }, async (req) => ({ items: await listTasks(authed(req), { scope: req.query.scope ?? 'mine', status: req.query.status }) }));
  api.post('/contact-tasks/:id/complete', { schema: { tags, params: IdParams, body: CompleteContactTaskBody, response: { 200: ContactTask } } }, async (req) =>
    completeTask(authed(req), req.params.id, req.body),
  );
  api.get('/accounts/:id/supplies', { schema: { tags, params: IdParams, response: { 200: list(SuppliesRequest) } } }, async (req) => ({ items: await listSupplies(authed(req), req.params.id) }));
  api.post('/accounts/:id/supplies', { schema: { tags, params: IdParams, body: CreateSuppliesBody, response: { 201: SuppliesRequest } } }, async (req, reply) =>
    reply.status(201).send(await createSupplies(authed(req), req.params.id, req.body)),
  );
  api.patch('/supplies/:id', { schema: { tags, params: IdParams, body: UpdateSuppliesBody, response: { 200: SuppliesRequest } } }, async (req) =>
    updateSupplies(authed(req), req.params.id, req.body),
  );
  api.get('/accounts/:id/sales-notes', { schema: { tags, params: IdParams, response: { 200: list(SalesMeetingNote) } } }, async (req) => ({ items: await listMeetingNotes(authed(req), req.params.id) }));
  api.put('/accounts/:id/sales-notes', { schema: { tags, params: IdParams, body: SaveSalesMeetingNoteBody, response: { 200: SalesMeetingNote } } }, async (req) =>
    saveMeetingNote(authed(req), req.params.id, req.body),
  );
}
