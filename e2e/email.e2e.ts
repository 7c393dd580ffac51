// The email channel in the browser, over real SMTP on loopback: a customer writes to CareDesk's
// SMTP receiver (nodemailer), the agent answers from the ticket page, the answer reaches a real SMTP
// sink threaded on the customer's message, and the customer's reply lands on the same ticket.
// Then the admin screens for mailboxes and for the quarantine and outbox, in English and Arabic.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { startSmtpSink, eventually, type SmtpSink } from '../server/src/test/smtp-sink.ts';
import { apiAs, choose, env, newSession, shot, signIn, USERS } from './harness.ts';

const stamp = Date.now().toString(36);
const SUPPORT = `support-${stamp}@care.example`;
const NO_RELAY = `sales-${stamp}@care.example`;
const IMAP = `imap-${stamp}@care.example`;
const CUSTOMER = `layla.${stamp}@customer.example`;
const SUBJECT = `Parcel SA900800${stamp} arrived damaged`;
const CUSTOMER_MESSAGE_ID = `<first-${stamp}@customer.example>`;

interface Inbound {
  id: string;
  status: string;
  subject: string | null;
  envelopeFrom: string | null;
  reason: string | null;
  ticket: { id: string; number: number } | null;
}

let sink: SmtpSink | null = null;
after(async () => {
  await sink?.close();
});

type Api = Awaited<ReturnType<typeof apiAs>>;

async function smtp() {
  const { smtpPort } = await env();
  assert.ok(smtpPort, 'the e2e server listens for SMTP');
  return nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
}

/** The stored incoming message that `match` picks, once the worker has dealt with it. */
function handled(admin: Api, match: (m: Inbound) => boolean, what: string) {
  return eventually(async () => {
    const { json } = await admin<{ items: Inbound[] }>('GET', '/email/inbound?limit=100');
    const found = json.items.find(match);
    return found && found.status !== 'received' ? found : null;
  }, what, 30_000);
}

