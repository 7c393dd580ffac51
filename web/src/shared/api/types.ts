// Types of the CareDesk HTTP API v1: derived from the shared contracts (the same schemas the server
// validates and serialises with), so the UI cannot drift from the API.
import type {
  AccountT,
  AuditEventT,
  CategoryT,
  ContactT,
  GroupT,
  InboundEmailT,
  MailboxT,
  MeT,
  MessageT,
  QueueCountsT,
  ReasonCodeT,
  SearchResultT,
  ShipmentT,
  TicketSummaryT,
  TicketT,
  TimelineItemT,
  OutboundEmailT,
  UserT,
  CallT,
  CallScriptT,
  ConnectorT,
  ScreenPopT,
} from '@caredesk/contracts';
import {
  ACCOUNT_TIERS,
  CHANNELS,
  GROUP_KINDS as GROUP_KIND_LIST,
  IDENTITY_KINDS,
  LANGUAGES,
  SHIPMENT_FIELDS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  USER_ROLES,
} from '@caredesk/contracts/constants';

export type Language = (typeof LANGUAGES)[number];
export type Role = (typeof USER_ROLES)[number];
export const ROLES: Role[] = [...USER_ROLES];
export type GroupKind = (typeof GROUP_KIND_LIST)[number];
export const GROUP_KINDS: GroupKind[] = [...GROUP_KIND_LIST];
export type Tier = (typeof ACCOUNT_TIERS)[number];
export type IdentityKind = (typeof IDENTITY_KINDS)[number];
export type Channel = (typeof CHANNELS)[number];
export type PreferredChannel = Exclude<Channel, 'web'>;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const STATUSES: TicketStatus[] = [...TICKET_STATUSES];
export type Priority = (typeof TICKET_PRIORITIES)[number];
export const PRIORITIES: Priority[] = [...TICKET_PRIORITIES];
export { SHIPMENT_FIELDS };
export type ShipmentField = (typeof SHIPMENT_FIELDS)[number];

export type Me = MeT;
export type User = UserT;
export type Group = GroupT;
export type Account = AccountT;
export type Contact = ContactT;
export type Identity = ContactT['identities'][number];
export type Category = CategoryT;
export type ReasonCode = ReasonCodeT;
export type Shipment = ShipmentT;
export type TicketSummary = TicketSummaryT;
export type Ticket = TicketT;
export type Ref = NonNullable<TicketSummaryT['group']>;
export type CategoryRef = NonNullable<TicketSummaryT['category']>;
export type Resolution = NonNullable<TicketT['resolution']>;
export type Message = MessageT;
export type MessageKind = MessageT['kind'];
export type Attachment = MessageT['attachments'][number];
export type AuditEvent = AuditEventT;
export type AuditChange = AuditEventT['changes'][number];
export type TimelineItem = TimelineItemT;
export type QueueCounts = QueueCountsT;
export type QueueName = 'mine' | 'groups' | 'unassigned' | 'all';
export type SearchResult = SearchResultT;
export type Mailbox = MailboxT;
export type InboundEmail = InboundEmailT;
export type OutboundEmail = OutboundEmailT;
/** The email side of a ticket message (headers, delivery, quoted history). */
export type MessageEmail = NonNullable<MessageT['email']>;
export const INBOUND_STATUSES = ['quarantined', 'received', 'processed', 'duplicate', 'ignored'] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];
export const OUTBOUND_STATUSES = ['queued', 'sending', 'sent', 'no_relay', 'failed', 'bounced'] as const;
export type OutboundStatus = (typeof OUTBOUND_STATUSES)[number];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

// Phone and social-messaging channels.
export type Call = CallT;
export type CallScript = CallScriptT;
export type Connector = ConnectorT;
export type ScreenPop = ScreenPopT;
export type MessageCall = NonNullable<MessageT['call']>;
export type MessageSocial = NonNullable<MessageT['social']>;
export const CALL_OUTCOMES = ['resolved', 'follow_up', 'escalated', 'callback_requested', 'no_answer', 'voicemail'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
