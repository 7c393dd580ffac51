/**
 * The email channel end to end, over real SMTP on loopback: a nodemailer client delivers to
 * CareDesk's receiver, outgoing mail goes to a real SMTP kit.sink started here, and everything is
 * checked through the HTTP API on a real database.
 */
import { describe, expect, it } from 'vitest';
import type { SendMailOptions } from 'nodemailer';
import { sql } from 'drizzle-orm';
import { demoIds } from '../../../test/harness.js';
import { eventually } from '../../../test/smtp-sink.js';
import { SUPPORT, useEmailTest } from './email-test-kit.js';

const kit = useEmailTest();
const send = (mail: SendMailOptions) => kit.send(mail);
const sendRaw = (raw: string, to?: string, from?: string) => kit.sendRaw(raw, to, from);
const handled = (marker: string) => kit.handled(marker);
const timelineOf = (ticketId: string) => kit.timelineOf(ticketId);

describe('a customer email', () => {
  let ticketId: string;
  let ticketNumber: number;
  const customerMessageId = '<first-1@customer.example>';

  it('becomes a ticket with its sender, subject, body and attachment, and is acknowledged once', async () => {
    await send({
      from: '"Khalid Al-Fanar" <khalid.new@customer.example>',
      subject: 'Parcel SA900800700 arrived damaged',
      text: 'Hello,\n\nThe parcel arrived with a crushed corner.\n\nKhalid',
      messageId: customerMessageId,
      attachments: [{ filename: 'photo.txt', content: 'pretend this is a photo' }],
    });
    const [inbound] = await handled('first-1@customer.example');
    expect(inbound!.status).toBe('processed');
    ticketId = inbound!.ticket!.id;
    ticketNumber = inbound!.ticket!.number;

    const ticket = (await kit.agent.get(`/api/v1/tickets/${ticketId}`)).json();
    expect(ticket.subject).toBe('Parcel SA900800700 arrived damaged');
    expect(ticket.channel).toBe('email');
    expect(ticket.requester.name).toBe('Khalid Al-Fanar');
    expect(ticket.group.name).toBe('Customer Service');
    const [first] = await timelineOf(ticketId);
    expect(first!.kind).toBe('customer');
    expect(first!.bodyText).toContain('crushed corner');
    expect(first!.attachments.map((a) => a.filename)).toEqual(['photo.txt']);
    expect(first!.email).toMatchObject({ direction: 'in', from: 'khalid.new@customer.example', subject: 'Parcel SA900800700 arrived damaged' });

    const [ack] = await kit.sink.waitFor(1, (m) => m.envelope.to.includes('khalid.new@customer.example'));
    expect(ack!.parsed.subject).toContain(`[#${ticketNumber}]`);
    expect(ack!.parsed.inReplyTo).toBe(customerMessageId);
    expect(ack!.parsed.headers.get('auto-submitted')).toBe('auto-replied');
  });

  it("goes out as the agent's reply with threading headers, and the customer's answer lands on the same ticket", async () => {
    const res = await kit.agent.post(`/api/v1/tickets/${ticketId}/messages`, { kind: 'reply', bodyText: 'We are sorry. A replacement is on its way.' });
    expect(res.statusCode, res.body).toBe(201);
    const [reply] = await kit.sink.waitFor(1, (m) => m.parsed.text?.includes('replacement is on its way') ?? false);
    expect(reply!.parsed.inReplyTo).toBe(customerMessageId);
    expect(reply!.parsed.references).toContain(customerMessageId);
    expect(reply!.parsed.subject).toBe(`Re: Parcel SA900800700 arrived damaged [#${ticketNumber}]`);
    expect(reply!.envelope.to).toEqual(['khalid.new@customer.example']);
    const ourId = reply!.parsed.messageId!;
    expect(ourId).toMatch(/^<cd\.\d+\./);

    const timeline = await timelineOf(ticketId);
    await eventually(async () => {
      const msgs = await timelineOf(ticketId);
      return msgs.find((m) => m.kind === 'reply')?.email?.status === 'sent';
    }, 'reply marked sent');
    expect(timeline.some((m) => m.kind === 'reply')).toBe(true);

    await send({
      from: 'khalid.new@customer.example',
      subject: `Re: Parcel SA900800700 arrived damaged [#${ticketNumber}]`,
      text: 'Thank you, received.\n\nOn Monday Care Example wrote:\n> We are sorry.',
      messageId: '<second-2@customer.example>',
      inReplyTo: ourId,
      references: [customerMessageId, ourId],
    });
    const [second] = await handled('second-2@customer.example');
    expect(second!.ticket!.id).toBe(ticketId);
    const last = (await timelineOf(ticketId)).at(-1)!;
    expect(last.kind).toBe('customer');
    expect(last.bodyText).toContain('Thank you, received.');
  });

  it('is stored once when the same message is delivered twice', async () => {
    const mail = { from: 'twice@customer.example', subject: 'Delivered twice', text: 'once please', messageId: '<twice-3@customer.example>' };
    await send(mail);
    await send(mail);
    const rows = await handled('twice-3@customer.example');
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.status).sort()).toEqual(['duplicate', 'processed']);
    expect(new Set(rows.map((r) => r.ticket?.id)).size).toBe(1);
    expect((await timelineOf(rows[0]!.ticket!.id)).filter((m) => m.kind === 'customer')).toHaveLength(1);
  });

  it('without a Message-ID is kept apart from a different one, and deduplicated by its bytes', async () => {
    const raw = (body: string) => `From: nomsgid@customer.example\r\nTo: ${SUPPORT}\r\nSubject: No id\r\n\r\n${body}\r\n`;
    await sendRaw(raw('first body'));
    await sendRaw(raw('second body'));
    await sendRaw(raw('first body'));
    const rows = await eventually(async () => {
      const r = await kit.t.database.db.execute<{ status: string; ticket_id: string }>(sql`select status, ticket_id from inbound_emails where from_address = 'nomsgid@customer.example' or (status = 'received' and position('nomsgid@' in convert_from(raw, 'UTF8')) > 0)`);
      return r.rows.length === 3 && r.rows.every((x) => x.status !== 'received') ? r.rows : null;
    }, 'three deliveries handled');
    expect(rows.map((r) => r.status).sort()).toEqual(['duplicate', 'processed', 'processed']);
    expect(new Set(rows.map((r) => r.ticket_id)).size).toBe(2);
  });

  it('with a forged In-Reply-To from an outsider opens a new ticket instead of joining the conversation', async () => {
    await send({
      from: 'attacker@evil.example',
      subject: `Re: Parcel SA900800700 arrived damaged [#${ticketNumber}]`,
      text: 'Please send the refund to my account instead.',
      messageId: '<forged-4@evil.example>',
      inReplyTo: customerMessageId,
      references: [customerMessageId, `<cd.${ticketNumber}.000000000000.aaaaaaaaaaaaaaaa@care.example>`],
    });
    const [row] = await handled('forged-4@evil.example');
    expect(row!.ticket!.id).not.toBe(ticketId);
  });

  it('claiming to come from one of our agents is a flagged customer message, never an kit.agent reply', async () => {
    await send({ from: 'sara@demo.caredesk.test', subject: 'Approve refund', text: 'Refund approved, do it now', messageId: '<fake-agent-5@evil.example>' });
    const [row] = await handled('fake-agent-5@evil.example');
    const ticket = (await kit.admin.get(`/api/v1/tickets/${row!.ticket!.id}`)).json();
    expect(ticket.tags).toContain('unverified-sender');
    const [msg] = await timelineOf(row!.ticket!.id).catch(async () => (await kit.admin.get(`/api/v1/tickets/${row!.ticket!.id}/messages`)).json().items);
    expect(msg!.kind).toBe('customer');
    expect(msg!.email?.senderUnverified).toBe(true);
  });

  it('failing DMARC is flagged and never threaded into the real customer’s ticket', async () => {
    await send({
      from: 'khalid.new@customer.example',
      subject: `Re: Parcel SA900800700 arrived damaged [#${ticketNumber}]`,
      text: 'Change the delivery address to ...',
      messageId: '<spoofed-6@evil.example>',
      inReplyTo: customerMessageId,
      headers: { 'Authentication-Results': 'mx.care.example; spf=fail smtp.mailfrom=customer.example; dkim=none; dmarc=fail header.from=customer.example' },
    });
    const [row] = await handled('spoofed-6@evil.example');
    expect(row!.ticket!.id).not.toBe(ticketId);
    const msgs = (await kit.admin.get(`/api/v1/tickets/${row!.ticket!.id}/messages`)).json().items;
    expect(msgs[0].email.senderUnverified).toBe(true);
    expect(msgs[0].email.authResults.dmarc).toBe('fail');
  });

  it('to an address we do not serve is refused at RCPT with 550', async () => {
    await expect(send({ to: 'nobody@care.example', from: 'x@customer.example', subject: 'x', text: 'x' })).rejects.toMatchObject({ responseCode: 550 });
  });

  it('after a ticket is closed, opens a follow-up linked to it', async () => {
    const closed = await eventually(async () => {
      await send({ from: 'closer@customer.example', subject: 'Close me', text: 'first', messageId: '<close-7@customer.example>' });
      return (await handled('close-7@customer.example'))[0];
    }, 'ticket');
    await kit.t.database.db.execute(sql`update tickets set status = 'closed' where id = ${closed.ticket!.id}`);
    await send({ from: 'closer@customer.example', subject: `Re: Close me [#${closed.ticket!.number}]`, text: 'one more thing', messageId: '<close-8@customer.example>', inReplyTo: '<close-7@customer.example>' });
    const [row] = await handled('close-8@customer.example');
    expect(row!.ticket!.id).not.toBe(closed.ticket!.id);
    const [followUp] = await kit.t.database.db.execute<{ follow_up_of_id: string }>(sql`select follow_up_of_id from tickets where id = ${row!.ticket!.id}`).then((r) => r.rows);
    expect(followUp!.follow_up_of_id).toBe(closed.ticket!.id);
  });
});

