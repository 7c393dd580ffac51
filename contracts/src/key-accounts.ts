/** Key accounts, revenue and routing: the API shapes of issue 5. */
import { Type, type Static, type TSchema } from 'typebox';
import { CHANNELS, GROUP_KINDS, TICKET_PRIORITIES, LANGUAGES } from './constants.js';

const closed = { additionalProperties: false } as const;
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Ref = Type.Object({ id: Uuid, name: Type.String() });
const literals = <const T extends string[]>(values: readonly [...T]) => Type.Enum<T>(values);
export const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });

export const RevenueImportReport = Type.Object({
  id: Uuid,
  filename: Type.String(),
  months: Type.Array(Type.String()),
  rows: Type.Integer(),
  imported: Type.Integer(),
  rejected: Type.Integer(),
  createdAccounts: Type.Integer(),
  rejections: Type.Array(
    Type.Object({
      row: Type.Integer(),
      /** What is wrong, for the interface to word in its language with `params`; `reason` says it in English. */
      code: Type.Optional(literals(['no_account', 'bad_month', 'bad_amount', 'bad_currency', 'duplicate_month', 'ambiguous_name', 'unknown_account'])),
      params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
      reason: Type.String(),
    }),
  ),
});
export const RevenueImportSummary = Type.Object({
  id: Uuid,
  filename: Type.String(),
  months: Type.Array(Type.String()),
  imported: Type.Integer(),
  rejected: Type.Integer(),
  createdAccounts: Type.Integer(),
  createdAt: DateTime,
});
export const CurrencyRates = Type.Object({
  baseCurrency: Type.String(),
  items: Type.Array(Type.Object({ currency: Type.String(), rate: Type.Number(), updatedAt: DateTime })),
});
export const SetCurrencyRatesBody = Type.Object(
  {
    items: Type.Array(
      Type.Object({ currency: Type.String({ pattern: '^[A-Za-z]{3}$' }), rate: Type.Number({ exclusiveMinimum: 0 }) }, closed),
      { minItems: 1, maxItems: 200 },
    ),
  },
  closed,
);
export const RunRankingBody = Type.Object(
  { month: Type.Optional(Month), topN: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })) },
  closed,
);
export const RankingResult = Type.Object({
  month: Type.String(),
  revenueMonth: Type.String(),
  topN: Type.Integer(),
  baseCurrency: Type.String(),
  entered: Type.Array(Uuid),
  left: Type.Array(Uuid),
  members: Type.Array(Type.Object({ accountId: Uuid, rank: Type.Integer(), revenue: Type.Number(), officerId: Nullable(Uuid) })),
});
export const KeyAccountList = Type.Object({
  month: Nullable(Type.String()),
  months: Type.Array(Type.Object({ month: Type.String(), revenueMonth: Type.String(), topN: Type.Integer(), rankedAt: DateTime })),
  items: Type.Array(
    Type.Object({
      accountId: Uuid,
      name: Type.String(),
      countryCode: Nullable(Type.String()),
      rank: Type.Integer(),
      revenue: Type.Number(),
      officer: Nullable(Ref),
      entered: Type.Boolean(),
    }),
  ),
  left: Type.Optional(Type.Array(Type.Object({ accountId: Uuid, name: Type.String() }))),
});
export const KeyAccountNotification = Type.Object({
  id: Uuid,
  month: Type.String(),
  accountId: Uuid,
  accountName: Type.String(),
  change: Type.String(),
  readAt: Nullable(DateTime),
  createdAt: DateTime,
});
export const AccountOverview = Type.Object({
  keyAccount: Type.Boolean(),
  rankHistory: Type.Array(Type.Object({ month: Type.String(), rank: Type.Integer(), revenue: Type.Number() })),
  revenue: Type.Array(Type.Object({ month: Type.String(), amount: Type.Number(), currency: Type.String(), converted: Nullable(Type.Number()) })),
  baseCurrency: Type.String(),
  contacts: Type.Array(Type.Object({ id: Uuid, name: Type.String(), language: Type.String() })),
  openTickets: Type.Array(
    Type.Object({ id: Uuid, number: Type.Integer(), subject: Type.String(), status: Type.String(), channel: Type.String(), priority: Type.String(), groupName: Nullable(Type.String()), updatedAt: DateTime }),
  ),
  recentTickets: Type.Array(
    Type.Object({ id: Uuid, number: Type.Integer(), subject: Type.String(), status: Type.String(), channel: Type.String(), priority: Type.String(), groupName: Nullable(Type.String()), updatedAt: DateTime }),
  ),
});

