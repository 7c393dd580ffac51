/**
 * The email rows of ../shared/design/RELIABILITY.md (1, 3-6, 17, 20, 23-28), each driven over real
 * SMTP (and IMAP for the triple delivery) into a real database. Rows 20, 23, 24 and 26 in their
 * basic forms live in email-channel.test.ts; the variants here complete them.
 */
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { findDovecot, startDovecot, type Dovecot } from '../../../test/dovecot.js';
import { eventually } from '../../../test/smtp-sink.js';
import { SUPPORT, useEmailTest } from './email-test-kit.js';
import { storeInbound } from './use-cases/intake.js';
import { processInbound, processInboundBatch } from './use-cases/ingest.js';

// A small size cap so the oversize row does not have to push 60 MB through loopback.
const kit = useEmailTest({ CAREDESK_EMAIL_MAX_MB: '2', CAREDESK_EMAIL_ACK_PER_HOUR: '3' });

const crlf = (...lines: string[]) => lines.join('\r\n');
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

async function ticketOf(marker: string) {
  const [row] = await kit.handled(marker);
  expect(row!.status, row!.reason ?? '').toBe('processed');
  const ticket = (await kit.agent.get(`/api/v1/tickets/${row!.ticket!.id}`)).json();
  return { row: row!, ticket, messages: await kit.timelineOf(row!.ticket!.id) };
}

describe('row 1: oversize input', () => {
  it('refuses an email above the size limit at SMTP with 552, and an oversized API body with 413', async () => {
    const big = crlf('From: big@customer.example', `To: ${SUPPORT}`, 'Subject: big', 'Message-ID: <big-1@customer.example>', '', 'x'.repeat(3 * 1024 * 1024));
    await expect(kit.sendRaw(big)).rejects.toMatchObject({ responseCode: 552 });
    const stored = await kit.t.database.db.execute(sql`select 1 from inbound_emails where envelope_from = 'big@customer.example'`);
    expect(stored.rows).toHaveLength(0);
    const res = await kit.agent.post('/api/v1/tickets', { subject: 'x', description: 'y'.repeat(3 * 1024 * 1024) });
    expect(res.statusCode).toBe(413);
  });
});

describe('row 3: unicode edge cases', () => {
  it('stores subject and sender name NFC-normalised without NUL, bidi overrides or zero-width characters, once', async () => {
    const decomposed = 'Cafe\u0301 order \u202Egnp.exe\u200B';
    await kit.send({
      from: { name: 'Zed\u0000 Cafe\u0301', address: 'unicode@customer.example' },
      subject: decomposed,
      text: 'Body with a NUL\u0000 here and e\u0301',
      messageId: '<unicode-3@customer.example>',
    });
    const { ticket, messages } = await ticketOf('unicode-3@customer.example');
    // An RTL override would disguise "exe.png" as an image; the subject keeps the visible text only.
    expect(ticket.subject).toBe('Café order gnp.exe');
    expect(ticket.requester.name).not.toContain('\u0000');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.bodyText).not.toContain('\u0000');
    expect(messages[0]!.bodyText).toContain('é');
  });
});

