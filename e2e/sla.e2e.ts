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

test('a supervisor sees an at-risk ticket rise to the top of a queue sorted by deadline, with its countdown, and gets the escalation in the bell', async () => {
  const adminSession = await newSession();
  const { context, page, errors } = await newSession();
  const admin = adminSession.page;
  try {
    await admin.goto('/sign-in');
    await signIn(admin, USERS.admin);
    const call = async (method: 'get' | 'post' | 'put', path: string, data?: unknown) => {
      const res = await admin.request[method](`/api/v1${path}`, data === undefined ? {} : { data });
      assert.ok(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`);
      return res.json();
    };
    const users = (await call('get', '/users')).items as { id: string; email: string }[];
    const layla = users.find((u) => u.email === 'layla@demo.caredesk.test')!;
    const categories = (await call('get', '/categories')).items as { id: string; key: string }[];
    const categoryId = categories.find((c) => c.key === 'general-inquiry')!.id;
    // A group of its own, so the queue holds only this test's tickets; Layla supervises it.
    const group = await call('post', '/groups', { name: `Escalation desk ${Date.now()}`, kind: 'other', memberIds: [layla.id] });
    // Halfway-ish through a resolution target, the supervisors hear of it and the priority goes up.
    const ladder = await call('post', '/sla-ladders', {
      name: `E2E ladder ${Date.now()}`,
      steps: [{ key: 'warn', target: 'resolution', at: { kind: 'percent', value: 40 }, actions: [{ type: 'notify', recipients: ['supervisors'] }, { type: 'raise_priority' }] }],
    });
    await call('post', '/sla-policies', {
      name: `E2E escalation desk ${Date.now()}`,
      position: 0,
      conditions: { groupIds: [group.id] },
      targets: [
        { kind: 'resolution', priority: 'urgent', amount: 200, unit: 'calendar_minutes' },
        { kind: 'resolution', priority: 'high', amount: 160, unit: 'calendar_minutes' },
        { kind: 'resolution', priority: 'normal', amount: 300, unit: 'calendar_minutes' },
      ],
      ladderId: ladder.id,
    });
    const create = (subject: string, priority: string) =>
      call('post', '/tickets', { subject, categoryId, priority, groupId: group.id, requester: { email: 'waiting@example.com', name: 'Waiting Customer' } });
    // Urgent: due in 200 minutes. Normal: due in 300, so it starts second.
    const urgent = await create('Urgent but on track', 'urgent');
    const quiet = await create('Quiet one that will slip', 'normal');

    await page.goto('/sign-in');
    await signIn(page, 'layla@demo.caredesk.test');
    await inEnglish(page);
    await page.goto(`/queues/groups?groupId=${group.id}&sort=sla_due`);
    const rows = page.getByTestId('ticket-list').getByTestId('ticket-row');
    await rows.nth(1).waitFor();
    assert.match(await rows.first().innerText(), new RegExp(`#${urgent.number}`));
    assert.match(await rows.nth(1).innerText(), new RegExp(`#${quiet.number}`));
    await shot(page, 'sla-05-queue-before');

    // 130 minutes on: the normal ticket passed 40% (120 min) of its target, so its step ran: high
    // priority, a 160-minute target, due 30 minutes from now and at risk; the urgent one is on track.
    await call('put', '/test/sla-clock', { offsetMinutes: 130 });
    let top = '';
    for (let i = 0; i < 60; i++) {
      await page.reload();
      await rows.nth(1).waitFor();
      top = await rows.first().innerText();
      if (top.includes(`#${quiet.number}`) && /at risk/i.test(top)) break;
      await page.waitForTimeout(1000);
    }
    assert.match(top, new RegExp(`#${quiet.number}`), 'the slipping ticket is now first');
    const first = rows.first();
    assert.equal(await first.getByTestId('sla-queue-badge').textContent(), 'At risk');
    assert.match(await first.getByTestId('sla-queue-countdown').innerText(), /^due in (2\d|30) min$/);
    await shot(page, 'sla-06-queue-risen');

    // The escalation is in Layla's bell (the bell polls; reloading asks at once).
    const bell = page.getByTestId('notifications-bell');
    await page.locator(`[data-testid="notifications-count"][data-count]:not([data-count="0"])`).waitFor();
    await bell.click();
    const note = page.getByTestId('notification-item').filter({ hasText: `#${quiet.number}` });
    await note.waitFor();
    assert.match(await note.innerText(), /Resolution escalation · step warn/);
    await shot(page, 'sla-07-bell');
    await note.click();
    await page.waitForURL(new RegExp(`/tickets/${quiet.number}$`));
    await page.getByTestId('sla-clock-resolution').getByTestId('sla-countdown').waitFor();
    assert.match(await page.getByTestId('sla-clock-resolution').getByTestId('sla-countdown').innerText(), /business time left/);
    assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), [], 'no browser errors');
  } finally {
    await admin.request.put('/api/v1/test/sla-clock', { data: { offsetMinutes: 0 } }).catch(() => {});
    await context.close();
    await adminSession.context.close();
  }
});

test('an admin edits an escalation ladder, sees a refused step explained beside it, and sets which statuses pause the clock', async () => {
  const { context, page, errors } = await newSession();
  try {
    await page.goto('/sign-in');
    await signIn(page, USERS.admin);
    await inEnglish(page);
    await page.goto('/admin/sla-ladders');
    await page.getByTestId('sla-ladder-new').click();
    await page.getByTestId('sla-ladder-name').fill('Complaints ladder');
    await page.getByTestId('sla-ladder-add-step').click();
    const step = page.getByTestId('sla-ladder-step').first();
    // A step that does nothing is refused by the server; the reason shows inside the step.
    await step.getByRole('checkbox', { name: 'Assignee' }).uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await step.getByTestId('sla-ladder-step-error').first().waitFor();
    await step.getByRole('checkbox', { name: 'Group supervisors' }).check();
    await step.getByRole('switch', { name: 'Raise priority one step' }).check();
    await choose(page, 'When', 'Minutes before the deadline');
    await step.getByTestId('sla-ladder-at-value').fill('30');
    await page.getByRole('button', { name: 'Save' }).click();
    const row = page.getByTestId('sla-ladder-row').filter({ hasText: 'Complaints ladder' });
    await row.waitFor();
    assert.match(await row.innerText(), /30 min before the deadline: notify Group supervisors, Raise priority one step/);
    await shot(page, 'sla-08-ladders');

    await page.goto('/admin/sla-groups');
    const pause = page.getByTestId('sla-pause-settings');
    await pause.waitFor();
    await page.getByTestId('sla-pause-statuses').click({ force: true });
    await page.getByRole('option', { name: 'On hold' }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('sla-pause-save').click();
    await page.getByText('Saved').first().waitFor();
    const saved = await page.request.get('/api/v1/sla-settings');
    assert.deepEqual((await saved.json()).pauseStatuses.sort(), ['on-hold', 'pending']);
    // A group's internal target that is not a positive amount is refused beside the amount.
    const group = page.getByTestId('sla-group-row').first();
    await group.getByTestId('sla-group-amount').fill('0');
    await group.getByTestId('sla-group-save').click();
    await page.locator('[data-testid="sla-group-amount"][aria-invalid="true"]').first().waitFor();
    await shot(page, 'sla-09-groups-pauses');
    assert.deepEqual(errors.filter((e) => !/status of 40[01]/.test(e)), [], 'no browser errors');
  } finally {
    // Later browser tests expect the demo's pausing statuses.
    await page.request.put('/api/v1/sla-settings', { data: { pauseStatuses: ['pending'] } }).catch(() => {});
    await context.close();
  }
});
