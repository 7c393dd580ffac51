/**
 * The public API's shapes, shared by the server (validation, serialisation, OpenAPI) and the web app (types).
 * Request bodies are closed (additionalProperties: false) so unknown fields are refused, never ignored.
 */
import { Type, type Static, type TSchema } from 'typebox';

const closed = { additionalProperties: false } as const;
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Str = (min = 1, max = 500) => Type.String({ minLength: min, maxLength: max });
export const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });

import { LANGUAGES, USER_ROLES, GROUP_KINDS, ACCOUNT_TIERS, CHANNELS, IDENTITY_KINDS, TICKET_STATUSES, TICKET_PRIORITIES } from './constants.js';
export * from './constants.js';
import { MessageCall, MessageSocial } from './channels.js';
export * from './channels.js';

const literals = <const T extends string[]>(values: readonly [...T]) => Type.Enum<T>(values);
export const Language = literals(LANGUAGES);
export const UserRole = literals(USER_ROLES);
export const GroupKind = literals(GROUP_KINDS);
export const AccountTier = literals(ACCOUNT_TIERS);
export const Channel = literals(CHANNELS);
export const IdentityKind = literals(IDENTITY_KINDS);
export const TicketStatus = literals(TICKET_STATUSES);
export const TicketPriority = literals(TICKET_PRIORITIES);

const Ref = Type.Object({ id: Uuid, name: Type.String() });
export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: Type.String(),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() }))),
});

// ---- auth / people
export const Me = Type.Object({
  id: Uuid,
  name: Type.String(),
  email: Type.String(),
  language: Language,
  roles: Type.Array(UserRole),
  groupIds: Type.Array(Uuid),
  active: Type.Boolean(),
});
export const User = Type.Object({ ...Me.properties, createdAt: DateTime });
export const LoginBody = Type.Object({ email: Str(3, 320), password: Str(1, 200) }, closed);
export const LoginResult = Type.Object({ token: Type.String(), user: Me });
export const UpdateMeBody = Type.Object({ name: Type.Optional(Str(1, 200)), language: Type.Optional(Language) }, closed);
export const CreateUserBody = Type.Object(
  {
    name: Str(1, 200),
    email: Type.String({ format: 'email', maxLength: 320 }),
    password: Str(10, 200),
    language: Type.Optional(Language),
    roles: Type.Array(UserRole, { minItems: 1, uniqueItems: true }),
    groupIds: Type.Optional(Type.Array(Uuid, { uniqueItems: true })),
  },
  closed,
);
export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(Str(1, 200)),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
    password: Type.Optional(Str(10, 200)),
    language: Type.Optional(Language),
    roles: Type.Optional(Type.Array(UserRole, { minItems: 1, uniqueItems: true })),
    groupIds: Type.Optional(Type.Array(Uuid, { uniqueItems: true })),
    active: Type.Optional(Type.Boolean()),
  },
  closed,
);
export const Group = Type.Object({
  id: Uuid,
  name: Type.String(),
  countryCode: Nullable(Type.String()),
  kind: GroupKind,
  memberIds: Type.Array(Uuid),
});
const CountryCode = Type.String({ pattern: '^[A-Z]{2}$' });
export const CreateGroupBody = Type.Object(
  { name: Str(1, 200), countryCode: Type.Optional(Nullable(CountryCode)), kind: GroupKind, memberIds: Type.Optional(Type.Array(Uuid, { uniqueItems: true })) },
  closed,
);
export const UpdateGroupBody = Type.Object(
  {
    name: Type.Optional(Str(1, 200)),
    countryCode: Type.Optional(Nullable(CountryCode)),
    kind: Type.Optional(GroupKind),
    memberIds: Type.Optional(Type.Array(Uuid, { uniqueItems: true })),
  },
  closed,
);

