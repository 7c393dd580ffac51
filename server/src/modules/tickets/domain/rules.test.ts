import { describe, expect, it } from 'vitest';
import { cleanShipment, handOff, missingShipmentFields, missingSolveFields, statusAfterCustomerMessage, transitionError } from './rules.js';

describe('missingShipmentFields', () => {
  it('names every missing shipment detail at once', () => {
    expect(missingShipmentFields({}).map((e) => e.field)).toEqual([
      'shipment.trackingNumber',
      'shipment.shipperName',
      'shipment.shipperPhone',
      'shipment.consigneeName',
      'shipment.consigneePhone',
    ]);
  });

  it('accepts an email where the phone is missing', () => {
    expect(
      missingShipmentFields({ trackingNumber: 'X1', shipperName: 'A', shipperEmail: 'a@b.co', consigneeName: 'B', consigneeEmail: 'b@c.co' }),
    ).toEqual([]);
  });

  it('treats blank text as missing', () => {
    const s = cleanShipment({ trackingNumber: '  ', shipperName: 'A', shipperPhone: '1', consigneeName: 'B', consigneePhone: '2' });
    expect(missingShipmentFields(s).map((e) => e.field)).toEqual(['shipment.trackingNumber']);
  });
});

describe('missingSolveFields', () => {
  it('requires a reason code and all three resolution parts', () => {
    expect(missingSolveFields(null, { rootCause: 'x', solution: '', actionTaken: ' ' }).map((e) => e.field)).toEqual([
      'reasonCodeId',
      'resolution.solution',
      'resolution.actionTaken',
    ]);
  });
});

describe('transitionError', () => {
  it('keeps closed final', () => {
    expect(transitionError('closed', 'open')).toBe('ticket.closed');
  });
  it('lets a solved ticket reopen or close', () => {
    expect(transitionError('solved', 'open')).toBeNull();
    expect(transitionError('solved', 'closed')).toBeNull();
    expect(transitionError('solved', 'pending')).toBe('ticket.invalid_transition');
  });
  it('does not close a ticket that was never solved', () => {
    expect(transitionError('open', 'closed')).toBe('ticket.invalid_transition');
  });
  it('never returns a ticket to new', () => {
    expect(transitionError('open', 'new')).toBe('ticket.invalid_transition');
  });
});

describe('statusAfterCustomerMessage', () => {
  it('reopens a solved ticket and wakes a pending one', () => {
    expect(statusAfterCustomerMessage('solved')).toBe('open');
    expect(statusAfterCustomerMessage('pending')).toBe('open');
    expect(statusAfterCustomerMessage('on-hold')).toBe('on-hold');
  });
});

describe('handOff', () => {
  it('marks a ticket leaving Key Accounts as handed off', () => {
    expect(handOff(false, 'key-accounts', 'operations')).toEqual({ allowed: true, handedOff: true });
  });
  it('refuses to hand a handed-off ticket back to Key Accounts', () => {
    expect(handOff(true, 'operations', 'key-accounts').allowed).toBe(false);
  });
  it('lets a ticket that never left Key Accounts move between Key Accounts groups', () => {
    expect(handOff(false, 'key-accounts', 'key-accounts')).toEqual({ allowed: true, handedOff: false });
  });
});