// ---- routing
export const RuleConditions = Type.Object(
  {
    keyAccount: Type.Optional(Type.Boolean()),
    countries: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Z]{2}$' }), { maxItems: 300 })),
    categoryIds: Type.Optional(Type.Array(Uuid, { maxItems: 200 })),
    channels: Type.Optional(Type.Array(literals(CHANNELS))),
    languages: Type.Optional(Type.Array(literals(LANGUAGES))),
    keywords: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 })),
    hasGroup: Type.Optional(Type.Boolean()),
  },
  closed,
);
export const GroupTarget = Type.Union([
  Type.Object({ id: Uuid }, closed),
  Type.Object({ kind: literals(GROUP_KINDS), sameCountry: Type.Optional(Type.Boolean()) }, closed),
]);
export const RuleActions = Type.Object(
  {
    group: Type.Optional(GroupTarget),
    priority: Type.Optional(literals(TICKET_PRIORITIES)),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 20 })),
  },
  closed,
);
export const RoutingRule = Type.Object({
  id: Uuid,
  position: Type.Integer(),
  name: Type.String(),
  active: Type.Boolean(),
  conditions: RuleConditions,
  actions: RuleActions,
  version: Type.Integer(),
});
export const CreateRoutingRuleBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    active: Type.Optional(Type.Boolean()),
    conditions: RuleConditions,
    actions: RuleActions,
  },
  closed,
);
export const UpdateRoutingRuleBody = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    active: Type.Optional(Type.Boolean()),
    conditions: Type.Optional(RuleConditions),
    actions: Type.Optional(RuleActions),
  },
  closed,
);
export const AssignmentMode = literals(['manual', 'round-robin', 'least-loaded'] as const);
export const GroupAssignment = Type.Object({ groupId: Uuid, mode: AssignmentMode, preferLanguage: Type.Boolean() });
export const SetGroupAssignmentBody = Type.Object({ mode: AssignmentMode, preferLanguage: Type.Optional(Type.Boolean()) }, closed);
export const SetAvailabilityBody = Type.Object({ away: Type.Boolean() }, closed);
export const RoutingPreviewBody = Type.Object(
  {
    accountId: Type.Optional(Nullable(Uuid)),
    contactId: Type.Optional(Nullable(Uuid)),
    categoryId: Type.Optional(Nullable(Uuid)),
    channel: literals(CHANNELS),
    text: Type.Optional(Type.String({ maxLength: 10000 })),
  },
  closed,
);
export const RoutingDecision = Type.Object({
  groupId: Nullable(Uuid),
  priority: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  ruleIds: Type.Array(Uuid),
});

export type RevenueImportReportT = Static<typeof RevenueImportReport>;
export type KeyAccountListT = Static<typeof KeyAccountList>;
export type AccountOverviewT = Static<typeof AccountOverview>;
export type RoutingRuleT = Static<typeof RoutingRule>;
export type KeyAccountNotificationT = Static<typeof KeyAccountNotification>;

// ---- proactive care: contact plan, supplies, sales meeting notes
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
export const ContactPlan = Type.Object({ id: Uuid, accountId: Uuid, kind: Type.String(), everyDays: Type.Integer(), active: Type.Boolean() });
export const CreateContactPlanBody = Type.Object(
  { kind: literals(['call', 'visit'] as const), everyDays: Type.Integer({ minimum: 1, maximum: 366 }), firstDueOn: Type.Optional(Day) },
  closed,
);
export const ContactTask = Type.Object({
  id: Uuid,
  accountId: Uuid,
  accountName: Type.String(),
  kind: Type.String(),
  dueOn: Type.String(),
  status: Type.String(),
  outcome: Nullable(Type.String()),
  followUpTicketNumber: Nullable(Type.Integer()),
  officerId: Nullable(Uuid),
  officer: Nullable(Ref),
  doneAt: Nullable(DateTime),
  overdue: Type.Boolean(),
  dueToday: Type.Boolean(),
});
export const CompleteContactTaskBody = Type.Object(
  { outcome: Type.String({ minLength: 1, maxLength: 10000 }), followUpTicketNumber: Type.Optional(Type.Integer({ minimum: 1 })) },
  closed,
);
export const SuppliesRequest = Type.Object({
  id: Uuid,
  accountId: Uuid,
  items: Type.Array(Type.Object({ item: Type.String(), quantity: Type.Integer() })),
  status: Type.String(),
  requestedOn: Type.String(),
  dueOn: Type.String(),
  deliveredOn: Nullable(Type.String()),
  version: Type.Integer(),
  overdue: Type.Boolean(),
});
export const CreateSuppliesBody = Type.Object(
  {
    items: Type.Array(Type.Object({ item: Type.String({ minLength: 1, maxLength: 200 }), quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }, closed), { minItems: 1, maxItems: 50 }),
    dueOn: Type.Optional(Day),
  },
  closed,
);
export const UpdateSuppliesBody = Type.Object(
  { version: Type.Integer({ minimum: 1 }), status: literals(['approved', 'dispatched', 'delivered', 'cancelled'] as const), deliveredOn: Type.Optional(Day) },
  closed,
);
export const SalesMeetingNote = Type.Object({
  id: Uuid,
  week: Type.String(),
  trends: Type.String(),
  problems: Type.String(),
  opportunities: Type.String(),
  authorName: Nullable(Type.String()),
});
export const SaveSalesMeetingNoteBody = Type.Object(
  {
    week: Day,
    trends: Type.Optional(Type.String({ maxLength: 10000 })),
    problems: Type.Optional(Type.String({ maxLength: 10000 })),
    opportunities: Type.Optional(Type.String({ maxLength: 10000 })),
  },
  closed,
);
export type ContactTaskT = Static<typeof ContactTask>;
export type SuppliesRequestT = Static<typeof SuppliesRequest>;
export type SalesMeetingNoteT = Static<typeof SalesMeetingNote>;