// ---- customers
export const Identity = Type.Object({ id: Uuid, kind: IdentityKind, platform: Type.String(), value: Type.String() });
export const IdentityInput = Type.Object(
  { kind: IdentityKind, value: Str(1, 320), platform: Type.Optional(Type.String({ maxLength: 50 })) },
  closed,
);
export const Account = Type.Object({
  id: Uuid,
  name: Type.String(),
  countryCode: Nullable(Type.String()),
  tier: AccountTier,
  externalId: Nullable(Type.String()),
  officerId: Nullable(Uuid),
  officer: Nullable(Ref),
  keyAccount: Type.Boolean(),
  version: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export const CreateAccountBody = Type.Object(
  {
    name: Str(1, 300),
    countryCode: Type.Optional(Nullable(CountryCode)),
    tier: Type.Optional(AccountTier),
    externalId: Type.Optional(Nullable(Str(1, 100))),
    officerId: Type.Optional(Nullable(Uuid)),
  },
  closed,
);
export const UpdateAccountBody = Type.Object(
  { version: Type.Optional(Type.Integer({ minimum: 1 })), ...CreateAccountBody.properties, name: Type.Optional(Str(1, 300)) },
  closed,
);
export const Contact = Type.Object({
  id: Uuid,
  name: Type.String(),
  language: Language,
  preferredChannel: Nullable(Channel),
  accountId: Nullable(Uuid),
  account: Nullable(Ref),
  /** Sees every ticket of the account in the customer portal. */
  accountAdmin: Type.Boolean(),
  identities: Type.Array(Identity),
  version: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export const CreateContactBody = Type.Object(
  {
    name: Str(1, 300),
    language: Type.Optional(Language),
    preferredChannel: Type.Optional(Nullable(Channel)),
    accountId: Type.Optional(Nullable(Uuid)),
    identities: Type.Array(IdentityInput, { maxItems: 20 }),
  },
  closed,
);
export const UpdateContactBody = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    name: Type.Optional(Str(1, 300)),
    language: Type.Optional(Language),
    preferredChannel: Type.Optional(Nullable(Channel)),
    accountId: Type.Optional(Nullable(Uuid)),
    accountAdmin: Type.Optional(Type.Boolean()),
  },
  closed,
);
export const LookupContactBody = Type.Object(
  {
    kind: IdentityKind,
    value: Str(1, 320),
    platform: Type.Optional(Type.String({ maxLength: 50 })),
    name: Type.Optional(Str(1, 300)),
    create: Type.Optional(Type.Boolean()),
  },
  closed,
);

// ---- categories, reason codes
export const Category = Type.Object({
  id: Uuid,
  key: Type.String(),
  nameEn: Type.String(),
  nameAr: Type.String(),
  shipmentRelated: Type.Boolean(),
  active: Type.Boolean(),
});
const Key = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' });
export const CreateCategoryBody = Type.Object(
  { key: Key, nameEn: Str(1, 200), nameAr: Str(1, 200), shipmentRelated: Type.Boolean(), active: Type.Optional(Type.Boolean()) },
  closed,
);
export const UpdateCategoryBody = Type.Object(
  {
    nameEn: Type.Optional(Str(1, 200)),
    nameAr: Type.Optional(Str(1, 200)),
    shipmentRelated: Type.Optional(Type.Boolean()),
    active: Type.Optional(Type.Boolean()),
  },
  closed,
);
export const ReasonCode = Type.Object({ id: Uuid, code: Type.String(), nameEn: Type.String(), nameAr: Type.String(), active: Type.Boolean() });
export const CreateReasonCodeBody = Type.Object(
  { code: Key, nameEn: Str(1, 200), nameAr: Str(1, 200), active: Type.Optional(Type.Boolean()) },
  closed,
);
export const UpdateReasonCodeBody = Type.Object(
  { nameEn: Type.Optional(Str(1, 200)), nameAr: Type.Optional(Str(1, 200)), active: Type.Optional(Type.Boolean()) },
  closed,
);

// ---- tickets
const OptStr = (max: number) => Type.Optional(Type.String({ maxLength: max }));
export const Shipment = Type.Object(
  {
    trackingNumber: OptStr(100),
    shipperName: OptStr(300),
    shipperPhone: OptStr(50),
    shipperEmail: OptStr(320),
    consigneeName: OptStr(300),
    consigneePhone: OptStr(50),
    consigneeEmail: OptStr(320),
  },
  closed,
);
export const Resolution = Type.Object(
  { rootCause: Type.String({ maxLength: 5000 }), solution: Type.String({ maxLength: 5000 }), actionTaken: Type.String({ maxLength: 5000 }) },
  closed,
);
const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 50, pattern: '^[^,\\s]+$' }), { maxItems: 30, uniqueItems: true });
export const NewTicketBody = Type.Object(
  {
    subject: Str(1, 500),
    description: Type.Optional(Type.String({ maxLength: 100_000 })),
    categoryId: Uuid,
    priority: Type.Optional(TicketPriority),
    requesterId: Type.Optional(Uuid),
    requester: Type.Optional(
      Type.Object({ email: OptStr(320), phone: OptStr(50), name: OptStr(300) }, closed),
    ),
    groupId: Type.Optional(Uuid),
    assigneeId: Type.Optional(Uuid),
    tags: Type.Optional(Tags),
    channel: Type.Optional(Channel),
    onBehalf: Type.Optional(Type.Boolean()),
    shipment: Type.Optional(Shipment),
    attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 20, uniqueItems: true })),
  },
  closed,
);
export const TicketPatchBody = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    subject: Type.Optional(Str(1, 500)),
    categoryId: Type.Optional(Uuid),
    priority: Type.Optional(TicketPriority),
    status: Type.Optional(TicketStatus),
    groupId: Type.Optional(Uuid),
    assigneeId: Type.Optional(Nullable(Uuid)),
    tags: Type.Optional(Tags),
    shipment: Type.Optional(Shipment),
    reasonCodeId: Type.Optional(Uuid),
    resolution: Type.Optional(Resolution),
  },
  closed,
);
const CategoryRef = Type.Object({ id: Uuid, key: Type.String(), nameEn: Type.String(), nameAr: Type.String() });
export const TicketSummary = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  subject: Type.String(),
  status: TicketStatus,
  priority: TicketPriority,
  channel: Channel,
  category: Nullable(CategoryRef),
  group: Nullable(Ref),
  assignee: Nullable(Ref),
  requester: Nullable(Ref),
  account: Nullable(Ref),
  tags: Type.Array(Type.String()),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export const Ticket = Type.Object({
  ...TicketSummary.properties,
  description: Type.String(),
  shipment: Nullable(Shipment),
  reasonCodeId: Nullable(Uuid),
  reasonCode: Nullable(Type.Object({ id: Uuid, code: Type.String(), nameEn: Type.String(), nameAr: Type.String() })),
  resolution: Nullable(Resolution),
  onBehalf: Type.Boolean(),
  createdBy: Nullable(Ref),
  version: Type.Integer(),
  solvedAt: Nullable(DateTime),
  closedAt: Nullable(DateTime),
  handedOffFromKeyAccounts: Type.Boolean(),
});
export const AttachmentScan = Type.Object({
  /** pending: no malware scanner has looked yet (or none is configured); infected files cannot be downloaded. */
  status: Type.Union([Type.Literal('pending'), Type.Literal('clean'), Type.Literal('infected')]),
  signature: Type.Union([Type.String(), Type.Null()]),
});
export const Attachment = Type.Object({
  id: Uuid,
  filename: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  url: Type.String(),
  scan: Type.Optional(AttachmentScan),
});
export const Message = Type.Object({
  id: Uuid,
  ticketId: Uuid,
  kind: Type.Union([Type.Literal('reply'), Type.Literal('note'), Type.Literal('customer')]),
  channel: Channel,
  author: Nullable(Type.Object({ type: Type.Union([Type.Literal('user'), Type.Literal('contact')]), id: Uuid, name: Type.String() })),
  bodyHtml: Type.String(),
  bodyText: Type.String(),
  attachments: Type.Array(Attachment),
  createdAt: DateTime,
  /** For messages that came or went by email: the headers people care about, delivery, and what was collapsed. */
  email: Type.Optional(
    Nullable(
      Type.Object({
        direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
        from: Type.String(),
        fromName: Nullable(Type.String()),
        to: Type.Array(Type.String()),
        cc: Type.Array(Type.String()),
        subject: Type.String(),
        messageId: Type.String(),
        status: Type.String(),
        lastError: Nullable(Type.String()),
        sentAt: Nullable(DateTime),
        senderUnverified: Type.Boolean(),
        authResults: Nullable(Type.Object({ spf: Nullable(Type.String()), dkim: Nullable(Type.String()), dmarc: Nullable(Type.String()) })),
        quotedHtml: Nullable(Type.String()),
        quotedText: Nullable(Type.String()),
        inboundId: Nullable(Uuid),
      }),
    ),
  ),
  call: Type.Optional(Nullable(MessageCall)),
  social: Type.Optional(Nullable(MessageSocial)),
});
export const NewMessageBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('reply'), Type.Literal('note')]),
    bodyHtml: Type.Optional(Type.String({ maxLength: 1_000_000 })),
    bodyText: Type.Optional(Type.String({ maxLength: 1_000_000 })),
    attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 20, uniqueItems: true })),
  },
  closed,
);
export const AuditEvent = Type.Object({
  id: Uuid,
  action: Type.String(),
  actor: Nullable(Type.Object({ type: Type.String(), id: Uuid, name: Type.String() })),
  changes: Type.Array(Type.Object({ field: Type.String(), before: Type.Unknown(), after: Type.Unknown() })),
  createdAt: DateTime,
});
export const TimelineItem = Type.Union([
  Type.Object({ type: Type.Literal('message'), at: DateTime, message: Message }),
  Type.Object({ type: Type.Literal('event'), at: DateTime, event: AuditEvent }),
]);
export const QueueName = Type.Union([Type.Literal('mine'), Type.Literal('groups'), Type.Literal('unassigned'), Type.Literal('all')]);
export const TicketListQuery = Type.Object(
  {
    queue: Type.Optional(QueueName),
    status: Type.Optional(Type.String({ pattern: '^(new|open|pending|on-hold|solved|closed)(,(new|open|pending|on-hold|solved|closed))*$' })),
    groupId: Type.Optional(Uuid),
    assigneeId: Type.Optional(Uuid),
    categoryId: Type.Optional(Uuid),
    priority: Type.Optional(TicketPriority),
    accountId: Type.Optional(Uuid),
    contactId: Type.Optional(Uuid),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    createdFrom: Type.Optional(DateTime),
    createdTo: Type.Optional(DateTime),
    sort: Type.Optional(Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('priority'), Type.Literal('sla_due')])),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  closed,
);
export const QueueCounts = Type.Object({ mine: Type.Integer(), groups: Type.Integer(), unassigned: Type.Integer(), all: Nullable(Type.Integer()) });
export const SearchResult = Type.Object({
  tickets: Type.Array(
    Type.Object({ id: Uuid, number: Type.Integer(), subject: Type.String(), status: TicketStatus, snippet: Type.String(), rank: Type.Number() }),
  ),
  contacts: Type.Array(Contact),
});

