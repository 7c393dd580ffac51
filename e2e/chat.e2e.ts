// A customer on a plain shop page served from another port opens the chat widget (one script
// tag), chats with an agent who answers from the live chat console, and the transcript is the
// chat ticket's timeline. The widget also switches to Arabic, right to left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { env, newSession, shot, signIn, USERS } from './harness.ts';

async function english(page: import('playwright-core').Page) {
  if ((await page.evaluate(() => document.documentElement.lang)) === 'ar') {
    await page.getByTestId('language-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  }
}

function shopPage(caredesk: string): Promise<{ server: Server; url: string }> {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Al Fanar Shop</title></head>
<body style="font-family:sans-serif"><h1>Al Fanar Shop</h1><p>Plain page on its own port, no CareDesk code but the tag below.</p>
<script src="${caredesk}/widget.js" async></script></body></html>`;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })));
}

test('a customer chats from another site through the widget and the agent answers from the console', async () => {
  const { baseUrl } = await env();
  const shop = await shopPage(baseUrl);
  const agent = await newSession();
  const customer = await newSession();
  try {
    // The agent opens the console, which makes them available for chats.
    await signIn(agent.page, USERS.sara);
    await english(agent.page);
    await agent.page.goto('/chat');
    await agent.page.getByRole('heading', { name: 'Live chat' }).waitFor();
    for (let i = 0; i < 40; i++) {
      const r = await fetch(`${baseUrl}/api/v1/chat/widget/availability`).then((x) => x.json() as Promise<{ online: boolean }>);
      if (r.online) break;
      await new Promise((res) => setTimeout(res, 250));
    }

    // The customer, on the shop's origin, opens the widget and fills the pre-chat form.
    const page = customer.page;
    await page.goto(shop.url);
    assert.notEqual(new URL(shop.url).origin, new URL(baseUrl).origin);
    await page.getByTestId('chat-launcher').click();
    await page.getByTestId('chat-prechat-form').waitFor();
    await shot(page, 'chat-01-prechat');
    // Nothing to reach the customer by: the widget says so before sending.
    await page.getByLabel('Your name').fill('Nadia Shopper');
    await page.getByLabel('How can we help?').fill('My parcel SA900800700 has not arrived');
    await page.getByRole('button', { name: 'Start chat' }).click();
    await page.getByText('Enter an email address or a phone number so we can reach you.').waitFor();
    await page.getByLabel('Email').fill('nadia.shopper@example.net');
    await page.getByRole('button', { name: 'Start chat' }).click();
    await page.getByTestId('chat-status').getByText('Waiting for an agent…').waitFor();

    // The chat reaches the console live; the agent accepts it.
    const waiting = agent.page.getByTestId('chat-waiting').filter({ hasText: 'Nadia Shopper' });
    await waiting.waitFor();
    await shot(agent.page, 'chat-02-console-waiting');
    await waiting.getByRole('button', { name: 'Accept' }).click();
    const transcript = agent.page.getByTestId('chat-transcript');
    await transcript.getByText('My parcel SA900800700 has not arrived').waitFor();
    await page.getByTestId('chat-status').getByText(/is helping you/).waitFor();

    // Messages both ways.
    await page.getByTestId('chat-input').fill('It was due on Sunday.');
    await page.getByTestId('chat-send').click();
    await transcript.getByText('It was due on Sunday.').waitFor();
    await agent.page.getByRole('combobox', { name: 'Canned reply' }).click();
    await agent.page.getByRole('option', { name: 'Checking' }).click();
    assert.match(await agent.page.getByTestId('console-input').inputValue(), /let me check/);
    await agent.page.getByTestId('console-input').fill('It is out for delivery and arrives today.');
    await agent.page.getByTestId('console-send').click();
    await page.getByTestId('chat-body').getByText('It is out for delivery and arrives today.').waitFor();
    await shot(agent.page, 'chat-03-console-chatting');
    await shot(page, 'chat-04-widget-chatting');

    // The contact's history is beside the chat.
    await agent.page.getByText('Contact history').waitFor();

    // Arabic: the widget turns right to left.
    await page.getByTestId('chat-language').click();
    assert.equal(await page.getByTestId('chat-panel').getAttribute('dir'), 'rtl');
    await page.getByTestId('chat-send').getByText('إرسال').waitFor();
    await shot(page, 'chat-05-widget-arabic');

    // The transcript is the ticket's timeline.
    const ticketLink = agent.page.getByRole('link', { name: /^#\d+/ }).first();
    await ticketLink.click();
    await agent.page.waitForURL(/\/tickets\/\d+$/);
    for (const text of ['My parcel SA900800700 has not arrived', 'It was due on Sunday.', 'It is out for delivery and arrives today.']) {
      await agent.page.getByText(text).first().waitFor();
    }
    await shot(agent.page, 'chat-06-ticket-transcript');

    const benign = (e: string) => /status of 4\d\d/.test(e);
    assert.deepEqual(customer.errors.filter((e) => !benign(e)), []);
    assert.deepEqual(agent.errors.filter((e) => !benign(e)), []);
  } finally {
    await customer.context.close();
    await agent.context.close();
    await new Promise((r) => shop.server.close(r));
  }
});