describe('row 4: charset chaos', () => {
  const cases: { name: string; raw: Buffer; expect: RegExp }[] = [
    {
      name: 'ISO-2022-JP',
      raw: Buffer.concat([
        Buffer.from(crlf('From: jp@customer.example', `To: ${SUPPORT}`, 'Subject: =?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=', 'Message-ID: <charset-jp@customer.example>', 'Content-Type: text/plain; charset=ISO-2022-JP', 'Content-Transfer-Encoding: 7bit', '', '')),
        Buffer.from('\x1b$B%F%9%H\x1b(B\r\n', 'latin1'),
      ]),
      expect: /テスト/,
    },
    {
      name: 'broken UTF-8',
      raw: Buffer.concat([
        Buffer.from(crlf('From: broken@customer.example', `To: ${SUPPORT}`, 'Subject: broken bytes', 'Message-ID: <charset-broken@customer.example>', 'Content-Type: text/plain; charset=utf-8', '', 'before ')),
        Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
        Buffer.from(' after\r\n'),
      ]),
      expect: /before .* after/,
    },
    {
      name: 'an unknown charset',
      raw: Buffer.from(crlf('From: unknown@customer.example', `To: ${SUPPORT}`, 'Subject: unknown charset', 'Message-ID: <charset-unknown@customer.example>', 'Content-Type: text/plain; charset=x-no-such-charset', '', 'plain ascii survives', '')),
      expect: /plain ascii survives/,
    },
    {
      name: 'broken base64',
      raw: Buffer.from(crlf('From: b64@customer.example', `To: ${SUPPORT}`, 'Subject: broken base64', 'Message-ID: <charset-b64@customer.example>', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', 'SGVsbG8gd29y!!!bGQ=*', '')),
      expect: /Hello/,
    },
  ];
  for (const c of cases) {
    it(`decodes ${c.name} as well as it can and keeps the original bytes`, async () => {
      await kit.sendRaw(c.raw);
      const marker = /Message-ID: <([^>]+)>/.exec(c.raw.toString('latin1'))![1]!;
      const { row, messages } = await ticketOf(marker);
      expect(messages[0]!.bodyText).toMatch(c.expect);
      const raw = await kit.admin.get(`/api/v1/email/inbound/${row.id}/raw`);
      expect(raw.statusCode).toBe(200);
      expect(sha256(raw.rawPayload)).toBe(sha256(c.raw.toString('latin1').endsWith('\r\n') ? c.raw : Buffer.concat([c.raw, Buffer.from('\r\n')])));
    });
  }
});

describe('row 5: malformed MIME', () => {
  it('parses or quarantines every malformed message, and a normal one after them still becomes a ticket', async () => {
    const head = (id: string, type: string) => crlf('From: mime@customer.example', `To: ${SUPPORT}`, `Subject: mime ${id}`, `Message-ID: <${id}@customer.example>`, 'MIME-Version: 1.0', `Content-Type: ${type}`, '', '');
    const manyParts = Array.from({ length: 1500 }, (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join('') + '--b--\r\n';
    const deep = Array.from({ length: 1000 }, (_, i) => `Content-Type: multipart/mixed; boundary="d${i}"\r\n\r\n--d${i}\r\n`).join('') + 'Content-Type: text/plain\r\n\r\nbottom\r\n';
    const raws = [
      head('mime-noboundary', 'multipart/mixed') + 'no boundary at all\r\n',
      head('mime-unterminated', 'multipart/mixed; boundary="u"') + '--u\r\nContent-Type: text/plain\r\n\r\nnever closed\r\n',
      head('mime-manyparts', 'multipart/mixed; boundary="b"') + manyParts,
      head('mime-deep', 'multipart/mixed; boundary="top"') + '--top\r\n' + deep,
    ];
    for (const raw of raws) await kit.sendRaw(raw);
    await kit.send({ from: 'after@customer.example', subject: 'after the malformed ones', text: 'still working', messageId: '<mime-after@customer.example>' });
    for (const id of ['mime-noboundary', 'mime-unterminated', 'mime-manyparts', 'mime-deep']) {
      const [row] = await kit.handled(`${id}@customer.example`);
      expect(['processed', 'quarantined'], `${id}: ${row!.status}`).toContain(row!.status);
      if (row!.status === 'quarantined') expect(row!.reason).toBeTruthy();
      else expect(row!.ticket).not.toBeNull();
    }
    const { messages } = await ticketOf('mime-after@customer.example');
    expect(messages[0]!.bodyText).toContain('still working');
  });
});

describe('row 6: dangerous attachment types', () => {
  it('keeps every attachment part and serves each as an inert download', async () => {
    const files = [
      { filename: 'logo.svg', content: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', contentType: 'image/svg+xml' },
      { filename: 'invoice.html', content: '<html><body><script>alert(1)</script></body></html>', contentType: 'text/html' },
      { filename: '.ht\u200Baccess', content: 'AddType application/x-httpd-php .jpg', contentType: 'text/plain' },
      { filename: 'photo.php.jpg', content: '<?php system($_GET["c"]); ?>', contentType: 'image/jpeg' },
    ];
    await kit.send({ from: 'files@customer.example', subject: 'attachments', text: 'see attached', messageId: '<files-6@customer.example>', attachments: files });
    const { messages } = await ticketOf('files-6@customer.example');
    const attachments = messages[0]!.attachments;
    expect(attachments).toHaveLength(files.length);
    for (const a of attachments) {
      const res = await kit.agent.get(`/api/v1/attachments/${a.id}/download`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toMatch(/^attachment;/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain('sandbox');
    }
    // Only raster images are ever shown inline; an SVG is not.
    const svg = attachments.find((a) => a.filename === 'logo.svg')!;
    expect((await kit.agent.get(`/api/v1/attachments/${svg.id}/inline`)).statusCode).toBeGreaterThanOrEqual(400);
  });
});

describe('row 17: stored XSS battery', () => {
  it('sanitises script in the HTML body and keeps subject, name and filename as plain text', async () => {
    const payload = '<img src=x onerror=alert(1)>';
    await kit.send({
      from: { name: `Eve ${payload}`, address: 'xss@customer.example' },
      subject: `Hi ${payload}<script>alert(2)</script>`,
      html: `<p>Hello</p><script>alert(3)</script><img src=x onerror="alert(4)"><a href="javascript:alert(5)">click</a><iframe src="https://evil.example"></iframe><svg onload=alert(6)></svg><style>body{display:none}</style><form action="https://evil.example"><input name=p></form>`,
      messageId: '<xss-17@customer.example>',
      attachments: [{ filename: `${payload}.txt`, content: 'x' }],
    });
    const { ticket, messages } = await ticketOf('xss-17@customer.example');
    const html = messages[0]!.bodyHtml ?? '';
    expect(html).toContain('Hello');
    expect(html).not.toMatch(/<script|onerror|onload|javascript:|<iframe|<style|<form|<svg/i);
    // Text fields are returned as given; the web app renders them as text, never as HTML.
    expect(ticket.subject).toContain('<script>');
    expect(messages[0]!.attachments[0]!.filename).toContain('onerror');
  });
});

describe('row 24: thread hijack with a forged reply token', () => {
  it('opens a new ticket for a forged token even from the real customer, and a genuine token still threads', async () => {
    await kit.send({ from: 'owner@customer.example', subject: 'My order', text: 'first', messageId: '<hijack-owner@customer.example>' });
    const { row } = await ticketOf('hijack-owner@customer.example');
    const forged = `<cd.${row.ticket!.number}.aaaaaaaaaaaa.bbbbbbbbbbbbbbbb@care.example>`;
    await kit.send({ from: 'attacker@evil.example', subject: 'Re: My order', text: 'pay me instead', messageId: '<hijack-forged@evil.example>', inReplyTo: forged, references: [forged] });
    const [hijack] = await kit.handled('hijack-forged@evil.example');
    expect(hijack!.ticket!.id).not.toBe(row.ticket!.id);
    const timeline = await kit.timelineOf(row.ticket!.id);
    expect(timeline.some((m) => m.bodyText.includes('pay me instead'))).toBe(false);
  });
});

describe('row 25: the same mail delivered three times', () => {
  let dovecot: Dovecot | null = null;
  afterAll(async () => {
    await dovecot?.stop().catch(() => {});
  });
  it.skipIf(!findDovecot())('SMTP twice and IMAP once gives one message on one ticket', async () => {
    dovecot = await startDovecot();
    const created = await kit.admin.post('/api/v1/mailboxes', {
      address: 'both@care.example',
      name: 'Both ways',
      imapHost: dovecot.host,
      imapPort: dovecot.port,
      imapTls: false,
      imapUser: dovecot.user,
      imapPassword: dovecot.password,
      imapFolder: dovecot.folder,
    });
    expect(created.statusCode, created.body).toBe(201);
    const raw = crlf('From: thrice@customer.example', 'To: both@care.example', 'Subject: Three deliveries', 'Message-ID: <thrice-25@customer.example>', '', 'only once please', '');
    await kit.sendRaw(raw, 'both@care.example');
    await kit.sendRaw(raw, 'both@care.example');
    await dovecot.deliver(raw);
    expect((await kit.admin.post(`/api/v1/mailboxes/${created.json().id}/poll`)).statusCode).toBeLessThan(300);
    const rows = await eventually(async () => {
      const r = await kit.handled('thrice-25@customer.example');
      return r.length === 3 ? r : null;
    }, 'three deliveries handled');
    expect(rows.map((r) => r.status).sort()).toEqual(['duplicate', 'duplicate', 'processed']);
    expect(new Set(rows.map((r) => r.ticket!.id)).size).toBe(1);
    const messages = await kit.timelineOf(rows[0]!.ticket!.id);
    expect(messages.filter((m) => m.bodyText.includes('only once please'))).toHaveLength(1);
    expect((await dovecot.messages()).every((m) => m.seen)).toBe(true);
  });
});

describe('one stored message, two jobs', () => {
  it('ends processed on one ticket when two workers take it at once', async () => {
    const raw = crlf('From: twice.taken@customer.example', `To: ${SUPPORT}`, 'Subject: Taken twice', 'Message-ID: <taken-twice@customer.example>', '', 'two workers, one ticket', '');
    const [id] = await storeInbound(kit.t.database.db, [{ mailboxId: kit.mailboxId, source: 'api', raw: Buffer.from(raw) }]);
    const deps = { db: kit.t.database.db, config: kit.t.config, secrets: kit.t.caredesk.secrets, now: () => new Date(), log: () => {} };
    await Promise.all([processInbound(deps, id!), processInbound(deps, id!)]);
    const [row] = await kit.handled('taken-twice@customer.example');
    expect(row!.status).toBe('processed');
    expect(row!.ticket).not.toBeNull();
    expect((await kit.timelineOf(row!.ticket!.id)).filter((m) => m.bodyText.includes('two workers, one ticket'))).toHaveLength(1);
  });
});

describe('messages taken in together', () => {
  const deps = () => ({ db: kit.t.database.db, config: kit.t.config, secrets: kit.t.caredesk.secrets, now: () => new Date(), log: () => {} });
  const store = async (raws: string[]) => storeInbound(kit.t.database.db, raws.map((raw) => ({ mailboxId: kit.mailboxId, source: 'api' as const, raw: Buffer.from(raw) })));

  it('puts each on its own ticket, a first-time sender twice in one batch becoming one contact', async () => {
    const raws = [0, 1, 2].map((i) =>
      crlf(`From: ${i < 2 ? 'batch.new@customer.example' : 'batch.other@customer.example'}`, `To: ${SUPPORT}`, `Subject: Batch ${i}`, `Message-ID: <batch-${i}@customer.example>`, '', `batch body ${i}`, ''),
    );
    const ids = await store(raws);
    expect(await processInboundBatch(deps(), ids)).toEqual([null, null, null]);
    const rows = await Promise.all([0, 1, 2].map(async (i) => (await kit.handled(`batch-${i}@customer.example`))[0]!));
    expect(rows.map((r) => r.status)).toEqual(['processed', 'processed', 'processed']);
    expect(new Set(rows.map((r) => r.ticket!.id)).size).toBe(3);
    const requesters = await Promise.all(rows.map(async (r) => (await kit.admin.get(`/api/v1/tickets/${r.ticket!.id}`)).json().requester.id as string));
    expect(requesters[0]).toBe(requesters[1]);
    expect(requesters[2]).not.toBe(requesters[0]);
  });

  it("gives every ticket of a batch its service-level clock, its created fact and its email records, as one at a time would", async () => {
    const raws = [0, 1, 2].map((i) =>
      crlf(`From: batch.records${i}@customer.example`, `To: ${SUPPORT}`, `Cc: colleague${i}@customer.example`, `Subject: Records ${i}`, `Message-ID: <batch-records-${i}@customer.example>`, '', `records body ${i}`, ''),
    );
    const ids = await store(raws);
    expect(await processInboundBatch(deps(), ids)).toEqual([null, null, null]);
    const rows = await Promise.all([0, 1, 2].map(async (i) => (await kit.handled(`batch-records-${i}@customer.example`))[0]!));
    const ticketIds = rows.map((r) => r.ticket!.id);
    const q = <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) => kit.t.database.db.execute<T>(query).then((r) => r.rows);
    const list = sql.join(ticketIds.map((id) => sql`${id}::uuid`), sql`, `);
    const clocks = await q<{ ticket_id: string }>(sql`select ticket_id from sla_deadlines where ticket_id in (${list}) and target = 'first_response' and stopped_at is null`);
    expect(new Set(clocks.map((c) => c.ticket_id))).toEqual(new Set(ticketIds));
    const facts = await q<{ ticket_id: string; channel: string }>(sql`select ticket_id, channel from report_facts where kind = 'ticket.created' and ticket_id in (${list})`);
    expect(facts.map((f) => f.ticket_id).sort()).toEqual([...ticketIds].sort());
    expect(facts.every((f) => f.channel === 'email')).toBe(true);
    const threads = await q<{ ticket_id: string; participants: string[] }>(sql`select ticket_id, participants from email_threads where ticket_id in (${list})`);
    expect(Object.fromEntries(threads.map((t) => [t.ticket_id, t.participants]))).toEqual(Object.fromEntries(ticketIds.map((id, i) => [id, [`colleague${i}@customer.example`]])));
    const emails = await q<{ ticket_id: string; inbound_id: string }>(sql`select ticket_id, inbound_id from email_messages where direction = 'in' and ticket_id in (${list})`);
    expect(emails.map((e) => `${e.ticket_id} ${e.inbound_id}`).sort()).toEqual(rows.map((r, i) => `${r.ticket!.id} ${ids[i]}`).sort());
  });

  it('falls back to one at a time when one of them cannot be written with the others, and loses none', async () => {
    // The same message twice in one batch: the second insert conflicts, the batch rolls back,
    // and each is taken in alone, one processed and one recorded as the duplicate.
    const raw = crlf('From: batch.dup@customer.example', `To: ${SUPPORT}`, 'Subject: Twice in a batch', 'Message-ID: <batch-dup@customer.example>', '', 'once only', '');
    const other = crlf('From: batch.dup2@customer.example', `To: ${SUPPORT}`, 'Subject: Beside it', 'Message-ID: <batch-beside@customer.example>', '', 'beside', '');
    const ids = await store([raw, other, raw]);
    expect(await processInboundBatch(deps(), ids)).toEqual([null, null, null]);
    const dup = await kit.handled('batch-dup@customer.example');
    expect(dup.map((r) => r.status).sort()).toEqual(['duplicate', 'processed']);
    expect(new Set(dup.map((r) => r.ticket!.id)).size).toBe(1);
    expect((await kit.timelineOf(dup[0]!.ticket!.id)).filter((m) => m.bodyText.includes('once only'))).toHaveLength(1);
    expect((await kit.handled('batch-beside@customer.example'))[0]!.status).toBe('processed');
  });
});

describe('row 27: auto-replies and acknowledgement storms', () => {
  it('never answers an auto-reply, and acknowledges one sender at most 3 times an hour', async () => {
    await kit.send({ from: 'robot@customer.example', subject: 'Out of office', text: 'I am away', messageId: '<auto-27@customer.example>', headers: { 'Auto-Submitted': 'auto-replied' } });
    const [auto] = await kit.handled('auto-27@customer.example');
    expect(auto!.status).not.toBe('received');
    for (let i = 0; i < 5; i++) await kit.send({ from: 'chatty@customer.example', subject: `Question ${i}`, text: `question ${i}`, messageId: `<chatty-${i}@customer.example>` });
    for (let i = 0; i < 5; i++) await kit.handled(`chatty-${i}@customer.example`);
    // Acknowledgements leave through the outbox; give them time to be sent before counting.
    await eventually(async () => kit.sink.messages.filter((m) => m.envelope.to.includes('chatty@customer.example')).length >= 3 || null, 'acks sent');
    await new Promise((r) => setTimeout(r, 1500));
    expect(kit.sink.messages.filter((m) => m.envelope.to.includes('chatty@customer.example'))).toHaveLength(3);
    expect(kit.sink.messages.filter((m) => m.envelope.to.includes('robot@customer.example'))).toHaveLength(0);
  });
});

describe('row 28: pathological headers', () => {
  it('handles a huge References header and 10,000 recipients within budget while the server stays responsive', async () => {
    const refs = Array.from({ length: 60_000 }, (_, i) => `<ref-${i}@customer.example>`).join(' ');
    const rcpts = Array.from({ length: 10_000 }, (_, i) => `r${i}@customer.example`).join(', ');
    const raws = [
      crlf('From: refs@customer.example', `To: ${SUPPORT}`, 'Subject: huge references', 'Message-ID: <patho-refs@customer.example>', `References: ${refs}`, '', 'body', ''),
      crlf('From: rcpts@customer.example', `To: ${SUPPORT}, ${rcpts}`, 'Subject: many recipients', 'Message-ID: <patho-rcpts@customer.example>', '', 'body', ''),
      crlf('From: "a"@"b"@"c"@<<<<>>>>@customer.example', `To: ${SUPPORT}`, 'Subject: evil address list', `Cc: ${'"x" <'.repeat(5000)}`, 'Message-ID: <patho-evil@customer.example>', '', 'body', ''),
    ];
    for (const raw of raws) await kit.sendRaw(raw);
    for (const id of ['patho-refs', 'patho-rcpts', 'patho-evil']) {
      const health = await kit.t.app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
      const [row] = await kit.handled(`${id}@customer.example`);
      expect(['processed', 'quarantined'], `${id}: ${row!.status} ${row!.reason}`).toContain(row!.status);
    }
  });
});