describe('outgoing mail', () => {
  it('waits in the outbox without a relay and leaves once one is set', async () => {
    const ids = await demoIds(kit.admin);
    const created = await kit.admin.post('/api/v1/mailboxes', { address: 'norelay@care.example', name: 'No Relay Brand', groupId: ids.group('Customer Service'), ackEnabled: false });
    expect(created.statusCode, created.body).toBe(201);
    await send({ to: 'norelay@care.example', from: 'patient@customer.example', subject: 'Waiting', text: 'hello', messageId: '<norelay-9@customer.example>' });
    const [row] = await handled('norelay-9@customer.example');
    await kit.agent.post(`/api/v1/tickets/${row!.ticket!.id}/messages`, { kind: 'reply', bodyText: 'Held until a relay exists' });
    const waiting = await kit.admin.get('/api/v1/email/outbound?status=no_relay');
    expect(waiting.json().items.map((i: { ticket: { id: string } }) => i.ticket.id)).toContain(row!.ticket!.id);
    expect((await kit.admin.get(`/api/v1/mailboxes/${created.json().id}`)).json().outboxWaiting).toBe(1);

    const patched = await kit.admin.patch(`/api/v1/mailboxes/${created.json().id}`, { relayHost: '127.0.0.1', relayPort: kit.sink.port });
    expect(patched.statusCode, patched.body).toBe(200);
    const [sent] = await kit.sink.waitFor(1, (m) => m.parsed.text?.includes('Held until a relay exists') ?? false);
    expect(sent!.parsed.from!.value[0]!.address).toBe('norelay@care.example');
  });

  it("answers a ticket opened outside email from the mailbox of the ticket's group", async () => {
    const ids = await demoIds(kit.admin);
    const traceBox = await kit.admin.post('/api/v1/mailboxes', {
      address: 'trace@care.example',
      name: 'Trace Desk',
      groupId: ids.group('Trace SA'),
      relayHost: '127.0.0.1',
      relayPort: kit.sink.port,
      relayTls: false,
      ackEnabled: false,
    });
    expect(traceBox.statusCode, traceBox.body).toBe(201);
    const created = await kit.admin.post('/api/v1/tickets', {
      subject: 'Parcel location, asked by phone',
      description: 'Customer called about a parcel.',
      categoryId: ids.category('general-inquiry'),
      requester: { email: 'khalid@alfanar-trading.example' },
      groupId: ids.group('Trace SA'),
      onBehalf: true,
    });
    expect(created.statusCode, created.body).toBe(201);
    const reply = await kit.admin.post(`/api/v1/tickets/${created.json().id}/messages`, { kind: 'reply', bodyText: 'Traced: it is at the Riyadh hub' });
    expect(reply.statusCode, reply.body).toBe(201);
    const [sent] = await kit.sink.waitFor(1, (m) => m.parsed.text?.includes('Traced: it is at the Riyadh hub') ?? false);
    expect(sent!.parsed.from!.value[0]!.address).toBe('trace@care.example');
    expect(sent!.parsed.to && JSON.stringify(sent!.parsed.to)).toContain('khalid@alfanar-trading.example');
  });

  it('keeps a customer name with a line break from adding headers', async () => {
    await send({ from: { name: 'Bob\r\nBcc: x@evil.example', address: 'bob@customer.example' }, subject: 'Injection\r\nBcc: y@evil.example', text: 'hi', messageId: '<inject-10@customer.example>' });
    const [row] = await handled('inject-10@customer.example');
    await kit.agent.post(`/api/v1/tickets/${row!.ticket!.id}/messages`, { kind: 'reply', bodyText: 'header injection check' });
    const [out] = await kit.sink.waitFor(1, (m) => m.parsed.text?.includes('header injection check') ?? false);
    expect(out!.envelope.to).toEqual(['bob@customer.example']);
    expect(out!.parsed.bcc).toBeUndefined();
    const headerBlock = out!.raw.toString('utf8').split('\r\n\r\n')[0]!;
    expect(headerBlock).not.toMatch(/^bcc:/im);
  });

  it('is marked bounced on its ticket when a delivery status notification returns it', async () => {
    await send({ from: 'gone@customer.example', subject: 'Will bounce', text: 'hello', messageId: '<bounce-11@customer.example>' });
    const [row] = await handled('bounce-11@customer.example');
    await kit.agent.post(`/api/v1/tickets/${row!.ticket!.id}/messages`, { kind: 'reply', bodyText: 'this one bounces' });
    const [out] = await kit.sink.waitFor(1, (m) => m.parsed.text?.includes('this one bounces') ?? false);
    const original = out!.parsed.messageId!;
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.customer.example>',
      `To: ${SUPPORT}`,
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <dsn-12@mx.customer.example>',
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
      '',
      '--B',
      'Content-Type: text/plain',
      '',
      'The mail system: <gone@customer.example>: user unknown',
      '--B',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.customer.example',
      '',
      'Final-Recipient: rfc822; gone@customer.example',
      'Action: failed',
      'Status: 5.1.1',
      '',
      '--B',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${original}`,
      `From: ${SUPPORT}`,
      'Subject: Re: Will bounce',
      '',
      '--B--',
      '',
    ].join('\r\n');
    const before = (await kit.admin.get('/api/v1/tickets?limit=100')).json().items.length;
    await sendRaw(dsn, SUPPORT, '');
    const [b] = await handled('dsn-12@mx.customer.example');
    expect(b!.classification).toBe('bounce');
    expect(b!.ticket!.id).toBe(row!.ticket!.id);
    const msgs = await timelineOf(row!.ticket!.id);
    expect(msgs.find((m) => m.kind === 'reply')!.email!.status).toBe('bounced');
    expect((await kit.admin.get('/api/v1/tickets?limit=100')).json().items.length).toBe(before);
  });
});

describe('durable intake', () => {
  it('answers 451 while messages cannot be stored, and every retried message ends on a ticket exactly once', async () => {
    await kit.t.database.db.execute(sql`alter table inbound_emails rename to inbound_emails_away`);
    const refused: SendMailOptions[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const mail = { from: `outage${i}@customer.example`, subject: `During outage ${i}`, text: 'stored later', messageId: `<outage-${i}@customer.example>` };
        await expect(send(mail)).rejects.toMatchObject({ responseCode: 451 });
        refused.push(mail);
      }
    } finally {
      await kit.t.database.db.execute(sql`alter table inbound_emails_away rename to inbound_emails`);
    }
    // The sending server retries what got a 4xx.
    for (const mail of refused) await send(mail);
    for (let i = 0; i < 3; i++) {
      const rows = await handled(`outage-${i}@customer.example`);
      expect(rows.map((r) => r.status)).toEqual(['processed']);
    }
  });

  it('turns messages stored while no worker ran into tickets after a restart', async () => {
    await kit.t.database.db.execute(sql`insert into inbound_emails (id, mailbox_id, source, raw, raw_sha256, size) values (gen_random_uuid(), ${kit.mailboxId}, 'smtp', convert_to(${`From: restart@customer.example\r\nTo: ${SUPPORT}\r\nSubject: Stored before a crash\r\nMessage-ID: <restart-13@customer.example>\r\n\r\nbody\r\n`}, 'UTF8'), 'x', 10)`);
    await kit.t.restart();
    const [row] = await handled('restart-13@customer.example');
    expect(row!.status).toBe('processed');
  });
});

describe('mailbox administration', () => {
  it('pages through every stored message, also several stored within one millisecond', async () => {
    const ids: string[] = [];
    for (const micros of ['123100', '123200', '123300']) {
      const r = await kit.t.database.db.execute<{ id: string }>(sql`
        insert into inbound_emails (id, mailbox_id, source, raw, raw_sha256, size, status, reason, received_at)
        values (gen_random_uuid(), ${kit.mailboxId}, 'smtp', ${Buffer.from(`x${micros}`)}, ${`sha-${micros}`}, 7, 'ignored', 'test', ${`2020-01-01 00:00:00.${micros}+00`}::timestamptz)
        returning id`);
      ids.push(r.rows[0]!.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await kit.admin.get(`/api/v1/email/inbound?status=ignored&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      seen.push(...(res.json().items as { id: string }[]).map((i) => i.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen.filter((id) => ids.includes(id))).toEqual([...ids].reverse());
  });

  it('refuses a bad mailbox with the field and reason, and never returns stored passwords', async () => {
    const bad = await kit.admin.post('/api/v1/mailboxes', { address: 'not-an-address', name: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['address', 'name']);
    const incomplete = await kit.admin.post('/api/v1/mailboxes', { address: 'imap@care.example', name: 'IMAP', imapHost: 'imap.care.example' });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['imapPassword', 'imapUser']);
    const taken = await kit.admin.post('/api/v1/mailboxes', { address: SUPPORT.toUpperCase(), name: 'Again' });
    expect(taken.statusCode).toBe(409);
    const ok = await kit.admin.post('/api/v1/mailboxes', { address: 'imap@care.example', name: 'IMAP', imapHost: 'imap.care.example', imapUser: 'u', imapPassword: 'hunter2-secret' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.body).not.toContain('hunter2');
    expect(ok.json()).toMatchObject({ imapEnabled: true, hasImapPassword: true });
    const stored = await kit.t.database.db.execute<{ imap_password_enc: string }>(sql`select imap_password_enc from mailboxes where address = 'imap@care.example'`);
    expect(stored.rows[0]!.imap_password_enc).not.toContain('hunter2');
  });

  it('is for admins only', async () => {
    expect((await kit.agent.get('/api/v1/mailboxes')).statusCode).toBe(403);
    expect((await kit.agent.post('/api/v1/mailboxes', { address: 'a@b.example', name: 'x' })).statusCode).toBe(403);
    expect((await kit.agent.get('/api/v1/email/inbound')).statusCode).toBe(403);
  });
});
