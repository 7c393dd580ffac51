import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to PGlite in ./data of the folder where npm was started, with the demo on', () => {
    const c = loadConfig({ INIT_CWD: '/srv/caredesk' });
    expect(c.databaseUrl).toBeNull();
    expect(c.dataDir).toBe(path.resolve('/srv/caredesk/data'));
    expect(c.demo).toBe(true);
    expect(c.port).toBe(3000);
  });

  it('lists every bad setting at once, by name', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', CAREDESK_DEMO: 'maybe', CAREDESK_ADMIN_EMAIL: 'a@b.c' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const text = (err as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'CAREDESK_DEMO', 'CAREDESK_ADMIN_EMAIL']) expect(text).toContain(name);
    }
  });

  it('refuses a short admin password', () => {
    expect(() => loadConfig({ CAREDESK_ADMIN_EMAIL: 'a@b.c', CAREDESK_ADMIN_PASSWORD: 'short' })).toThrow(/at least 10/);
  });

  it('marks the cookie secure when the public address is https', () => {
    expect(loadConfig({ CAREDESK_PUBLIC_URL: 'https://care.example.com/' }).cookieSecure).toBe(true);
    expect(loadConfig({ CAREDESK_PUBLIC_URL: 'https://care.example.com/' }).publicUrl).toBe('https://care.example.com');
  });
});