async function english(page: Page) {
  if ((await page.evaluate(() => document.documentElement.lang)) === 'ar') {
    await page.getByTestId('language-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  }
}

/** Reloads `page` until `probe` finds what it waits for (the ticket page does not poll). */
async function reloadUntil(page: Page, probe: () => Promise<boolean>, what: string, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(1000);
    await page.reload();
    await page.getByTestId('timeline').waitFor();
  }
}

const setup = (async () => {
  sink = await startSmtpSink();
  const admin = await apiAs(USERS.admin);
  const groups = await admin<{ items: { id: string; name: string }[] }>('GET', '/groups');
  const customerService = groups.json.items.find((g) => g.name === 'Customer Service');
  assert.ok(customerService, 'demo has a Customer Service group');
  const create = async (body: Record<string, unknown>) => {
    const res = await admin<{ id: string }>('POST', '/mailboxes', body);
    assert.equal(res.status, 201, JSON.stringify(res.json));
    return res.json.id;
  };
  await create({ address: SUPPORT, name: 'Fast Courier Support', groupId: customerService.id, relayHost: '127.0.0.1', relayPort: sink.port, relayTls: false });
  await create({ address: NO_RELAY, name: 'Fast Courier Sales', groupId: customerService.id, language: 'ar' });
  await create({ address: IMAP, name: 'Fast Courier (IMAP)', smtpReceive: false, imapHost: 'imap.invalid', imapUser: 'care', imapPassword: 'imap-secret-password' });
  return { admin, sink };
})();
// A failed set-up is reported by the test that awaits it.
setup.catch(() => {});

test('email: a customer writes, the agent answers from the ticket, the customer replies on the same ticket', async () => {
  const { admin, sink } = await setup;
  const mail = await smtp();
  await mail.sendMail({
    from: `"Layla Haddad" <${CUSTOMER}>`,
    to: SUPPORT,
    subject: SUBJECT,
    text: 'Hello,\n\nThe parcel arrived with a crushed corner and a torn label.\n\nالطرد وصل تالفاً\n\nLayla',
    // As Gmail writes it: blocks with no dir attribute, whatever the language of each line.
    html: '<div dir="ltr"><div>Hello,</div><div><br></div><div>The parcel arrived with a crushed corner and a torn label.</div><div><br></div><div>الطرد وصل تالفاً</div><div><br></div><div>Layla</div></div>',
    messageId: CUSTOMER_MESSAGE_ID,
  });
  const first = await handled(admin, (m) => m.subject === SUBJECT, 'the customer email to become a ticket');
  assert.equal(first.status, 'processed', `inbound ${first.status}: ${first.reason}`);
  const ticket = first.ticket!;

  const { context, page, errors } = await newSession();
  try {
    await signIn(page, USERS.sara);
    await english(page);
    // The Customer Service queue: my groups, filtered to that group.
    await page.getByRole('link', { name: /My groups/ }).click();
    await page.waitForURL(/\/queues\/groups/);
    await choose(page, 'Group', /Customer Service/);
    const row = page.getByTestId('ticket-row').filter({ hasText: SUBJECT });
    await row.waitFor();
    await shot(page, 'email-01-queue');
    await row.click();
    await page.waitForURL(new RegExp(`/tickets/${ticket.number}$`));

    const customerMsg = page.getByTestId('message-customer').filter({ hasText: 'crushed corner' });
    await customerMsg.waitFor();
    assert.match(await customerMsg.getByTestId('email-header').innerText(), new RegExp(CUSTOMER.replace(/\./g, '\\.')));
    assert.match((await customerMsg.getByTestId('message-channel').textContent()) ?? '', /Email/);
    // In the English interface, the customer's Arabic line reads right to left, the English ones left to right.
    // No named function inside: tsx would wrap it in a helper the page does not have.
    const sides = await customerMsg
      .locator('.cd-message-body')
      .first()
      .evaluate((body, needles) => {
        const found: string[] = [];
        for (const needle of needles) {
          let where = 'missing';
          const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n && where === 'missing'; n = walker.nextNode()) {
            const at = n.textContent!.indexOf(needle);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(n, at);
            range.setEnd(n, at + needle.length);
            const box = range.getBoundingClientRect();
            const outer = body.getBoundingClientRect();
            where = box.left - outer.left < outer.right - box.right ? 'left' : 'right';
          }
          found.push(where);
        }
        return { english: found[0], arabic: found[1] };
      }, ['Hello', 'الطرد وصل تالفاً']);
    assert.deepEqual(sides, { english: 'left', arabic: 'right' });

    // The agent answers with the composer; it leaves by email, threaded on the customer's message.
    const answer = `We are sorry about the damage; a replacement leaves today. ${stamp}`;
    await page.getByLabel('Reply to the customer').fill(answer);
    await page.getByRole('button', { name: 'Send reply' }).click();
    const replyCard = page.getByTestId('message-reply').filter({ hasText: answer });
    await replyCard.waitFor();
    const [captured] = await sink.waitFor(1, (m) => m.parsed.text?.includes(answer) ?? false, 30_000);
    assert.equal(captured!.parsed.inReplyTo, CUSTOMER_MESSAGE_ID, 'the answer is In-Reply-To the customer message');
    assert.deepEqual(captured!.envelope.to, [CUSTOMER]);
    const answerId = captured!.parsed.messageId!;
    assert.ok(answerId, 'the answer has a Message-ID');
    await reloadUntil(
      page,
      async () => (await replyCard.getByTestId('delivery-status').getAttribute('data-status', { timeout: 1000 })) === 'sent',
      'the reply to show as sent',
    );
    assert.match((await replyCard.getByTestId('delivery-status').textContent()) ?? '', /Sent/);

    // The customer replies to the answer, quoting it.
    const thanks = `Thank you, received the tracking for the replacement. ${stamp}`;
    await mail.sendMail({
      from: CUSTOMER,
      to: SUPPORT,
      subject: `Re: ${captured!.parsed.subject}`,
      text: `${thanks}\n\nOn Tuesday Fast Courier Support wrote:\n> ${answer}\n`,
      messageId: `<second-${stamp}@customer.example>`,
      inReplyTo: answerId,
      references: [CUSTOMER_MESSAGE_ID, answerId],
    });
    const second = await handled(admin, (m) => m.subject?.startsWith('Re:') === true && m.subject.includes(stamp), 'the customer reply');
    assert.equal(second.ticket?.id, ticket.id, 'the reply joins the same ticket');

    const replyMsg = page.getByTestId('message-customer').filter({ hasText: thanks });
    await reloadUntil(page, () => replyMsg.isVisible(), 'the customer reply on the ticket page');
    assert.ok(page.url().endsWith(`/tickets/${ticket.number}`), 'still the same ticket page');
    // The quoted answer is folded away until asked for.
    const toggle = replyMsg.getByTestId('quoted-toggle');
    if (await toggle.count()) {
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      await toggle.click();
      await replyMsg.getByTestId('quoted-text').filter({ hasText: 'replacement leaves today' }).waitFor();
      assert.equal(await toggle.innerText(), 'Hide quoted text');
    }
    await shot(page, 'email-02-ticket');
    assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), [], 'no browser errors');
  } finally {
    await context.close();
  }
});

