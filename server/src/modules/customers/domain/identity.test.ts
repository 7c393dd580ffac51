import { describe, expect, it } from 'vitest';
import { normaliseIdentity } from './identity.js';

describe('normaliseIdentity', () => {
  it('stores a local Saudi mobile number in E.164', () => {
    expect(normaliseIdentity({ kind: 'phone', value: '050 123 4567' })).toEqual({
      ok: true,
      identity: { kind: 'phone', platform: '', value: '+966501234567' },
    });
  });

  it('reads a local number in the account country when one is given', () => {
    const r = normaliseIdentity({ kind: 'phone', value: '050 123 4567' }, 'AE');
    expect(r.ok && r.identity.value).toBe('+971501234567');
  });

  it('keeps an international number as written, whatever the country', () => {
    const r = normaliseIdentity({ kind: 'phone', value: '+44 20 7946 0958' }, 'SA');
    expect(r.ok && r.identity.value).toBe('+442079460958');
  });

  it('refuses something that is not a phone number', () => {
    const r = normaliseIdentity({ kind: 'phone', value: '12' });
    expect(r.ok).toBe(false);
  });

  it('lower-cases emails and refuses malformed ones', () => {
    const r = normaliseIdentity({ kind: 'email', value: ' Khalid@Example.COM ' });
    expect(r.ok && r.identity.value).toBe('khalid@example.com');
    expect(normaliseIdentity({ kind: 'email', value: 'not-an-email' }).ok).toBe(false);
  });

  it('needs a platform for chat and social handles', () => {
    expect(normaliseIdentity({ kind: 'social', value: '@khalid' }).ok).toBe(false);
    const r = normaliseIdentity({ kind: 'social', value: ' @khalid ', platform: 'Telegram' });
    expect(r.ok && r.identity).toEqual({ kind: 'social', platform: 'telegram', value: '@khalid' });
  });
});
