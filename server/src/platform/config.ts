import path from 'node:path';
import { invalidAllowEntry } from './outbound-http.js';

export type Role = 'web' | 'worker' | 'smtp';

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string | null;
  /** Schema to put every table in; lets tests isolate themselves on one PostgreSQL database. */
  databaseSchema: string | null;
  dataDir: string;
  demo: boolean;
  adminEmail: string | null;
  adminPassword: string | null;
  roles: Role[];
  logLevel: string;
  cookieSecure: boolean;
  sessionTtlHours: number;
  attachmentMaxBytes: number;
  loginRateLimitPerMinute: number;
  webDistDir: string;
  /** Port of the built-in SMTP receiver (the `smtp` role); 0 picks a free one (tests). */
  smtpPort: number;
  smtpHost: string;
  /** Key for credentials at rest and signed reply tokens; generated and kept in the database when unset. */
  secretKey: string | null;
  emailMaxBytes: number;
  /** New-ticket acknowledgements sent to one address per hour, at most (mail-loop guard). */
  emailAckPerHour: number;
  imapPollSeconds: number;
  /** How often the worker looks for work a lost job left behind (stored mail, queued replies). */
  sweepSeconds: number;
  /** CAREDESK_TEST_CLOCK: admins may move the SLA clock forward for browser tests (never in production). */
  testClock: boolean;
  /** IANA zone of the company: the monthly key-account ranking runs at midnight on the 1st there. */
  timeZone: string;
  /** Currency that revenue is converted to before ranking. */
  baseCurrency: string;
  keyAccountsTopN: number;
  /** How a new key account without an officer gets one. */
  keyAccountOfficerRule: 'round-robin' | 'manual';
  /** A ClamAV daemon that every stored attachment is streamed to; null leaves them unscanned. */
  clamd: { host: string; port: number } | { socket: string } | null;
  /** Private hosts and networks that outbound connector URLs may reach (default: public addresses only). */
  outboundAllow: string[];
  /** Origins of the pages that may embed the chat widget (`*`: any); CareDesk's own is always allowed. */
  chatOrigins: string[];
  /** Chats (and offline messages) one address may start per minute. */
  chatStartRateLimitPerMinute: number;
  /** Chromium that prints scheduled reports to PDF; without it the PDF download answers 503. */
  chromiumPath: string;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