export const page = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });
export const list = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });

export type MeT = Static<typeof Me>;
export type UserT = Static<typeof User>;
export type GroupT = Static<typeof Group>;
export type AccountT = Static<typeof Account>;
export type ContactT = Static<typeof Contact>;
export type CategoryT = Static<typeof Category>;
export type ReasonCodeT = Static<typeof ReasonCode>;
export type TicketSummaryT = Static<typeof TicketSummary>;
export type TicketT = Static<typeof Ticket>;
export type MessageT = Static<typeof Message>;
export type AuditEventT = Static<typeof AuditEvent>;
export type TimelineItemT = Static<typeof TimelineItem>;
export type NewTicketBodyT = Static<typeof NewTicketBody>;
export type TicketPatchBodyT = Static<typeof TicketPatchBody>;
export type ShipmentT = Static<typeof Shipment>;
export type QueueCountsT = Static<typeof QueueCounts>;
export type SearchResultT = Static<typeof SearchResult>;
export type TicketListQueryT = Static<typeof TicketListQuery>;

// ---- email channel
const Host = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.-]+$' });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });
const MailboxFields = {
  address: Type.String({ format: 'email', maxLength: 320 }),
  name: Str(1, 200),
  groupId: Nullable(Uuid),
  language: Language,
  active: Type.Boolean(),
  smtpReceive: Type.Boolean(),
  imapHost: Nullable(Host),
  imapPort: Nullable(Port),
  imapTls: Type.Boolean(),
  imapUser: Nullable(Str(1, 320)),
  imapFolder: Str(1, 200),
  relayHost: Nullable(Host),
  relayPort: Nullable(Port),
  relayTls: Type.Boolean(),
  relayUser: Nullable(Str(1, 320)),
  ackEnabled: Type.Boolean(),
};
export const Mailbox = Type.Object({
  id: Uuid,
  ...MailboxFields,
  group: Nullable(Ref),
  imapEnabled: Type.Boolean(),
  hasImapPassword: Type.Boolean(),
  hasRelay: Type.Boolean(),
  hasRelayPassword: Type.Boolean(),
  imapLastPollAt: Nullable(DateTime),
  imapLastError: Nullable(Type.String()),
  lastReceivedAt: Nullable(DateTime),
  /** Seconds the oldest stored message has waited to become a ticket message; 0 when none waits. */
  lagSeconds: Type.Integer(),
  /** Messages ever stored for this mailbox, and those still waiting to become ticket messages. */
  received: Type.Integer(),
  pending: Type.Integer(),
  quarantined: Type.Integer(),
  outboxWaiting: Type.Integer(),
  outboxFailed: Type.Integer(),
  version: Type.Integer(),
  createdAt: DateTime,
});
const secret = Type.Optional(Nullable(Str(1, 500)));
export const CreateMailboxBody = Type.Object(
  {
    address: MailboxFields.address,
    name: MailboxFields.name,
    groupId: Type.Optional(MailboxFields.groupId),
    language: Type.Optional(Language),
    active: Type.Optional(Type.Boolean()),
    smtpReceive: Type.Optional(Type.Boolean()),
    imapHost: Type.Optional(MailboxFields.imapHost),
    imapPort: Type.Optional(MailboxFields.imapPort),
    imapTls: Type.Optional(Type.Boolean()),
    imapUser: Type.Optional(MailboxFields.imapUser),
    imapPassword: secret,
    imapFolder: Type.Optional(MailboxFields.imapFolder),
    relayHost: Type.Optional(MailboxFields.relayHost),
    relayPort: Type.Optional(MailboxFields.relayPort),
    relayTls: Type.Optional(Type.Boolean()),
    relayUser: Type.Optional(MailboxFields.relayUser),
    relayPassword: secret,
    ackEnabled: Type.Optional(Type.Boolean()),
  },
  closed,
);
export const UpdateMailboxBody = Type.Object(
  { ...Type.Partial(CreateMailboxBody).properties, version: Type.Optional(Type.Integer({ minimum: 1 })) },
  closed,
);
export const InboundEmail = Type.Object({
  id: Uuid,
  mailbox: Ref,
  source: Type.String(),
  status: Type.String(),
  reason: Nullable(Type.String()),
  attempts: Type.Integer(),
  classification: Nullable(Type.String()),
  fromAddress: Nullable(Type.String()),
  envelopeFrom: Nullable(Type.String()),
  subject: Nullable(Type.String()),
  size: Type.Integer(),
  ticket: Nullable(Type.Object({ id: Uuid, number: Type.Integer() })),
  receivedAt: DateTime,
  processedAt: Nullable(DateTime),
});
export const OutboundEmail = Type.Object({
  id: Uuid,
  mailbox: Ref,
  ticket: Nullable(Type.Object({ id: Uuid, number: Type.Integer(), subject: Type.String() })),
  purpose: Type.String(),
  to: Type.Array(Type.String()),
  subject: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  createdAt: DateTime,
  sentAt: Nullable(DateTime),
});
export type MailboxT = Static<typeof Mailbox>;
export type InboundEmailT = Static<typeof InboundEmail>;
export type OutboundEmailT = Static<typeof OutboundEmail>;

