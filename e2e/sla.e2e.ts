// A key account officer opens a Key Accounts ticket and sees its service-level clocks counting
// down in business time, with why each is due when it is; then the same in Arabic, right to left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { choose, newSession, shot, signIn, USERS } from './harness.ts';

test('the ticket page shows each SLA clock with its countdown and explanation, in English and Arabic', async () => {
  const { context, page, errors } = await newSession();
  try {
    await page.goto('/sign-in');
    await signIn(page, USERS.sara);
    if ((await page.evaluate(() => document.documentElement.lang)) === 'ar') {
      await page.getByTestId('language-switch').click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
    }
    await page.getByTestId('queue-count-mine').waitFor();
    // The demo's urgent Key Accounts complaint is #10001.
    await page.goto('/tickets/10001');
    const panel = page.getByTestId('sla-panel');
    await panel.waitFor();
    const resolution = page.getByTestId('sla-clock-resolution');
    await resolution.waitFor();
    assert.match((await resolution.getByTestId('sla-state').textContent()) ?? '', /On track|At risk|Breached/);
    assert.match(await resolution.getByTestId('sla-countdown').innerText(), /business time left|Overdue since/);
    await resolution.getByRole('button', { name: 'Why this deadline' }).click();
    await resolution.getByText('Policy: Key Accounts: acted on within 72 hours').waitFor();
    await resolution.getByText('Calendar: Saudi Arabia (Sun-Thu)').waitFor();
    await shot(page, 'sla-01-ticket-clocks');

    await page.getByTestId('language-switch').click();
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await page.getByTestId('sla-panel').getByText('مستويات الخدمة').waitFor();
    assert.match((await page.getByTestId('sla-clock-resolution').getByTestId('sla-state').textContent()) ?? '', /ضمن الموعد|معرّض للتأخر|تجاوز الموعد/);
    await shot(page, 'sla-02-ticket-clocks-ar');
    // The first page asks who is signed in and gets 401 before the sign-in; that is expected.
    assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), [], 'no browser errors');
  } finally {
    await context.close();
  }
});

/**
 * Tests below assert English text whatever language the demo user last chose. Clicking the
 * header switch right after sign-in raced the page settling (a test once saw Arabic after the
 * switch), so the preference is set the way the switch stores it, then the page reloads.
 */
async function inEnglish(page: Page): Promise<void> {
  const res = await page.request.patch('/api/v1/me', { data: { language: 'en' } });
  assert.equal(res.status(), 200, await res.text());
  await page.evaluate(() => localStorage.setItem('caredesk.language', 'en'));
  await page.reload();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
}

test("an admin previews when an SLA policy's targets fall due, and sees the calendars", async () => {
  const { context, page, errors } = await newSession();
  try {
    await page.goto('/sign-in');
    await signIn(page, USERS.admin);
    await inEnglish(page);
    await page.goto('/admin/sla-calendars');
    await page.getByTestId('sla-calendars-table').getByText('Saudi Arabia (Sun-Thu)').click();
    // An unknown zone is refused by the server and shown under the zone field, not as a bare toast.
    await page.getByTestId('sla-calendar-zone').fill('Mars/Olympus');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid="sla-calendar-zone"][aria-invalid="true"]').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.goto('/admin/sla-policies');
    await page.getByTestId('sla-policies-table').getByText('Key Accounts: acted on within 72 hours').waitFor();
    const preview = page.getByTestId('sla-preview');
    await choose(page, 'Policy', 'Key Accounts: acted on within 72 hours');
    await preview.getByLabel('Opened at').fill('2026-12-03T13:00');
    await page.getByTestId('sla-preview-run').click();
    const rows = page.getByTestId('sla-preview-row');
    await rows.first().waitFor();
    assert.ok((await rows.count()) >= 1);
    assert.match(await rows.first().innerText(), /Saudi Arabia/);
    await shot(page, 'sla-03-policy-preview');
    // The refused time zone logs its 400 in the console; that one is expected.
    assert.deepEqual(errors.filter((e) => !/status of 40[01]/.test(e)), [], 'no browser errors');
  } finally {
    await context.close();
  }
});

test("an agent sees each ticket's SLA state and next due time in the queue, sorted by deadline", async () => {
  const { context, page, errors } = await newSession();
  try {
    await page.goto('/sign-in');
    await signIn(page, USERS.sara);
    await inEnglish(page);
    await page.goto('/queues/groups?sort=sla_due');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const list = page.getByTestId('ticket-list');
    await list.getByTestId('sla-queue-badge').first().waitFor();
    // Sorted by deadline, the first row is the one with the nearest (or most overdue) clock.
    const first = list.getByTestId('ticket-row').first();
    assert.match((await first.getByTestId('sla-queue-badge').textContent()) ?? '', /On track|At risk|Breached|Paused/);
    assert.match(await first.getByTestId('sla-queue-cell').innerText(), /First response|Next response|Resolution|Department target/);
    await shot(page, 'sla-04-queue-badges');
    assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), [], 'no browser errors');
  } finally {
    await context.close();
  }
});
