// On a phone-sized screen the navbar hides behind a burger menu.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newSession, shot, signIn, USERS } from './harness.ts';

test('phone: sign in, open a queue from the burger menu, open a ticket', async () => {
  const { context, page, errors } = await newSession({ width: 390, height: 844 });
  try {
    await page.goto('/sign-in');
    await shot(page, 'phone-01-sign-in');
    await signIn(page, USERS.sara);
    if ((await page.evaluate(() => document.documentElement.lang)) === 'ar') {
      await page.getByTestId('language-switch').click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
    }
    const groupsLink = page.getByRole('link', { name: /My groups/ });
    assert.equal(await groupsLink.isVisible(), false, 'navbar starts hidden');
    await page.getByTestId('burger').click();
    await groupsLink.waitFor({ state: 'visible' });
    await shot(page, 'phone-02-menu');
    await groupsLink.click();
    await page.waitForURL(/\/queues\/groups$/);
    await groupsLink.waitFor({ state: 'hidden' });
    const row = page.getByTestId('ticket-row').first();
    await row.waitFor();
    await shot(page, 'phone-03-queue');
    // Nothing wider than the screen.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `page fits the phone (scrollWidth=${width})`);
    await row.click();
    await page.waitForURL(/\/tickets\/\d+$/);
    await page.getByTestId('ticket-title').waitFor();
    await page.getByTestId('timeline').waitFor();
    await shot(page, 'phone-04-ticket');
    const ticketWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(ticketWidth <= 390, `ticket page fits the phone (scrollWidth=${ticketWidth})`);
    assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), []);
  } finally {
    await context.close();
  }
});