test('email: admin screens for mailboxes, quarantine and outbox (English and Arabic)', async () => {
  const { admin } = await setup;
  const mail = await smtp();
  // Two messages that cannot be read (empty), a message claiming to be from an agent, and
  // mail to a mailbox without a relay (its acknowledgement waits in the outbox).
  const broken = [`broken1.${stamp}@customer.example`, `broken2.${stamp}@customer.example`];
  for (const from of broken) await mail.sendMail({ envelope: { from, to: [SUPPORT] }, raw: '  \r\n\r\n' });
  const spoofSubject = `Please refund my order ${stamp}`;
  await mail.sendMail({ from: USERS.omar, to: SUPPORT, subject: spoofSubject, text: 'Refund the customer to this account please.' });
  const salesCustomer = `noura.${stamp}@customer.example`;
  await mail.sendMail({ from: salesCustomer, to: NO_RELAY, subject: `Quote for 40 parcels ${stamp}`, text: 'How much for 40 parcels a week?' });

  for (const from of broken) {
    const q = await handled(admin, (m) => m.envelopeFrom === from, `the empty message from ${from}`);
    assert.equal(q.status, 'quarantined', `${from}: ${q.status} ${q.reason}`);
  }
  const spoof = await handled(admin, (m) => m.subject === spoofSubject, 'the message from an agent address');
  await eventually(async () => {
    const { json } = await admin<{ items: { to: string[]; status: string }[] }>('GET', '/email/outbound?status=no_relay');
    return json.items.some((o) => o.to.includes(salesCustomer));
  }, 'the acknowledgement waiting for a relay', 30_000);

  const { context, page, errors } = await newSession();
  try {
    await signIn(page, USERS.admin);
    await english(page);

    // The agent-address message is flagged on its ticket.
    await page.goto(`/tickets/${spoof.ticket!.number}`);
    const flagged = page.getByTestId('sender-unverified');
    await flagged.waitFor();
    await flagged.hover();
    await page.getByRole('tooltip').filter({ hasText: /one of our agents/ }).waitFor();
    await shot(page, 'email-03-unverified-sender');

    // Mailboxes.
    await page.goto('/admin/mailboxes');
    const table = page.getByTestId('mailboxes-table');
    await table.getByRole('row').filter({ hasText: SUPPORT }).waitFor();
    const imapRow = table.getByRole('row').filter({ hasText: IMAP });
    assert.match((await imapRow.textContent()) ?? '', /IMAP/);
    assert.match((await table.getByRole('row').filter({ hasText: NO_RELAY }).textContent()) ?? '', /Not set/);
    await imapRow.getByRole('button', { name: `Poll ${IMAP} now` }).click();
    await page.getByText(`Checking ${IMAP} for new mail`).waitFor();
    await shot(page, 'email-04-admin-mailboxes');

    // Field errors from the API show under the inputs they belong to.
    await page.getByRole('button', { name: `Edit ${SUPPORT}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('IMAP server').fill('imap.care.example');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const imapUser = dialog.getByLabel('User name').first();
    await page.waitForFunction(() => document.querySelector('[role="dialog"] input[aria-invalid="true"]') !== null);
    assert.equal(await imapUser.getAttribute('aria-invalid'), 'true', 'IMAP user name is marked');
    assert.notEqual(await dialog.getByLabel('User name').nth(1).getAttribute('aria-invalid'), 'true', 'relay user name is not');
    await shot(page, 'email-05-mailbox-errors');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // A stored password is never shown, only said to be there.
    await page.getByRole('button', { name: `Edit ${IMAP}` }).click();
    await dialog.getByText('Stored — leave empty to keep it.').waitFor();
    assert.equal(await dialog.getByLabel('Password').first().inputValue(), '');
    await shot(page, 'email-06-mailbox-imap');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // Quarantine and outbox.
    await page.getByRole('tab', { name: 'Email quarantine & deliveries' }).click();
    await page.waitForURL(/\/admin\/email$/);
    const inbound = page.getByTestId('inbound-table');
    const quarantined = inbound.getByRole('row').filter({ hasText: broken[0]! });
    await quarantined.waitFor();
    assert.match((await quarantined.textContent()) ?? '', /Empty or not an email/);
    const waiting = page.getByTestId('outbound-table').getByRole('row').filter({ hasText: salesCustomer });
    await waiting.waitFor();
    assert.match((await waiting.textContent()) ?? '', /Waiting for a relay/);
    await shot(page, 'email-07-admin-email');

    const [download] = await Promise.all([page.waitForEvent('download'), quarantined.getByRole('link', { name: /Download the original/ }).click()]);
    assert.match(download.suggestedFilename(), /\.eml$/);

    await quarantined.getByRole('button', { name: 'Make ticket' }).click();
    const made = page.getByTestId('ticket-made');
    await made.waitFor();
    await shot(page, 'email-08-ticket-made');
    await made.getByRole('link', { name: /Open ticket #\d+/ }).click();
    await page.waitForURL(/\/tickets\/\d+$/);
    await page.getByRole('link', { name: /original-message\.eml/ }).waitFor();

    // Right to left.
    await page.getByTestId('language-switch').click();
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await page.goto('/admin/email');
    await page.getByTestId('inbound-table').getByRole('row').filter({ hasText: broken[1]! }).waitFor();
    await page.getByText('بانتظار خادم إرسال').first().waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await shot(page, 'email-ar-01-admin-email');
    await page.getByRole('tab', { name: 'صناديق البريد' }).click();
    await page.getByTestId('mailboxes-table').getByRole('row').filter({ hasText: SUPPORT }).waitFor();
    await shot(page, 'email-ar-02-admin-mailboxes');
    await page.getByRole('button', { name: `تعديل ${IMAP}` }).click();
    await page.getByRole('dialog').getByText('محفوظة — اتركها فارغة للإبقاء عليها.').waitFor();
    await shot(page, 'email-ar-03-mailbox-dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'إلغاء' }).click();
    await page.goto(`/tickets/${spoof.ticket!.number}`);
    await page.getByTestId('sender-unverified').waitFor();
    await shot(page, 'email-ar-04-unverified-sender');
    // Back to English for the tests that follow.
    await page.getByTestId('language-switch').click();
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');
    assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), [], 'no browser errors');
  } finally {
    await context.close();
  }
});
