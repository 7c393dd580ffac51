import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from './db/index.js';
import { appSettings } from './db/settings.schema.js';

/**
 * The server's key material: one secret, from CAREDESK_SECRET_KEY, split by HKDF into a key for
 * credentials at rest (AES-256-GCM) and one for signed tokens (HMAC-SHA256), so neither use can
 * be turned against the other.
 */
export interface Secrets {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  /** A short MAC over `data`, URL- and header-safe. */
  sign(purpose: string, data: string): string;
  verify(purpose: string, data: string, mac: string): boolean;
  /** True when the key was generated and kept in the database because none was configured. */
  generated: boolean;
}

const GENERATED_KEY = 'generated_secret_key';

export async function loadSecrets(db: Db, configured: string | null): Promise<Secrets> {
  let master: Buffer;
  let generated = false;
  if (configured) {
    master = createHash('sha256').update(configured).digest();
  } else {
    // Without a configured key (demo, development) the server makes one and keeps it, so that
    // encrypted credentials and reply tokens survive a restart. Production sets CAREDESK_SECRET_KEY.
    generated = true;
    await db.insert(appSettings).values({ key: GENERATED_KEY, value: randomBytes(32).toString('base64') }).onConflictDoNothing();
    const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, GENERATED_KEY));
    master = Buffer.from(String(row!.value), 'base64');
  }
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
  const encKey = derive('caredesk credentials v1');
  const macKey = derive('caredesk tokens v1');

  const mac = (purpose: string, data: string) =>
    createHmac('sha256', macKey).update(`${purpose}\n${data}`).digest('base64url').slice(0, 16).toLowerCase().replace(/[^a-z0-9]/g, 'x');

  return {
    generated,
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split(':');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('unreadable sealed value');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
    sign: mac,
    verify(purpose, data, given) {
      const expected = Buffer.from(mac(purpose, data));
      const actual = Buffer.from(given.toLowerCase());
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    },
  };
}
