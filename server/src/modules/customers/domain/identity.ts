import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { FieldError } from '../../../platform/errors.js';

export type IdentityKind = 'email' | 'phone' | 'chat' | 'social';
export interface IdentityValue {
  kind: IdentityKind;
  platform: string;
  value: string;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
export const DEFAULT_PHONE_COUNTRY: CountryCode = 'SA';

/**
 * The one stored spelling of an identity, so the same person is found whichever way it was typed:
 * emails lower-cased, phones in E.164 (a local number read in `country`), handles trimmed.
 */
export function normaliseIdentity(
  input: { kind: IdentityKind; value: string; platform?: string },
  country?: string | null,
  field = 'value',
): { ok: true; identity: IdentityValue } | { ok: false; error: FieldError } {
  const raw = input.value.trim();
  if (input.kind === 'email') {
    const value = raw.toLowerCase();
    if (!EMAIL.test(value)) return { ok: false, error: { field, code: 'invalid', params: { reason: 'not an email address' } } };
    return { ok: true, identity: { kind: 'email', platform: '', value } };
  }
  if (input.kind === 'phone') {
    const parsed = parsePhoneNumberFromString(raw, (country as CountryCode | undefined) ?? DEFAULT_PHONE_COUNTRY);
    if (!parsed || !parsed.isValid()) {
      return { ok: false, error: { field, code: 'invalid', params: { reason: 'not a valid phone number' } } };
    }
    return { ok: true, identity: { kind: 'phone', platform: '', value: parsed.number } };
  }
  const platform = (input.platform ?? '').trim().toLowerCase();
  if (!platform) return { ok: false, error: { field: 'platform', code: 'required' } };
  if (!raw) return { ok: false, error: { field, code: 'required' } };
  return { ok: true, identity: { kind: input.kind, platform, value: raw } };
}
