// An admin gives a category a call script; an agent logs a call from the
// contact's page following it, and the call is on the contact's timeline
// (their calls and the phone ticket it opened, marked with the channel).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choose, newSession, shot, signIn, USERS } from './harness.ts';

async function english(page: import('playwright-core').Page) {
  if ((await page.evaluate(() => document.documentElement.lang)) === 'ar') {
    await page.getByTestId('language-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  }
}

test('agent logs a call with its script and it appears on the contact timeline', async () => {
  const admin = await newSession();
  try {
    await signIn(admin.page, USERS.admin);
    await english(admin.page);
    await admin.page.goto('/admin/call-scripts');
    await admin.page.getByRole('button', { name: 'Edit the call script of General inquiry' }).click();
    await admin.page.getByTestId('script-steps').fill('Greet the caller by name\nAsk what the inquiry is about');
    await admin.page.getByTestId('script-checklist').fill('* Caller identity verified\nOffered the self-service portal');
    await admin.page.getByRole('button', { name: 'Save' }).click();
    await admin.page.getByRole('dialog').waitFor({ state: 'hidden' });
    await shot(admin.page, 'call-01-script-admin');
    assert.deepEqual(admin.errors.filter((e) => !/status of 4\d\d/.test(e)), []);
  } finally {
    await admin.context.close();
  }

  const { context, page, errors } = await newSession();
  try {
    await signIn(page, USERS.sara);
    await english(page);
    await page.goto('/contacts');
    await page.getByText('Khalid', { exact: false }).first().click();
    await page.waitForURL(/\/contacts\/[0-9a-f-]+$/);
    await page.getByTestId('calls-list').waitFor();

    await page.getByTestId('log-call').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // The contact's number is filled in from their phone identity.
    assert.equal(await page.getByTestId('call-number').inputValue(), '+966501234567');
    await choose(page, 'Category', 'General inquiry');
    await dialog.getByText('Greet the caller by name').waitFor();
    const notes = `Asked about Friday opening hours ${Date.now()}`;
    await page.getByTestId('call-subject').fill('Opening hours question');
    await choose(page, 'Outcome', 'Resolved on the call');
    await page.getByTestId('call-minutes').fill('3');
    await page.getByTestId('call-notes').fill(notes);

    // The script's required item must be confirmed: the server names it.
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('the script requires "Caller identity verified"').first().waitFor();
    await shot(page, 'call-02-required-item');
    await page.getByLabel(/Caller identity verified/).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = page.getByTestId('call-row').filter({ hasText: notes });
    await row.waitFor();
    assert.match(await row.innerText(), /Inbound/i);
    assert.match(await row.innerText(), /3:00/);
    assert.match(await row.innerText(), /1 of 2 checked/);
    const ticketRow = page.getByTestId('ticket-row').filter({ hasText: 'Opening hours question' });
    await ticketRow.waitFor();
    await shot(page, 'call-03-contact-timeline');

    await row.getByRole('link').click();
    await page.waitForURL(/\/tickets\/\d+$/);
    const msg = page.locator('[data-testid="timeline"] [data-channel="phone"]').filter({ hasText: notes });
    await msg.waitFor();
    assert.match(await msg.getByTestId('message-channel').innerText(), /Phone/i);
    await msg.getByTestId('message-call-checklist').getByText('Caller identity verified').waitFor();
    await shot(page, 'call-04-ticket-timeline');

    // The same in Arabic, right to left.
    await page.getByTestId('language-switch').click();
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await msg.getByText('واردة').waitFor();
    await page.getByTestId('log-call').click();
    await page.getByRole('dialog').getByText('نص المكالمة').first().waitFor();
    await shot(page, 'call-05-dialog-ar');
    await page.keyboard.press('Escape');
    await page.getByTestId('language-switch').click();
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');
    assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), []);
  } finally {
    await context.close();
  }
});