// ---- service levels (issue 4)
export * from './sla.js';
export * from './key-accounts.js';

// ---- customer portal (issue 6): contacts sign in and follow their own tickets
const Email = Type.String({ format: 'email', maxLength: 320 });
const Password = Type.String({ minLength: 8, maxLength: 200 });
const PortalToken = Type.String({ minLength: 20, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' });
export const PortalRegisterBody = Type.Object({ email: Email, password: Password, name: Type.Optional(Str(1, 300)), language: Type.Optional(Language) }, closed);
export const PortalLoginBody = Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 200 }) }, closed);
export const PortalEmailBody = Type.Object({ email: Email, language: Type.Optional(Language) }, closed);
export const PortalTokenBody = Type.Object({ token: PortalToken }, closed);
export const PortalAccepted = Type.Object({ accepted: Type.Boolean() });
export const PortalMe = Type.Object({
  id: Uuid,
  name: Type.String(),
  email: Type.String(),
  language: Language,
  accountAdmin: Type.Boolean(),
  account: Nullable(Ref),
  hasPassword: Type.Boolean(),
});
export const PortalSession = Type.Object({ me: PortalMe });
export const PortalUpdateMeBody = Type.Object(
  { language: Type.Optional(Language), name: Type.Optional(Str(1, 300)), password: Type.Optional(Password) },
  closed,
);
export const PortalCategory = Type.Object({ id: Uuid, key: Type.String(), nameEn: Type.String(), nameAr: Type.String(), shipmentRelated: Type.Boolean() });
export const PortalNewTicketBody = Type.Object(
  {
    subject: Str(1, 500),
    description: Str(1, 100_000),
    categoryId: Uuid,
    shipment: Type.Optional(Shipment),
    attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 20, uniqueItems: true })),
  },
  closed,
);
export const PortalReplyBody = Type.Object(
  { bodyText: Type.String({ maxLength: 100_000 }), attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 20, uniqueItems: true })) },
  closed,
);
/** The service level promised to the customer: when we will first answer, and by when we aim to solve. */
export const PortalPromise = Type.Object({
  firstResponseDueAt: Nullable(DateTime),
  respondedAt: Nullable(DateTime),
  resolutionDueAt: Nullable(DateTime),
});
export const PortalTicketSummary = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  subject: Type.String(),
  status: TicketStatus,
  channel: Channel,
  category: Nullable(PortalCategory),
  requester: Nullable(Ref),
  createdAt: DateTime,
  updatedAt: DateTime,
  promise: PortalPromise,
});
export const PortalMessage = Type.Object({
  id: Uuid,
  kind: Type.Union([Type.Literal('reply'), Type.Literal('customer')]),
  channel: Channel,
  author: Nullable(Type.Object({ type: Type.Union([Type.Literal('agent'), Type.Literal('contact')]), name: Type.String() })),
  bodyHtml: Type.String(),
  bodyText: Type.String(),
  attachments: Type.Array(Attachment),
  createdAt: DateTime,
});
export const PortalTicket = Type.Object({
  ...PortalTicketSummary.properties,
  shipment: Nullable(Shipment),
  messages: Type.Array(PortalMessage),
});
export const PortalTicketQuery = Type.Object(
  { scope: Type.Optional(Type.Union([Type.Literal('mine'), Type.Literal('account')])), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), cursor: Type.Optional(Type.String({ maxLength: 500 })) },
  closed,
);
export type PortalMeT = Static<typeof PortalMe>;
export type PortalTicketT = Static<typeof PortalTicket>;
export type PortalTicketSummaryT = Static<typeof PortalTicketSummary>;
export type PortalMessageT = Static<typeof PortalMessage>;
export type PortalCategoryT = Static<typeof PortalCategory>;
export * from './reports.js';
export * from './scheduled-reports.js';
export * from './chat.js';
