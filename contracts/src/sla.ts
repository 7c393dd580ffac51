/** Service levels: calendars, policies, ladders, per-ticket clocks and notifications. */
import { Type, type Static, type TSchema } from 'typebox';
import { TICKET_PRIORITIES, TICKET_STATUSES, CHANNELS, ACCOUNT_TIERS } from './constants.js';

const closed = { additionalProperties: false } as const;
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const lit = <const T extends string[]>(values: readonly [...T]) => Type.Enum<T>(values);

export const SLA_TARGETS = ['first_response', 'next_response', 'resolution', 'internal'] as const;
export const SLA_STATES = ['on_track', 'at_risk', 'breached', 'met', 'paused'] as const;
export const SLA_UNITS = ['business_minutes', 'calendar_minutes', 'business_days'] as const;
const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$' });
const Interval = Type.Array(Time, { minItems: 2, maxItems: 2 });
const Day = Type.Array(Interval, { maxItems: 6 });
const Hours = Type.Object(
  { sun: Type.Optional(Day), mon: Type.Optional(Day), tue: Type.Optional(Day), wed: Type.Optional(Day), thu: Type.Optional(Day), fri: Type.Optional(Day), sat: Type.Optional(Day) },
  closed,
);
const Holiday = Type.Object({ date: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }), name: Type.String({ minLength: 1, maxLength: 200 }) }, closed);

export const Calendar = Type.Object({
  id: Uuid,
  name: Type.String(),
  timeZone: Type.String(),
  hours: Hours,
  holidays: Type.Array(Holiday),
  isDefault: Type.Boolean(),
  version: Type.Integer(),
});
export const CreateCalendarBody = Type.Object(
  { name: Name, timeZone: Type.String({ minLength: 1, maxLength: 64 }), hours: Hours, holidays: Type.Optional(Type.Array(Holiday, { maxItems: 1000 })), isDefault: Type.Optional(Type.Boolean()) },
  closed,
);
export const UpdateCalendarBody = Type.Object(
  {
    version: Type.Optional(Type.Integer()),
    name: Type.Optional(Name),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    hours: Type.Optional(Hours),
    holidays: Type.Optional(Type.Array(Holiday, { maxItems: 1000 })),
    isDefault: Type.Optional(Type.Boolean()),
  },
  closed,
);
export const ImportHolidaysBody = Type.Object({ ics: Type.String({ minLength: 1, maxLength: 2_000_000 }), replace: Type.Optional(Type.Boolean()) }, closed);

const Duration = { amount: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }), unit: lit(SLA_UNITS) };
export const SlaTarget = Type.Object(
  { kind: lit(['first_response', 'next_response', 'resolution'] as const), priority: Nullable(lit(TICKET_PRIORITIES)), ...Duration },
  closed,
);
export const SlaConditions = Type.Object(
  {
    priorities: Type.Optional(Type.Array(lit(TICKET_PRIORITIES), { uniqueItems: true })),
    categoryIds: Type.Optional(Type.Array(Uuid, { uniqueItems: true })),
    channels: Type.Optional(Type.Array(lit(CHANNELS), { uniqueItems: true })),
    groupIds: Type.Optional(Type.Array(Uuid, { uniqueItems: true })),
    accountTiers: Type.Optional(Type.Array(lit(ACCOUNT_TIERS), { uniqueItems: true })),
    keyAccount: Type.Optional(Type.Boolean()),
  },
  closed,
);
export const SlaPolicy = Type.Object({
  id: Uuid,
  name: Type.String(),
  position: Type.Integer(),
  active: Type.Boolean(),
  conditions: SlaConditions,
  targets: Type.Array(SlaTarget),
  calendarId: Nullable(Uuid),
  ladderId: Nullable(Uuid),
  version: Type.Integer(),
});
const policyFields = {
  name: Name,
  position: Type.Integer({ minimum: 0, maximum: 100_000 }),
  active: Type.Boolean(),
  conditions: SlaConditions,
  targets: Type.Array(SlaTarget, { minItems: 1, maxItems: 20 }),
  calendarId: Nullable(Uuid),
  ladderId: Nullable(Uuid),
};
export const CreateSlaPolicyBody = Type.Object(
  { ...policyFields, position: Type.Optional(policyFields.position), active: Type.Optional(Type.Boolean()), conditions: Type.Optional(SlaConditions), calendarId: Type.Optional(policyFields.calendarId), ladderId: Type.Optional(policyFields.ladderId) },
  closed,
);
export const UpdateSlaPolicyBody = Type.Object(
  {
    version: Type.Optional(Type.Integer()),
    name: Type.Optional(policyFields.name),
    position: Type.Optional(policyFields.position),
    active: Type.Optional(Type.Boolean()),
    conditions: Type.Optional(SlaConditions),
    targets: Type.Optional(policyFields.targets),
    calendarId: Type.Optional(policyFields.calendarId),
    ladderId: Type.Optional(policyFields.ladderId),
  },
  closed,
);

