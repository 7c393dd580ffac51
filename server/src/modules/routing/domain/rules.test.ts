import { describe, expect, it } from 'vitest';
import { decide, pickAgent, type Rule, type TicketFacts } from './rules.js';

const groups = [
  { id: 'g-cs', kind: 'customer-service', countryCode: null, name: 'Customer Service' },
  { id: 'g-ka-sa', kind: 'key-accounts', countryCode: 'SA', name: 'Key Accounts SA' },
  { id: 'g-tr-sa', kind: 'trace', countryCode: 'SA', name: 'Trace SA' },
  { id: 'g-tr-ae', kind: 'trace', countryCode: 'AE', name: 'Trace AE' },
];
const defaults: Rule[] = [
  { id: 'r1', name: 'ka', active: true, conditions: { keyAccount: true }, actions: { group: { kind: 'key-accounts', sameCountry: true }, tags: ['key-account'] } },
  { id: 'r2', name: 'trace', active: true, conditions: { keyAccount: true }, actions: { group: { kind: 'trace', sameCountry: true }, tags: ['key-account'] } },
  { id: 'r3', name: 'cs', active: true, conditions: { hasGroup: false }, actions: { group: { kind: 'customer-service' } } },
];
const facts = (f: Partial<TicketFacts>): TicketFacts => ({ keyAccount: false, countryCode: 'SA', categoryId: null, channel: 'web', language: 'en', text: '', groupId: null, ...f });

describe('routing decisions', () => {
  it('follows seed 001: Key Accounts of the country, else its Trace group, else Customer Service', () => {
    expect(decide(defaults, facts({ keyAccount: true }), groups).groupId).toBe('g-ka-sa');
    expect(decide(defaults, facts({ keyAccount: true, countryCode: 'AE' }), groups).groupId).toBe('g-tr-ae');
    expect(decide(defaults, facts({ keyAccount: true, countryCode: 'QA' }), groups).groupId).toBe('g-cs');
    expect(decide(defaults, facts({}), groups).groupId).toBe('g-cs');
  });

  it("leaves a channel's own group alone unless a rule is about the ticket", () => {
    expect(decide(defaults, facts({ groupId: 'g-tr-sa' }), groups).groupId).toBeNull();
    expect(decide(defaults, facts({ groupId: 'g-tr-sa', keyAccount: true }), groups).groupId).toBe('g-ka-sa');
  });

  it('matches keywords without regard to case and adds up tags', () => {
    const rules: Rule[] = [{ id: 'k', name: 'k', active: true, conditions: { keywords: ['damaged'] }, actions: { priority: 'high', tags: ['damage'] } }, ...defaults];
    const d = decide(rules, facts({ text: 'Box arrived DAMAGED', keyAccount: true }), groups);
    expect(d).toMatchObject({ priority: 'high', tags: ['damage', 'key-account'], groupId: 'g-ka-sa' });
  });

  it('round-robin continues after the last agent and never picks one who is away', () => {
    const m = [
      { id: 'a', away: false, language: 'en', openTickets: 5 },
      { id: 'b', away: true, language: 'ar', openTickets: 0 },
      { id: 'c', away: false, language: 'ar', openTickets: 1 },
    ];
    expect(pickAgent('round-robin', m, { lastAssignedId: 'a', preferLanguage: false, language: null })).toBe('c');
    expect(pickAgent('round-robin', m, { lastAssignedId: 'c', preferLanguage: false, language: null })).toBe('a');
    expect(pickAgent('least-loaded', m, { lastAssignedId: null, preferLanguage: false, language: null })).toBe('c');
    expect(pickAgent('round-robin', m, { lastAssignedId: null, preferLanguage: true, language: 'ar' })).toBe('c');
    expect(pickAgent('manual', m, { lastAssignedId: null, preferLanguage: false, language: null })).toBeNull();
    expect(pickAgent('round-robin', [{ ...m[1]! }], { lastAssignedId: null, preferLanguage: false, language: null })).toBeNull();
  });
});
