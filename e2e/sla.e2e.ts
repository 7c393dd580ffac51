// A key account officer opens a Key Accounts ticket and sees its service-level clocks counting
// down in business time, with why each is due when it is; then the same in Arabic, right to left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newSession, shot, signIn, USERS } from './harness.ts';

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
