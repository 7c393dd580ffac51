/** The ticket rules of the care policies, as pure functions so they are tested without a database. */
import type { FieldError } from '../../../platform/errors.js';
import type { Resolution, ShipmentDetails } from '../db/schema.js';

export type TicketStatus = 'new' | 'open' | 'pending' | 'on-hold' | 'solved' | 'closed';
export const OPEN_STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'on-hold'];

const blank = (s: string | undefined | null) => !s || !s.trim();

/**
 * Key Accounts policy (seed 001): a shipment ticket must name the waybill, the shipper and the
 * consignee, each with a way to reach them. Every missing field is reported at once.
 */
export function missingShipmentFields(s: ShipmentDetails | null | undefined): FieldError[] {
  const d = s ?? {};
  const errors: FieldError[] = [];
  if (blank(d.trackingNumber)) errors.push({ field: 'shipment.trackingNumber', code: 'required' });
  if (blank(d.shipperName)) errors.push({ field: 'shipment.shipperName', code: 'required' });
  if (blank(d.shipperPhone) && blank(d.shipperEmail)) errors.push({ field: 'shipment.shipperPhone', code: 'required_either' });
  if (blank(d.consigneeName)) errors.push({ field: 'shipment.consigneeName', code: 'required' });
  if (blank(d.consigneePhone) && blank(d.consigneeEmail)) errors.push({ field: 'shipment.consigneePhone', code: 'required_either' });
  return errors;
}

/** Trims every value and drops empty ones, so "  " never counts as a detail. */
export function cleanShipment(s: ShipmentDetails | null | undefined): ShipmentDetails | null {
  if (!s) return null;
  const out: ShipmentDetails = {};
  for (const [k, v] of Object.entries(s) as [keyof ShipmentDetails, string | undefined][]) {
    if (v && v.trim()) out[k] = v.trim();
  }
  return Object.keys(out).length ? out : null;
}

/** Solving records why the customer contacted us (call avoidance, seed 003) and how it was resolved (seed 002). */
export function missingSolveFields(reasonCodeId: string | null | undefined, resolution: Partial<Resolution> | null | undefined): FieldError[] {
  const errors: FieldError[] = [];
  if (!reasonCodeId) errors.push({ field: 'reasonCodeId', code: 'required' });
  if (blank(resolution?.rootCause)) errors.push({ field: 'resolution.rootCause', code: 'required' });
  if (blank(resolution?.solution)) errors.push({ field: 'resolution.solution', code: 'required' });
  if (blank(resolution?.actionTaken)) errors.push({ field: 'resolution.actionTaken', code: 'required' });
  return errors;
}

/** Null when the move is allowed; otherwise the error code. Closed is final. */
export function transitionError(from: TicketStatus, to: TicketStatus): 'ticket.closed' | 'ticket.invalid_transition' | null {
  if (from === to) return null;
  if (from === 'closed') return 'ticket.closed';
  if (to === 'new') return 'ticket.invalid_transition';
  if (from === 'solved') return to === 'open' || to === 'closed' ? null : 'ticket.invalid_transition';
  if (to === 'closed') return 'ticket.invalid_transition'; // solve first: closing needs a resolution
  return null;
}

/** The status a ticket takes when its customer writes: a solved or waiting ticket comes back to the agents. */
export function statusAfterCustomerMessage(current: TicketStatus): TicketStatus {
  if (current === 'solved' || current === 'pending') return 'open';
  return current;
}

/** The status after an agent's public reply: a new ticket has been taken up. */
export function statusAfterAgentReply(current: TicketStatus): TicketStatus {
  return current === 'new' ? 'open' : current;
}

export type GroupKind = 'customer-service' | 'key-accounts' | 'trace' | 'claims' | 'operations' | 'retail-sales' | 'other';

/**
 * Key Accounts policy (seed 001): once Key Accounts hands a ticket to another department,
 * that department closes it; it never comes back to Key Accounts.
 */
export function handOff(
  handedOffAlready: boolean,
  fromKind: GroupKind | null,
  toKind: GroupKind,
): { allowed: boolean; handedOff: boolean } {
  if (handedOffAlready && toKind === 'key-accounts') return { allowed: false, handedOff: true };
  const leavesKeyAccounts = fromKind === 'key-accounts' && toKind !== 'key-accounts';
  return { allowed: true, handedOff: handedOffAlready || leavesKeyAccounts };
}
