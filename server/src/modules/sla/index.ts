import type { FastifyInstance } from 'fastify';
import type { ApiTypeProvider } from '../../platform/type-provider.js';
import { Type } from 'typebox';
import {
  Calendar,
  CreateCalendarBody,
  CreateSlaLadderBody,
  CreateSlaPolicyBody,
  ImportHolidaysBody,
  SlaGroupSetting,
  SlaLadder,
  SlaNotification,
  SlaPolicy,
  SlaPreview,
  SlaPreviewBody,
  SlaQueue,
  SlaQueueQuery,
  TestClock,
  TestClockBody,
  SlaSettings,
  TicketSla,
  UpdateCalendarBody,
  UpdateSlaGroupSettingBody,
  UpdateSlaLadderBody,
  UpdateSlaPolicyBody,
  Uuid,
  list,
  AccountSlaCompliance,
  AccountSlaComplianceQuery,
} from '@caredesk/contracts';
import { authed } from '../auth/index.js';
import { ifMatchVersion } from '../customers/index.js';
import {
  createCalendar,
  createLadder,
  createPolicy,
  deletePolicy,
  getCalendar,
  getPolicy,
  getSlaSettings,
  importHolidays,
  listCalendars,
  listGroupSettings,
  listLadders,
  listPolicies,
  setGroupSetting,
  setSlaSettings,
  updateCalendar,
  updateLadder,
  updatePolicy,
} from './use-cases/admin.js';
import { setTestClock } from './clock.js';
import { SWEEP_QUEUE } from './runtime.js';
import './use-cases/notify.js';
import { accountSlaCompliance, markAllNotificationsRead, markNotificationRead, myNotifications, previewPolicy, slaQueue, ticketSla } from './use-cases/views.js';
import { getAccount } from '../customers/index.js';
import './listeners.js';

export { startSlaRuntime, recomputeOpenTickets, type SlaRuntime } from './runtime.js';
export { seedSla } from './seed.js';
export { promisedTimes } from './use-cases/promises.js';
export { businessElapsed, companyTimeZone } from './use-cases/business-time.js';

const IdParams = Type.Object({ id: Uuid });
const TicketParams = Type.Object({ id: Type.String({ maxLength: 40 }) });