const StepAt = Type.Union([
  Type.Object({ kind: Type.Literal('percent'), value: Type.Integer({ minimum: 1, maximum: 1000 }) }, closed),
  Type.Object({ kind: Type.Literal('before'), minutes: Type.Integer({ minimum: 1, maximum: 525_600 }) }, closed),
  Type.Object({ kind: Type.Literal('after'), minutes: Type.Integer({ minimum: 0, maximum: 525_600 }) }, closed),
]);
const StepAction = Type.Union([
  Type.Object({ type: Type.Literal('notify'), recipients: Type.Array(lit(['assignee', 'supervisors', 'managers'] as const), { minItems: 1, uniqueItems: true }) }, closed),
  Type.Object({ type: Type.Literal('raise_priority') }, closed),
  Type.Object({ type: Type.Literal('move'), groupId: Type.Optional(Nullable(Uuid)), assigneeId: Type.Optional(Nullable(Uuid)) }, closed),
]);
export const LadderStep = Type.Object(
  {
    key: Type.Optional(Type.String({ pattern: '^[a-z0-9_-]{1,40}$' })),
    target: lit([...SLA_TARGETS, 'any'] as const),
    at: StepAt,
    actions: Type.Array(StepAction, { minItems: 1, maxItems: 10 }),
  },
  closed,
);
export const SlaLadder = Type.Object({ id: Uuid, name: Type.String(), steps: Type.Array(LadderStep), version: Type.Integer() });
export const CreateSlaLadderBody = Type.Object({ name: Name, steps: Type.Array(LadderStep, { maxItems: 20 }) }, closed);
export const UpdateSlaLadderBody = Type.Object(
  { version: Type.Optional(Type.Integer()), name: Type.Optional(Name), steps: Type.Optional(Type.Array(LadderStep, { maxItems: 20 })) },
  closed,
);

export const SlaGroupSetting = Type.Object({
  groupId: Uuid,
  calendarId: Nullable(Uuid),
  internalTarget: Nullable(Type.Object(Duration, closed)),
  ladderId: Nullable(Uuid),
});
export const UpdateSlaGroupSettingBody = Type.Object(
  { calendarId: Type.Optional(Nullable(Uuid)), internalTarget: Type.Optional(Nullable(Type.Object(Duration, closed))), ladderId: Type.Optional(Nullable(Uuid)) },
  closed,
);
export const SlaSettings = Type.Object({ pauseStatuses: Type.Array(lit(TICKET_STATUSES), { uniqueItems: true }) }, closed);

export const SlaClock = Type.Object({
  target: lit(SLA_TARGETS),
  cycle: Type.Integer(),
  state: lit(SLA_STATES),
  dueAt: Nullable(DateTime),
  breachedAt: Nullable(DateTime),
  stoppedAt: Nullable(DateTime),
  pausedMinutes: Type.Number(),
  explanation: Type.Object({
    policy: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
    group: Nullable(Uuid),
    calendar: Type.Object({ id: Nullable(Uuid), name: Type.String() }),
    target: Type.Object(Duration),
    startAt: DateTime,
    pauses: Type.Array(Type.Object({ from: DateTime, to: Nullable(DateTime) })),
    businessMinutesUsed: Type.Number(),
    businessMinutesLeft: Type.Number(),
  }),
});
export const TicketSla = Type.Object({ ticketId: Uuid, now: DateTime, clocks: Type.Array(SlaClock) });

export const SlaPreviewBody = Type.Object({ start: DateTime, priority: Type.Optional(lit(TICKET_PRIORITIES)) }, closed);
export const SlaPreview = Type.Object({
  items: Type.Array(Type.Object({ kind: Type.String(), priority: Nullable(Type.String()), amount: Type.Number(), unit: lit(SLA_UNITS), dueAt: Nullable(DateTime), calendar: Type.String() })),
});

export const SlaQueueItem = Type.Object({
  ticketId: Uuid,
  number: Type.Integer(),
  subject: Type.String(),
  status: Type.String(),
  priority: Type.String(),
  groupId: Nullable(Uuid),
  assigneeId: Nullable(Uuid),
  target: lit(SLA_TARGETS),
  dueAt: DateTime,
  state: lit(SLA_STATES),
});
/** The queue's items and the time their states were judged at (the server's SLA clock). */
export const SlaQueue = Type.Object({ items: Type.Array(SlaQueueItem), now: DateTime });
export const TestClockBody = Type.Object({ offsetMinutes: Type.Number({ minimum: 0, maximum: 525_600 }) }, closed);
export const TestClock = Type.Object({ offsetMinutes: Type.Number(), now: DateTime });
export const SlaQueueQuery = Type.Object(
  { groupId: Type.Optional(Uuid), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) },
  closed,
);
export const SlaNotification = Type.Object({
  id: Uuid,
  ticketId: Uuid,
  ticketNumber: Type.Integer(),
  subject: Type.String(),
  target: Type.String(),
  stepKey: Type.String(),
  dueAt: Nullable(DateTime),
  readAt: Nullable(DateTime),
  createdAt: DateTime,
});

export type CalendarT = Static<typeof Calendar>;
export type SlaPolicyT = Static<typeof SlaPolicy>;
export type SlaLadderT = Static<typeof SlaLadder>;
export type SlaGroupSettingT = Static<typeof SlaGroupSetting>;
export type SlaClockT = Static<typeof SlaClock>;
export type TicketSlaT = Static<typeof TicketSla>;
export type SlaQueueItemT = Static<typeof SlaQueueItem>;
export type SlaQueueT = Static<typeof SlaQueue>;
export type SlaNotificationT = Static<typeof SlaNotification>;

/** An account's targets met and breached over a period, from the recorded sla.met / sla.breached facts. */
export const AccountSlaCompliance = Type.Object({
  accountId: Uuid,
  since: DateTime,
  targets: Type.Array(
    Type.Object({
      target: lit(SLA_TARGETS),
      met: Type.Integer(),
      breached: Type.Integer(),
      /** met / (met + breached); null when nothing was measured. */
      compliance: Nullable(Type.Number()),
    }),
  ),
});
export const AccountSlaComplianceQuery = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 730 })) }, closed);
export type AccountSlaComplianceT = Static<typeof AccountSlaCompliance>;
