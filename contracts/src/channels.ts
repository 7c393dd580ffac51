/** Shapes of the phone and social-messaging channels (calls, call scripts, screen pops, connectors). */
import { Type, type Static, type TSchema } from 'typebox';

const closed = { additionalProperties: false } as const;
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.String({ format: 'uuid' });
const When = Type.String({ format: 'date-time' });
const Ref = Type.Object({ id: Id, name: Type.String() });

export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export const CALL_OUTCOMES = ['resolved', 'follow_up', 'escalated', 'callback_requested', 'no_answer', 'voicemail'] as const;
export const CONNECTOR_KINDS = ['telegram', 'generic', 'telephony'] as const;
const CallDirection = Type.Enum([...CALL_DIRECTIONS]);
const CallOutcome = Type.Enum([...CALL_OUTCOMES]);

export const ScriptItem = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z0-9_-]+$' }),
    label: Type.String({ minLength: 1, maxLength: 300 }),
    required: Type.Optional(Type.Boolean()),
  },
  closed,
);
export const CallScript = Type.Object({
  id: Id,
  categoryId: Id,
  steps: Type.Array(Type.String()),
  checklist: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), required: Type.Boolean() })),
  version: Type.Integer(),
  updatedAt: When,
});
export const PutCallScriptBody = Type.Object(
  {
    steps: Type.Array(Type.String({ minLength: 1, maxLength: 1000 }), { maxItems: 50 }),
    checklist: Type.Array(ScriptItem, { maxItems: 50 }),
  },
  closed,
);

export const ChecklistAnswer = Type.Object({ key: Type.String(), label: Type.String(), checked: Type.Boolean() });
export const LogCallBody = Type.Object(
  {
    direction: CallDirection,
    number: Type.String({ minLength: 3, maxLength: 40 }),
    /** The contact when the agent already knows who it is; otherwise found (or created) by number. */
    contactId: Type.Optional(Id),
    contactName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** Adds the call to this ticket (id or number); without it the call opens a ticket. */
    ticketId: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    categoryId: Type.Optional(Id),
    reasonCodeId: Type.Optional(Id),
    durationSeconds: Type.Integer({ minimum: 0, maximum: 86_400 }),
    outcome: CallOutcome,
    notes: Type.String({ maxLength: 20_000 }),
    checklist: Type.Optional(Type.Array(Type.Object({ key: Type.String({ maxLength: 60 }), checked: Type.Boolean() }, closed), { maxItems: 50 })),
    telephonyCallId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  closed,
);
export const Call = Type.Object({
  id: Id,
  direction: CallDirection,
  number: Type.String(),
  contact: Nullable(Ref),
  ticket: Nullable(Type.Object({ id: Id, number: Type.Integer() })),
  agent: Nullable(Ref),
  categoryId: Nullable(Id),
  reasonCodeId: Nullable(Id),
  durationSeconds: Type.Integer(),
  outcome: CallOutcome,
  notes: Type.String(),
  checklist: Type.Array(ChecklistAnswer),
  createdAt: When,
});
/** What a timeline message carries when it records a call. */
export const MessageCall = Type.Object({
  callId: Id,
  direction: CallDirection,
  number: Type.String(),
  durationSeconds: Type.Integer(),
  outcome: CallOutcome,
  reasonCodeId: Nullable(Id),
  loggedBy: Nullable(Ref),
  checklist: Type.Array(ChecklistAnswer),
});
/** What a timeline message carries when it came or went through a messaging platform. */
export const MessageSocial = Type.Object({
  id: Id,
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  platform: Type.String(),
  connector: Ref,
  handle: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  sentAt: Nullable(When),
});

export const ScreenPop = Type.Object({
  callId: Type.String(),
  state: Type.Union([Type.Literal('ringing'), Type.Literal('answered'), Type.Literal('ended')]),
  direction: CallDirection,
  number: Type.String(),
  contact: Nullable(Ref),
  openTickets: Type.Array(Type.Object({ id: Id, number: Type.Integer(), subject: Type.String(), status: Type.String() })),
  agentId: Nullable(Id),
  updatedAt: When,
});

export const TelephonyEventBody = Type.Object(
  {
    callId: Type.String({ minLength: 1, maxLength: 200 }),
    event: Type.Union([Type.Literal('ringing'), Type.Literal('answered'), Type.Literal('ended')]),
    from: Type.String({ minLength: 3, maxLength: 40 }),
    to: Type.Optional(Type.String({ maxLength: 40 })),
    direction: Type.Optional(CallDirection),
    agentEmail: Type.Optional(Type.String({ maxLength: 320 })),
    durationSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
    at: Type.Optional(When),
  },
  closed,
);

export const Connector = Type.Object({
  id: Id,
  kind: Type.Enum([...CONNECTOR_KINDS]),
  name: Type.String(),
  platform: Type.String(),
  group: Nullable(Ref),
  active: Type.Boolean(),
  outboundUrl: Nullable(Type.String()),
  hasOutboundToken: Type.Boolean(),
  /** Where the platform sends its webhooks. */
  webhookUrl: Type.String(),
  lastReceivedAt: Nullable(When),
  pending: Type.Integer(),
  failedReplies: Type.Integer(),
  version: Type.Integer(),
  createdAt: When,
});
const ConnectorFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  platform: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9_-]+$' })),
  groupId: Type.Optional(Nullable(Id)),
  active: Type.Optional(Type.Boolean()),
  webhookSecret: Type.String({ minLength: 16, maxLength: 256, pattern: '^[A-Za-z0-9_-]+$' }),
  outboundUrl: Type.Optional(Nullable(Type.String({ format: 'uri', maxLength: 2000 }))),
  outboundToken: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 500 }))),
};
export const CreateConnectorBody = Type.Object({ kind: Type.Enum([...CONNECTOR_KINDS]), ...ConnectorFields }, closed);
export const UpdateConnectorBody = Type.Object(
  { ...Type.Partial(Type.Object(ConnectorFields)).properties, version: Type.Optional(Type.Integer({ minimum: 1 })) },
  closed,
);

export type CallScriptT = Static<typeof CallScript>;
export type CallT = Static<typeof Call>;
export type MessageCallT = Static<typeof MessageCall>;
export type MessageSocialT = Static<typeof MessageSocial>;
export type ScreenPopT = Static<typeof ScreenPop>;
export type ConnectorT = Static<typeof Connector>;