export async function slaRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ApiTypeProvider>();
  const tags = ['sla'];

  api.get('/tickets/:id/sla', { schema: { tags, params: TicketParams, response: { 200: TicketSla } } }, async (req) => ticketSla(authed(req), req.params.id));
  api.get(
    '/accounts/:id/sla-compliance',
    { schema: { tags, params: IdParams, querystring: AccountSlaComplianceQuery, response: { 200: AccountSlaCompliance } } },
    async (req) => {
      const ctx = authed(req);
      await getAccount(ctx, req.params.id);
      return accountSlaCompliance(ctx, req.params.id, req.query.days);
    },
  );
  api.get('/sla/queue', { schema: { tags, querystring: SlaQueueQuery, response: { 200: SlaQueue } } }, async (req) => slaQueue(authed(req), req.query));
  api.get(
    '/notifications',
    { schema: { tags, querystring: Type.Object({ unread: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), response: { 200: list(SlaNotification) } } },
    async (req) => ({ items: await myNotifications(authed(req), req.query.unread) }),
  );
  api.post('/notifications/read-all', { schema: { tags, response: { 200: Type.Object({ marked: Type.Integer() }) } } }, async (req) => ({
    marked: await markAllNotificationsRead(authed(req)),
  }));
  // Browser tests only (CAREDESK_TEST_CLOCK=true, admins): moves the SLA clock ahead and sweeps at once.
  api.put('/test/sla-clock', { schema: { tags, body: TestClockBody, response: { 200: TestClock } } }, async (req) => {
    const ctx = authed(req);
    const res = await setTestClock(ctx, req.body.offsetMinutes);
    await ctx.jobs?.send(SWEEP_QUEUE, {}, { singletonKey: 'sweep' });
    return res;
  });
  api.post('/notifications/:id/read', { schema: { tags, params: IdParams } }, async (req, reply) => {
    await markNotificationRead(authed(req), req.params.id);
    return reply.status(204).send();
  });

  api.get('/calendars', { schema: { tags, response: { 200: list(Calendar) } } }, async (req) => ({ items: await listCalendars(authed(req)) }));
  api.post('/calendars', { schema: { tags, body: CreateCalendarBody, response: { 201: Calendar } } }, async (req, reply) =>
    reply.status(201).send(await createCalendar(authed(req), req.body)),
  );
  api.get('/calendars/:id', { schema: { tags, params: IdParams, response: { 200: Calendar } } }, async (req) => getCalendar(authed(req), req.params.id));
  api.patch('/calendars/:id', { schema: { tags, params: IdParams, body: UpdateCalendarBody, response: { 200: Calendar } } }, async (req) =>
    updateCalendar(authed(req), req.params.id, req.body, ifMatchVersion(req)),
  );
  api.post('/calendars/:id/holidays/import', { schema: { tags, params: IdParams, body: ImportHolidaysBody, response: { 200: Calendar } } }, async (req) =>
    importHolidays(authed(req), req.params.id, req.body.ics, req.body.replace),
  );

  api.get('/sla-ladders', { schema: { tags, response: { 200: list(SlaLadder) } } }, async (req) => ({ items: await listLadders(authed(req)) }));
  api.post('/sla-ladders', { schema: { tags, body: CreateSlaLadderBody, response: { 201: SlaLadder } } }, async (req, reply) =>
    reply.status(201).send(await createLadder(authed(req), req.body)),
  );
  api.patch('/sla-ladders/:id', { schema: { tags, params: IdParams, body: UpdateSlaLadderBody, response: { 200: SlaLadder } } }, async (req) =>
    updateLadder(authed(req), req.params.id, req.body, ifMatchVersion(req)),
  );

  api.get('/sla-policies', { schema: { tags, response: { 200: list(SlaPolicy) } } }, async (req) => ({ items: await listPolicies(authed(req)) }));
  api.post('/sla-policies', { schema: { tags, body: CreateSlaPolicyBody, response: { 201: SlaPolicy } } }, async (req, reply) =>
    reply.status(201).send(await createPolicy(authed(req), req.body)),
  );
  api.get('/sla-policies/:id', { schema: { tags, params: IdParams, response: { 200: SlaPolicy } } }, async (req) => getPolicy(authed(req), req.params.id));
  api.patch('/sla-policies/:id', { schema: { tags, params: IdParams, body: UpdateSlaPolicyBody, response: { 200: SlaPolicy } } }, async (req) =>
    updatePolicy(authed(req), req.params.id, req.body, ifMatchVersion(req)),
  );
  api.delete('/sla-policies/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
    await deletePolicy(authed(req), req.params.id);
    return reply.status(204).send();
  });
  api.post('/sla-policies/:id/preview', { schema: { tags, params: IdParams, body: SlaPreviewBody, response: { 200: SlaPreview } } }, async (req) =>
    previewPolicy(authed(req), req.params.id, req.body),
  );

  api.get('/sla-group-settings', { schema: { tags, response: { 200: list(SlaGroupSetting) } } }, async (req) => ({ items: await listGroupSettings(authed(req)) }));
  api.put('/sla-group-settings/:id', { schema: { tags, params: IdParams, body: UpdateSlaGroupSettingBody, response: { 200: SlaGroupSetting } } }, async (req) =>
    setGroupSetting(authed(req), req.params.id, req.body),
  );
  api.get('/sla-settings', { schema: { tags, response: { 200: SlaSettings } } }, async (req) => getSlaSettings(authed(req)));
  api.put('/sla-settings', { schema: { tags, body: SlaSettings, response: { 200: SlaSettings } } }, async (req) => setSlaSettings(authed(req), req.body));
}
