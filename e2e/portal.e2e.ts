// The customer portal on a phone (375 px) in Arabic: a customer asks for a sign-in link, which
// reaches a real SMTP sink through the outbox; opens it; opens a shipment ticket through the
// category's form (the same required fields agents have: missing ones are shown in Arabic), with a
// file; an agent replies (and writes an internal note); the customer sees the reply, not the note,
// and answers. Also: the portal is installable (manifest, service worker) and fits the screen.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startSmtpSink, eventually, type SmtpSink } from '../server/src/test/smtp-sink.ts';
import { apiAs, env, newSession, shot, USERS } from './harness.ts';

const CUSTOMER = 'khalid@alfanar-trading.example';
const stamp = Date.now().toString(36);
const SUBJECT = `الشحنة SA77${stamp} لم تصل`;
const REPLY = `وجدنا شحنتك وستصل غداً ${stamp}`;
const NOTE = `internal-note-${stamp}`;

let sink: SmtpSink | null = null;
after(async () => {
  await sink?.close();
});


async function noHorizontalScroll(page: Page, where: string) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width + 1, `${where}: page is ${scroll}px wide on a ${width}px screen`);
}

test('portal: an Arabic-speaking customer on a phone opens a ticket and sees the agent reply', async () => {
  const { baseUrl } = await env();
  sink = await startSmtpSink();
  const admin = await apiAs(USERS.admin);

  // The portal's mail leaves through the first mailbox's relay: point it at the sink.
  const boxes = await admin<{ items: { id: string; address: string; version: number }[] }>('GET', '/mailboxes');
  const demo = boxes.json.items.find((m) => m.address === 'support@demo.caredesk.test');
  assert.ok(demo, 'the demo mailbox exists');
  const relay = await admin('PATCH', `/mailboxes/${demo.id}`, { relayHost: '127.0.0.1', relayPort: sink.port, relayTls: false, version: demo.version });
  assert.equal(relay.status, 200, JSON.stringify(relay.json));

  const { context, page, errors } = await newSession({ width: 375, height: 812 });
  await context.addInitScript(() => localStorage.setItem('caredesk.language', 'ar'));

  // Not signed in: the portal asks who you are, in Arabic, right to left.
  await page.goto('/portal/');
  await page.waitForURL(/\/portal\/sign-in/);
  await page.getByRole('heading', { name: 'سجّل الدخول لمتابعة طلباتك' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.equal(await page.evaluate(() => document.querySelector('link[rel=manifest]')?.getAttribute('href')), '/portal/manifest.webmanifest');
  await noHorizontalScroll(page, 'sign-in');
  await shot(page, 'portal-01-sign-in-ar');

  // A wrong password is refused in Arabic.
  await page.getByTestId('portal-email').fill(CUSTOMER);
  await page.getByTestId('portal-password').fill('not-my-password');
  await page.getByTestId('portal-submit').click();
  await page.getByTestId('portal-error').filter({ hasText: 'البريد الإلكتروني أو كلمة المرور غير صحيحة' }).waitFor();

  // Sign in by emailed link.
  await page.getByText('رابط بالبريد').click();
  await page.getByTestId('portal-submit').click();
  await page.getByTestId('portal-sent').waitFor();
  await shot(page, 'portal-02-link-sent-ar');
  const mail = await eventually(async () => sink!.messages.find((m) => m.envelope.to.includes(CUSTOMER) && /#token=cdl_/.test(m.parsed.text ?? '')), 'the sign-in email');
  const link = /(https?:\/\/\S+#token=cdl_[A-Za-z0-9_-]+)/.exec(mail.parsed.text ?? '')![1]!;
  const url = new URL(link);
  assert.equal(url.pathname, '/portal/link');
  // The link names the configured public address; the test server listens on another host name.
  await page.goto(`${baseUrl}${url.pathname}${url.hash}`);
  await page.waitForURL((u) => u.pathname === '/portal/' || u.pathname === '/portal');
  await page.getByRole('heading', { name: 'طلباتي' }).waitFor();
  assert.ok(!page.url().includes('token'), 'the token leaves the address bar');
  await noHorizontalScroll(page, 'my requests');
  await shot(page, 'portal-03-my-requests-ar');

  // Live chat is on the portal too, in Arabic, knowing who the customer is.
  await page.getByTestId('chat-launcher').click();
  // The pre-chat form when an agent is available, the leave-a-message form when not: both ask who you are.
  await page.locator('[data-testid=chat-prechat-form], [data-testid=chat-offline-form]').waitFor();
  assert.equal(await page.getByLabel('البريد الإلكتروني').inputValue(), CUSTOMER);
  assert.notEqual(await page.getByLabel('اسمك').inputValue(), '');
  await shot(page, 'portal-03b-chat-ar');
  await page.getByRole('button', { name: 'إغلاق المحادثة' }).click();

  // A shipment category's form: the shipment details are required, as for agents.
  await page.getByTestId('portal-new-ticket').click();
  await page.getByRole('combobox', { name: 'بخصوص ماذا؟' }).click();
  await page.getByRole('option', { name: 'تتبع شحنة' }).click();
  await page.getByTestId('portal-subject').fill(SUBJECT);
  await page.getByTestId('portal-description').fill('الشحنة متأخرة ثلاثة أيام والمستلم ينتظر.');
  await page.getByTestId('portal-submit-ticket').click();
  await page.getByText('رقم التتبع مطلوب.').waitFor().catch(async () => {
    await page.getByTestId('portal-error').waitFor();
  });
  await noHorizontalScroll(page, 'new request with errors');
  await shot(page, 'portal-04-new-request-missing-fields-ar');

  await page.getByLabel('رقم التتبع').fill(`SA77${stamp}`);
  await page.getByLabel('اسم الشاحن').fill('الفنار للتجارة');
  await page.getByLabel('هاتف الشاحن').fill('+966112345678');
  await page.getByLabel('اسم المستلم').fill('متجر جدة');
  await page.getByLabel('هاتف المستلم').fill('+966501112222');
  await page.getByTestId('portal-file-input').setInputFiles({ name: 'waybill.txt', mimeType: 'text/plain', buffer: Buffer.from('waybill SA77') });
  await page.getByText('waybill.txt').waitFor();
  await page.getByTestId('portal-submit-ticket').click();
  await page.waitForURL(/\/portal\/tickets\/\d+$/);
  const number = Number(page.url().split('/').pop());
  await page.getByTestId('portal-message').filter({ hasText: 'الشحنة متأخرة' }).waitFor();
  await page.getByTestId('portal-promise').waitFor();
  await shot(page, 'portal-05-ticket-opened-ar');

  // The agent sees a portal ticket with the customer's file, writes a note and replies.
  const agent = await apiAs(USERS.sara);
  const tk = await admin<{ channel: string; shipment: { trackingNumber: string } }>('GET', `/tickets/${number}`);
  assert.equal(tk.json.channel, 'portal');
  assert.equal(tk.json.shipment.trackingNumber, `SA77${stamp}`);
  const msgs = await admin<{ items: { channel: string; attachments: { filename: string }[] }[] }>('GET', `/tickets/${number}/messages`);
  assert.equal(msgs.json.items[0]!.channel, 'portal');
  assert.equal(msgs.json.items[0]!.attachments[0]!.filename, 'waybill.txt');
  assert.equal((await admin('POST', `/tickets/${number}/messages`, { kind: 'note', bodyText: NOTE })).status, 201);
  const reply = await admin('POST', `/tickets/${number}/messages`, { kind: 'reply', bodyText: REPLY });
  assert.equal(reply.status, 201, JSON.stringify(reply.json));
  void agent;

  // The customer sees the reply, never the note.
  await page.reload();
  await page.getByTestId('portal-message').filter({ hasText: REPLY }).waitFor();
  assert.equal(await page.getByText(NOTE).count(), 0, 'internal notes stay internal');
  await page.getByTestId('portal-reply').fill('شكراً لكم!');
  await page.getByTestId('portal-send').click();
  await page.getByTestId('portal-message').filter({ hasText: 'شكراً لكم!' }).waitFor();
  await noHorizontalScroll(page, 'ticket');
  await shot(page, 'portal-06-agent-reply-seen-ar');

  // Installable: the manifest and a service worker controlling /portal/.
  const manifest = await (await fetch(`${baseUrl}/portal/manifest.webmanifest`)).json();
  assert.equal(manifest.start_url, '/portal/');
  assert.ok(manifest.icons.some((i: { sizes: string }) => i.sizes === '512x512'));
  const scope = await page.evaluate(() =>
    Promise.race([navigator.serviceWorker.ready.then((r) => r.scope), new Promise<null>((res) => setTimeout(() => res(null), 10_000))]),
  );
  assert.ok(scope?.endsWith('/portal/'), `service worker scope: ${scope}`);

  // 401 (wrong password) and 400 (the form sent without its required fields) are part of the story.
  assert.deepEqual(errors.filter((e) => !/status of 40[01]/.test(e)), []);
  await context.close();
});

test('portal: agents flag a contact as the account administrator on the contact page', async () => {
  const { page, context } = await newSession();
  const { signIn } = await import('./harness.ts');
  await signIn(page, USERS.admin);
  const admin = await apiAs(USERS.admin);
  const list = await admin<{ items: { id: string; identities: { value: string }[] }[] }>('GET', '/contacts?q=khalid');
  const khalid = list.json.items.find((c) => c.identities.some((i) => i.value === CUSTOMER))!;
  await page.goto(`/contacts/${khalid.id}`);
  const toggle = page.getByTestId('account-admin-switch');
  await toggle.waitFor();
  const saved = page.waitForResponse((r) => r.url().includes(`/contacts/${khalid.id}`) && r.request().method() === 'PATCH');
  await page.getByLabel('Portal account administrator').click();
  assert.equal((await saved).status(), 200);
  await page.waitForFunction(() => (document.querySelector('[data-testid=account-admin-switch]') as HTMLInputElement | null)?.checked === true);
  const after = await admin<{ accountAdmin: boolean }>('GET', `/contacts/${khalid.id}`);
  assert.equal(after.json.accountAdmin, true);
  await shot(page, 'portal-07-agent-contact-account-admin');
  await context.close();
});