/** Reads and validates the environment once at boot; nothing else reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name} must be true or false (got "${env[name]}")`);
    return fallback;
  };

  const port = int('PORT', 3000, 0, 65535);
  const host = env.HOST || '0.0.0.0';
  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const databaseSchema = env.CAREDESK_DB_SCHEMA || null;
  if (databaseSchema && !/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) {
    problems.push('CAREDESK_DB_SCHEMA must be a lower-case SQL identifier');
  }
  // npm runs workspace scripts inside the workspace; INIT_CWD is where the person typed `npm start`.
  const baseDir = env.INIT_CWD || process.cwd();
  const dataDir = path.resolve(baseDir, env.CAREDESK_DATA_DIR || 'data');

  const adminEmail = env.CAREDESK_ADMIN_EMAIL || null;
  const adminPassword = env.CAREDESK_ADMIN_PASSWORD || null;
  if ((adminEmail && !adminPassword) || (!adminEmail && adminPassword)) {
    problems.push('CAREDESK_ADMIN_EMAIL and CAREDESK_ADMIN_PASSWORD must be set together');
  }
  if (adminPassword && adminPassword.length < 10) {
    problems.push('CAREDESK_ADMIN_PASSWORD must be at least 10 characters');
  }

  const rolesRaw = (env.CAREDESK_ROLES || 'web,worker,smtp').split(',').map((r) => r.trim()).filter(Boolean);
  const roles: Role[] = [];
  for (const r of rolesRaw) {
    if (r === 'web' || r === 'worker' || r === 'smtp') roles.push(r);
    else problems.push(`CAREDESK_ROLES: unknown role "${r}" (use web, worker, smtp)`);
  }

  const publicUrl = (env.CAREDESK_PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, '');
  const logLevel = env.LOG_LEVEL || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent');
  }

  const config: Config = {
    port,
    host,
    publicUrl,
    databaseUrl,
    databaseSchema,
    dataDir,
    demo: bool('CAREDESK_DEMO', true),
    adminEmail: adminEmail?.toLowerCase() ?? null,
    adminPassword,
    roles,
    logLevel,
    cookieSecure: bool('CAREDESK_COOKIE_SECURE', publicUrl.startsWith('https://')),
    sessionTtlHours: int('CAREDESK_SESSION_TTL_HOURS', 12, 1, 24 * 90),
    attachmentMaxBytes: int('CAREDESK_ATTACHMENT_MAX_MB', 25, 1, 200) * 1024 * 1024,
    loginRateLimitPerMinute: int('CAREDESK_LOGIN_RATE_LIMIT', 10, 1, 100000),
    webDistDir: path.resolve(repoRoot, 'web/dist'),
  } as Config;
  const secretKey = env.CAREDESK_SECRET_KEY || null;
  if (secretKey && secretKey.length < 32) problems.push('CAREDESK_SECRET_KEY must be at least 32 characters');
  Object.assign(config, {
    smtpPort: int('CAREDESK_SMTP_PORT', 2525, 0, 65535),
    smtpHost: env.CAREDESK_SMTP_HOST || host,
    secretKey,
    emailMaxBytes: int('CAREDESK_EMAIL_MAX_MB', 40, 1, 200) * 1024 * 1024,
    emailAckPerHour: int('CAREDESK_EMAIL_ACK_PER_HOUR', 3, 0, 1000),
    imapPollSeconds: int('CAREDESK_IMAP_POLL_SECONDS', 60, 5, 3600),
    sweepSeconds: int('CAREDESK_SWEEP_SECONDS', 30, 1, 3600),
    testClock: bool('CAREDESK_TEST_CLOCK', false),
  });
  const timeZone = env.CAREDESK_TIME_ZONE || 'Asia/Riyadh';
  if (!isTimeZone(timeZone)) problems.push(`CAREDESK_TIME_ZONE must be an IANA time zone such as Asia/Riyadh (got "${timeZone}")`);
  const baseCurrency = (env.CAREDESK_BASE_CURRENCY || 'SAR').toUpperCase();
  if (!/^[A-Z]{3}$/.test(baseCurrency)) problems.push('CAREDESK_BASE_CURRENCY must be a three-letter currency code');
  const officerRule = env.CAREDESK_KEY_ACCOUNT_OFFICER_RULE || 'round-robin';
  if (officerRule !== 'round-robin' && officerRule !== 'manual') problems.push('CAREDESK_KEY_ACCOUNT_OFFICER_RULE must be round-robin or manual');
  Object.assign(config, {
    timeZone,
    baseCurrency,
    keyAccountsTopN: int('CAREDESK_KEY_ACCOUNTS_TOP_N', 20, 1, 10000),
    keyAccountOfficerRule: officerRule,
    chromiumPath: env.CAREDESK_CHROMIUM_PATH || '/usr/bin/chromium',
  });
  const clamdRaw = env.CAREDESK_CLAMD || '';
  let clamd: Config['clamd'] = null;
  if (clamdRaw.startsWith('/')) clamd = { socket: clamdRaw };
  else if (clamdRaw) {
    const m = /^(.+):(\d{1,5})$/.exec(clamdRaw);
    if (m && Number(m[2]) > 0 && Number(m[2]) < 65536) clamd = { host: m[1]!, port: Number(m[2]) };
    else problems.push(`CAREDESK_CLAMD must be host:port or the absolute path of clamd's socket (got "${clamdRaw}")`);
  }
  const outboundAllow = (env.CAREDESK_OUTBOUND_ALLOW || '').split(',').map((s) => s.trim()).filter(Boolean);
  const badAllow = invalidAllowEntry(outboundAllow);
  if (badAllow) problems.push(`CAREDESK_OUTBOUND_ALLOW: "${badAllow}" is not a host name, an IP address or a CIDR range`);
  Object.assign(config, { clamd, outboundAllow });
  const chatOrigins = (env.CAREDESK_CHAT_ORIGINS ?? '*').split(',').map((o) => o.trim().replace(/\/$/, '')).filter(Boolean);
  for (const o of chatOrigins) {
    if (o !== '*' && !/^https?:\/\/[^/\s]+$/.test(o)) problems.push(`CAREDESK_CHAT_ORIGINS: "${o}" is not an origin such as https://www.example.com (or *)`);
  }
  Object.assign(config, { chatOrigins, chatStartRateLimitPerMinute: int('CAREDESK_CHAT_RATE_LIMIT', 30, 1, 1_000_000) });
  if (problems.length) throw new ConfigError(problems);
  return config;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
