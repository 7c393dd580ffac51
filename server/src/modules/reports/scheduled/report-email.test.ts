/**
 * A produced report reaches its recipients through the email outbox and a real SMTP relay: one
 * message per recipient, in their language, with the PDF and CSV attached.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../../../test/harness.js';
import { startSmtpSink, type SmtpSink } from '../../../test/smtp-sink.js';

let t: TestApp;
let sink: SmtpSink;
let admin: Client;
let manager: Client;

beforeAll(async () => {
  t = await startTestApp();
  sink = await startSmtpSink();
  admin = t.as(await t.login('admin@demo.caredesk.test'));
  manager = t.as(await t.login('manager@demo.caredesk.test'));
}, 120_000);

afterAll(async () => {
  await sink?.close();
  await t?.close();
});

describe('report email', () => {
  it('is sent once to each recipient with the PDF in their language attached', async () => {
    // Reports leave from the first active mailbox: give every mailbox the relay.
    const boxes = (await admin.get('/api/v1/mailboxes')).json().items as { id: string; version: number }[];
    for (const b of boxes) {
      const patched = await admin.patch(`/api/v1/mailboxes/${b.id}`, { relayHost: '127.0.0.1', relayPort: sink.port, relayTls: false }, { 'if-match': String(b.version) });
      expect(patched.statusCode, patched.body).toBe(200);
    }
    const put = await manager.put('/api/v1/reports/recipients/weekly_care', {
      recipients: [
        { email: 'csm@example.com', language: 'en' },
        { email: 'nsm@example.com', language: 'ar' },
      ],
    });
    expect(put.statusCode).toBe(200);
    const gen = await manager.post('/api/v1/reports/archive', { kind: 'weekly_care', period: '2024-06-02' });
    expect(gen.statusCode).toBe(201);
    const mails = await sink.waitFor(2, (m) => /Customer Care|خدمة العملاء/.test(m.parsed.subject ?? ''), 60_000);
    const byTo = new Map(mails.map((m) => [m.envelope.to[0], m]));
    const en = byTo.get('csm@example.com')!;
    const ar = byTo.get('nsm@example.com')!;
    expect(en.parsed.subject).toContain('Weekly Customer Care Report');
    expect(ar.parsed.subject).toContain('تقرير خدمة العملاء الأسبوعي');
    expect(ar.parsed.html).toContain('dir="rtl"');
    const pdf = en.parsed.attachments.find((a) => a.contentType === 'application/pdf')!;
    expect(pdf.filename).toBe('customer-care-report-2024-06-02.pdf');
    expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(ar.parsed.attachments.map((a) => a.filename).sort()).toEqual(['customer-care-report-2024-06-02-ar.csv', 'customer-care-report-2024-06-02-ar.pdf']);
    // Asking for the same period again sends nothing more.
    expect((await manager.post('/api/v1/reports/archive', { kind: 'weekly_care', period: '2024-06-02' })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 2000));
    expect(sink.messages.filter((m) => /Customer Care|خدمة العملاء/.test(m.parsed.subject ?? ''))).toHaveLength(2);
  }, 120_000);
});
