// A key account officer's day: her key accounts and today's proactive call, the call's outcome
// logged, then the account page with its revenue chart and tickets from email and the web.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, newSession, shot, signIn, USERS } from './harness.ts';

test('officer sees her key accounts and a due call, logs the outcome, and opens the account 360', async () => {
  const { context, page, errors } = await newSession();
  try {
    // A web ticket for Al Fanar, so the account has tickets from the web as well as by email.
    const login = await page.request.post('/api/v1/auth/login', { data: { email: USERS.sara, password: DEMO_PASSWORD } });
    const token = (await login.json()).token as string;
    const auth = { authorization: `Bearer ${token}` };
    const cats = (await (await page.request.get('/api/v1/categories', { headers: auth })).json()).items as { id: string; key: string }[];
    const contact = await (await page.request.post('/api/v1/contacts/lookup', { headers: auth, data: { kind: 'email', value: 'khalid@alfanar-trading.example' } })).json();
    const subject = `Portal login question ${Date.now()}`;
    const made = await page.request.post('/api/v1/tickets', {
      headers: auth,
      data: { subject, categoryId: cats.find((c) => c.key === 'general-inquiry')!.id, requesterId: contact.id, channel: 'web', description: 'Cannot sign in to the portal.' },
    });
    assert.equal(made.status(), 201);
    // That sign-in set the session cookie; the officer signs in through the form herself.
    await context.clearCookies();

    await page.goto('/sign-in');
    await signIn(page, USERS.sara);
    if ((await page.evaluate(() => document.documentElement.lang)) === 'ar') {
      await page.getByTestId('language-switch').click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
    }
    await page.getByRole('link', { name: 'Key accounts' }).click();
    await page.waitForURL(/\/key-accounts$/);
    const mine = page.getByTestId('my-key-accounts');
    await mine.getByText('Al Fanar Trading').waitFor();
    const call = page.getByTestId('contact-task').filter({ hasText: 'Al Fanar Trading' }).filter({ hasText: 'Due today' });
    await call.waitFor();
    assert.match(await call.innerText(), /Call/);
    await shot(page, 'ka-01-my-key-accounts');

    await call.getByRole('button', { name: 'Log outcome' }).click();
    await page.getByLabel('Outcome (call notes or visit report)').fill('Spoke with Khalid: the Jeddah cartons arrived; he asked for more labels.');
    await call.getByRole('button', { name: 'Save and mark done' }).click();
    await page.getByTestId('contact-task').filter({ hasText: 'Al Fanar Trading' }).filter({ hasText: 'Due today' }).waitFor({ state: 'detached' });
    // The next weekly call is now on the list, a week later.
    await page.getByTestId('contact-task').filter({ hasText: 'Al Fanar Trading' }).first().waitFor();
    await shot(page, 'ka-02-call-logged');

    await mine.getByRole('link', { name: 'Al Fanar Trading' }).click();
    await page.waitForURL(/\/accounts\/[0-9a-f-]+$/);
    assert.match(await page.getByTestId('key-account-status').innerText(), /^key account$/i);
    await page.getByTestId('revenue-chart').locator('svg').first().waitFor();
    const open = page.getByTestId('account-open-tickets');
    await open.getByText(subject).waitFor();
    const tickets = (await open.innerText()) + '\n' + (await page.getByTestId('account-recent-tickets').innerText());
    assert.match(tickets, /\bWeb\b/i);
    assert.match(tickets, /\bEmail\b/i);
    await page.getByTestId('rank-history').waitFor();
    // The demo's urgent Al Fanar ticket had its first response: the 360 view counts it.
    assert.match(await page.getByTestId('account-sla-compliance').innerText(), /First response[\s\S]*[1-9]\d* met · \d+ missed[\s\S]*\d+\s?%/);
    await shot(page, 'ka-03-account-360');

    // The officer asks for supplies through the form, then moves the request one step along.
    const label = `Shipping labels ${Date.now()}`;
    const form = page.getByTestId('supplies-form');
    await form.getByLabel('Item').fill(label);
    await form.getByLabel('Quantity').fill('250');
    await form.getByRole('button', { name: 'Request supplies' }).click();
    const request = page.getByTestId('supplies-request').filter({ hasText: `${label} × 250` });
    await request.getByText('Requested').waitFor();
    await request.getByRole('button', { name: 'Mark Approved' }).click();
    await request.getByText('Approved', { exact: true }).waitFor();
    await shot(page, 'ka-04-supplies-requested');
    assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('a manager imports Finance revenue in Arabic and reads why each refused row was refused, in Arabic', async () => {
  const { context, page, errors } = await newSession();
  try {
    await page.goto('/sign-in');
    if ((await page.evaluate(() => document.documentElement.lang)) !== 'ar') {
      await page.getByTestId('language-switch').click();
      await page.waitForFunction(() => document.documentElement.lang === 'ar');
    }
    await signIn(page, USERS.manager);
    await page.goto('/key-accounts/revenue');
    const file = page.locator('input[type=file]');
    const upload = async (name: string, csv: string) => {
      await file.setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByRole('button', { name: 'استيراد', exact: true }).click();
    };

    // A file without the month column is refused as a whole, in Arabic.
    await upload('no-month.csv', 'external_id,revenue,currency\nX-1,10,SAR\n');
    assert.match(await page.getByRole('alert').innerText(), /عمود ناقص: month/);

    // Rows refused one by one, each with its reason in Arabic and the value that was wrong.
    await upload('bad-rows.csv', 'external_id,month,revenue,currency\nNOPE-9,2031-13,10,SAR\nNOPE-9,2031-02,10,RIYAL\nNOPE-9,2031-02,10,SAR\n');
    await page.getByTestId('revenue-report').waitFor();
    const reasons = await page.getByTestId('revenue-rejection').allInnerTexts();
    assert.deepEqual(reasons, ['«2031-13» ليس شهرًا (استخدم YYYY-MM)', 'العملة «RIYAL» ليست رمزًا من ثلاثة أحرف', 'لا يوجد حساب بالمعرّف الخارجي «NOPE-9»']);
    await shot(page, 'ka-03-revenue-import-ar');
    assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), [], 'no browser errors');
  } finally {
    await context.close();
  }
});
