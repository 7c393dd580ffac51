/**
 * What the email tests share: a CareDesk on a real database with a mailbox whose relay is a real
 * SMTP sink, a nodemailer client for CareDesk's own SMTP receiver, and ways to wait for the worker.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { sql } from 'drizzle-orm';
import { startTestApp, demoIds, type Client, type TestApp } from '../../../test/harness.js';
import { startSmtpSink, eventually, type SmtpSink } from '../../../test/smtp-sink.js';

export const SUPPORT = 'support@care.example';

export interface InboundItem {
  id: string;
  status: string;
  subject: string;
  ticket: { id: string; number: number } | null;
  reason: string | null;
  classification: string | null;
}

export interface TimelineMessage {
  kind: string;
  bodyText: string;
  bodyHtml: string | null;
  channel: string;
  attachments: { id: string; filename: string; contentType: string }[];
  email?: Record<string, unknown> | null;
}

export interface EmailTest {
  t: TestApp;
  sink: SmtpSink;
  admin: Client;
  agent: Client;
  mailboxId: string;
  send(mail: SendMailOptions): Promise<unknown>;
  sendRaw(raw: string | Buffer, to?: string, from?: string): Promise<unknown>;
  /** The inbound records whose raw bytes contain `marker`, once the worker has dealt with all of them. */
  handled(marker: string): Promise<InboundItem[]>;
  timelineOf(ticketId: string): Promise<TimelineMessage[]>;
}

/** Starts the app and sink before the file's tests and stops them after; read fields inside tests. */
export function useEmailTest(env: Record<string, string> = {}): EmailTest {
  const kit = {} as EmailTest;
  const smtpClient = () => nodemailer.createTransport({ host: '127.0.0.1', port: kit.t.caredesk.email.smtpPort!, secure: false, ignoreTLS: true });
  kit.send = (mail) => smtpClient().sendMail({ to: SUPPORT, ...mail });
  kit.sendRaw = (raw, to = SUPPORT, from = 'someone@example.com') => smtpClient().sendMail({ envelope: { from, to: [to] }, raw });
  kit.handled = (marker) =>
    eventually(async () => {
      const res = await kit.admin.get('/api/v1/email/inbound?limit=100');
      const items = res.json().items as InboundItem[];
      // Raw bytes may be in any charset; latin1 maps every byte, so an ASCII marker is always found.
      const rows = await kit.t.database.db.execute<{ id: string }>(sql`select id from inbound_emails where position(${marker} in convert_from(raw, 'LATIN1')) > 0`);
      const ids = new Set(rows.rows.map((r) => r.id));
      const mine = items.filter((i) => ids.has(i.id));
      return mine.length === ids.size && mine.length && mine.every((i) => i.status !== 'received') ? mine : null;
    }, `inbound ${marker} processed`);
  kit.timelineOf = async (ticketId) => {
    const res = await kit.agent.get(`/api/v1/tickets/${ticketId}/timeline`);
    expect(res.statusCode).toBe(200);
    return (res.json().items as { type: string; message?: TimelineMessage }[]).filter((i) => i.type === 'message').map((i) => i.message!);
  };

  beforeAll(async () => {
    kit.t = await startTestApp({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...env });
    kit.sink = await startSmtpSink();
    kit.admin = kit.t.as(await kit.t.login('admin@demo.caredesk.test'));
    kit.agent = kit.t.as(await kit.t.login('sara@demo.caredesk.test'));
    const ids = await demoIds(kit.admin);
    const res = await kit.admin.post('/api/v1/mailboxes', {
      address: SUPPORT,
      name: 'Care Example',
      groupId: ids.group('Customer Service'),
      relayHost: '127.0.0.1',
      relayPort: kit.sink.port,
      relayTls: false,
    });
    expect(res.statusCode, res.body).toBe(201);
    kit.mailboxId = res.json().id;
  });
  afterAll(async () => {
    await kit.sink?.close();
    await kit.t?.close();
  });
  return kit;
}
