// Types of the CareDesk HTTP API v1 as documented in docs/api.md.
// Kept local to the web app so the UI builds on its own.

export type Language = 'en' | 'ar';
export type Role = 'admin' | 'manager' | 'supervisor' | 'agent';
export const ROLES: Role[] = ['admin', 'manager', 'supervisor', 'agent'];

export interface Me {
  id: string;
  name: string;
  email: string;
  language: Language;
  roles: Role[];
  groupIds: string[];
  active: boolean;
}
export interface User extends Me {
  createdAt: string;
}

export type GroupKind =
  | 'customer-service'
  | 'key-accounts'
  | 'trace'
  | 'claims'
  | 'operations'
  | 'retail-sales'
  | 'other';
export const GROUP_KINDS: GroupKind[] = [
  'customer-service',
  'key-accounts',
  'trace',
  'claims',
  'operations',
  'retail-sales',
  'other',
];

export interface Group {
  id: string;
  name: string;
  countryCode: string | null;
  kind: GroupKind;
  memberIds: string[];
}

export type Tier = 'standard' | 'silver' | 'gold' | 'platinum';
export interface Ref {
  id: string;
  name: string;
}
export interface Account {
  id: string;
  name: string;
  countryCode: string | null;
  tier: Tier;
  externalId: string | null;
  officerId: string | null;
  officer?: Ref | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type IdentityKind = 'email' | 'phone' | 'chat' | 'social';
export interface Identity {
  id: string;
  kind: IdentityKind;
  platform: string;
  value: string;
}
export type PreferredChannel = 'email' | 'phone' | 'chat' | 'portal' | 'social';
export interface Contact {
  id: string;
  name: string;
  language: Language;
  preferredChannel: PreferredChannel | null;
  accountId: string | null;
  account?: Ref | null;
  identities: Identity[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Category {
  id: string;
  key: string;
  nameEn: string;
  nameAr: string;
  shipmentRelated: boolean;
  active: boolean;
}
export interface ReasonCode {
  id: string;
  code: string;
  nameEn: string;
  nameAr: string;
  active: boolean;
}

export type TicketStatus = 'new' | 'open' | 'pending' | 'on-hold' | 'solved' | 'closed';
export const STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'on-hold', 'solved', 'closed'];
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];
export type Channel = 'email' | 'phone' | 'chat' | 'portal' | 'social' | 'web';

export interface Shipment {
  trackingNumber?: string | null;
  shipperName?: string | null;
  shipperPhone?: string | null;
  shipperEmail?: string | null;
  consigneeName?: string | null;
  consigneePhone?: string | null;
  consigneeEmail?: string | null;
}
export const SHIPMENT_FIELDS = [
  'trackingNumber',
  'shipperName',
  'shipperPhone',
  'shipperEmail',
  'consigneeName',
  'consigneePhone',
  'consigneeEmail',
] as const;
export type ShipmentField = (typeof SHIPMENT_FIELDS)[number];

export interface CategoryRef {
  id: string;
  key: string;
  nameEn: string;
  nameAr: string;
}

export interface TicketSummary {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: Priority;
  channel: Channel;
  category: CategoryRef | null;
  group: Ref | null;
  assignee: Ref | null;
  requester: Ref | null;
  account: Ref | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

export interface Resolution {
  rootCause: string;
  solution: string;
  actionTaken: string;
}

export interface Ticket extends TicketSummary {
  description: string | null;
  shipment: Shipment | null;
  reasonCodeId: string | null;
  reasonCode: { id: string; code: string; nameEn: string; nameAr: string } | null;
  resolution: Resolution | null;
  onBehalf: boolean;
  createdBy: Ref | null;
  version: number;
  solvedAt: string | null;
  closedAt: string | null;
  handedOffFromKeyAccounts: boolean;
}

export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  url: string;
}

export type MessageKind = 'reply' | 'note' | 'customer';
export interface Message {
  id: string;
  ticketId: string;
  kind: MessageKind;
  channel: Channel;
  author: { type: 'user' | 'contact'; id: string; name: string };
  bodyHtml: string;
  bodyText: string;
  attachments: Attachment[];
  createdAt: string;
}

export interface AuditChange {
  field: string;
  before: unknown;
  after: unknown;
}
export interface AuditEvent {
  id: string;
  action: string;
  actor: { type: string; id: string; name: string } | null;
  changes: AuditChange[];
  createdAt: string;
}

export type TimelineItem =
  | { type: 'message'; at: string; message: Message }
  | { type: 'event'; at: string; event: AuditEvent };

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface QueueCounts {
  mine: number;
  groups: number;
  unassigned: number;
  all: number | null;
}
export type QueueName = 'mine' | 'groups' | 'unassigned' | 'all';

export interface SearchResult {
  tickets: { id: string; number: number; subject: string; status: TicketStatus; snippet: string; rank: number }[];
  contacts: Contact[];
}
