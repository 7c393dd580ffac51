// An agent opens a service-failure complaint for a customer, fixes the
// missing consignee contact the server asks for, replies, notes and solves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choose, newSession, shot, signIn, USERS } from './harness.ts';

const CONTACT_EMAIL = 'khalid@alfanar-trading.example';

test('agent creates, answers, notes and solves a service-failure complaint (English)', async () => {
  const { context, page, errors } = await newSession();
  try {
    await page.goto('/sign-in');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
    await shot(page, 'en-01-sign-in');
    await signIn(page, USERS.sara);
    if ((await page.evaluate(() => document.documentElement.lang)) === 'ar') {
      await page.getByTestId('language-switch').click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
    }
    await page.getByTestId('queue-count-mine').waitFor();
    await shot(page, 'en-02-queue');

    // New ticket for a contact found by email.
    await page.getByRole('link', { name: 'New ticket' }).click();
    await page.waitForURL(/\/tickets\/new$/);
    await page.getByLabel('Requester email').fill(CONTACT_EMAIL);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByTestId('requester-selected').waitFor();

    await choose(page, 'Category', 'Service-failure complaint');
    await page.getByTestId('shipment-details').waitFor();
    const subject = `Parcel delivered damaged ${Date.now()}`;
    await page.getByLabel('Subject').fill(subject);
    await page.getByLabel('Description').fill('The customer says the parcel arrived with a crushed box.');
    await page.getByLabel('Tracking number').fill('SA1234567890');
    await page.getByLabel('Shipper name').fill('Alfanar Trading');
    await page.getByLabel('Shipper phone').fill('+966501234567');
    await page.getByLabel('Consignee name').fill('Noura Al-Harbi');
    await choose(page, 'Group', /Customer Service/);
    await page.getByRole('button', { name: 'Create ticket' }).click();

    // The server names the missing consignee contact; it shows under that input.
    const consigneePhone = page.getByLabel('Consignee phone');
    await page.waitForFunction(
      () => document.querySelector('input[aria-invalid="true"]') !== null,
    );
    assert.equal(await consigneePhone.getAttribute('aria-invalid'), 'true');
    const describedBy = (await consigneePhone.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(/\s+/).find((id) => id.includes('error'));
    assert.ok(errorId, `consignee phone has an error description (${describedBy})`);
    const errorText = await page.locator(`[id="${errorId}"]`).innerText();
    assert.match(errorText, /consignee/i);
    assert.ok(page.url().endsWith('/tickets/new'));
    await shot(page, 'en-03-new-ticket-error');

    await consigneePhone.fill('+966551112233');
    await page.getByRole('button', { name: 'Create ticket' }).click();
    await page.waitForURL(/\/tickets\/\d+$/);
    await page.getByTestId('ticket-title').filter({ hasText: subject }).waitFor();

    // Public reply.
    const reply = `We are sorry about the damage ${Date.now()}`;
    await page.getByLabel('Reply to the customer').fill(reply);
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByTestId('message-reply').filter({ hasText: reply }).waitFor();

    // Internal note.
    await page.getByRole('tab', { name: 'Internal note' }).click();
    const note = `Checked with operations, box crushed at hub ${Date.now()}`;
    await page.getByLabel('Internal note text').fill(note);
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByTestId('message-note').filter({ hasText: note }).waitFor();
    await shot(page, 'en-04-ticket-messages');

    // Solve: the dialog asks for a reason code and the resolution.
    await choose(page, 'Status', 'Solved');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await choose(page, 'Contact reason', /.+/);
    await dialog.getByRole('button', { name: 'Solve', exact: true }).click();
    // Without the resolution the server names each missing field.
    await page.waitForFunction(() => document.querySelector('[role="dialog"] textarea[aria-invalid="true"]') !== null);
    assert.equal(await dialog.getByLabel('Root cause').getAttribute('aria-invalid'), 'true');
    await shot(page, 'en-05-solve-errors');
    await dialog.getByLabel('Root cause').fill('Parcel crushed during sorting at the Riyadh hub.');
    await dialog.getByLabel('Solution').fill('Replacement sent and damage claim opened.');
    await dialog.getByLabel('Action taken').fill('Hub supervisor briefed on handling fragile parcels.');
    await dialog.getByRole('button', { name: 'Solve', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    const timeline = page.getByTestId('timeline');
    await page.getByTestId('resolution').waitFor();
    await timeline.getByTestId('timeline-event').filter({ hasText: /Status: .*→.*Solved/ }).first().waitFor();
    const text = await timeline.innerText();
    assert.ok(text.includes(reply), 'timeline shows the reply');
    assert.ok(text.includes(note), 'timeline shows the note');
    await shot(page, 'en-06-solved');
    assert.deepEqual(
      errors.filter((e) => !/status of 4\d\d/.test(e)),
      [],
      'no browser errors',
    );
  } finally {
    await context.close();
  }
});
