// A customer service manager's look at performance: the live dashboard, then the resolution-time
// report filtered to the Key Accounts group, then the tickets behind its bar; and the same report
// in Arabic, right to left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { choose, DEMO_PASSWORD, newSession, shot, signIn, USERS } from './harness.ts';

async function setLanguage(page: Page, lang: 'en' | 'ar'): Promise<void> {
  const res = await page.request.patch('/api/v1/me', { data: { language: lang } });
  assert.equal(res.status(), 200, await res.text());
  await page.evaluate((l) => localStorage.setItem('caredesk.language', l), lang);
  await page.reload();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

test('a manager opens the dashboard, filters resolution time to Key Accounts and drills into the tickets behind a bar', async () => {
  const { context, page, errors } = await newSession();
  try {
    // Sara solves a Key Accounts ticket today, so the report has a bar for that group.
    const login = await page.request.post('/api/v1/auth/login', { data: { email: USERS.sara, password: DEMO_PASSWORD } });
    const auth = { authorization: `Bearer ${(await login.json()).token as string}` };
    const json = async (p: Promise<{ json(): Promise<unknown> }>) => (await p).json() as Promise<Record<string, unknown>>;
    const groups = (await json(page.request.get('/api/v1/groups', { headers: auth }))).items as { id: string; name: string }[];
    const cats = (await json(page.request.get('/api/v1/categories', { headers: auth }))).items as { id: string; key: string }[];
    const reasons = (await json(page.request.get('/api/v1/reason-codes', { headers: auth }))).items as { id: string; code: string }[];
    const me = await json(page.request.get('/api/v1/me', { headers: auth }));
    const subject = `Pallet labels for Jeddah ${Date.now()}`;
    const made = await page.request.post('/api/v1/tickets', {
      headers: auth,
      data: {
        subject,
        categoryId: cats.find((c) => c.key === 'supplies')!.id,
        requester: { email: 'reports-e2e@example.com', name: 'Reports E2E' },
        groupId: groups.find((g) => g.name === 'Key Accounts SA')!.id,
        assigneeId: me.id,
      },
    });
    assert.equal(made.status(), 201, await made.text());
    const ticket = (await made.json()) as { id: string; number: number };
    assert.equal((await page.request.post(`/api/v1/tickets/${ticket.id}/messages`, { headers: auth, data: { kind: 'reply', bodyText: 'Labels are on their way.' } })).status(), 201);
    const current = (await json(page.request.get(`/api/v1/tickets/${ticket.id}`, { headers: auth }))) as { version: number };
    const solved = await page.request.patch(`/api/v1/tickets/${ticket.id}`, {
      headers: auth,
      data: { version: current.version, status: 'solved', reasonCodeId: reasons[0]!.id, resolution: { rootCause: 'Ran out', solution: 'Sent labels', actionTaken: 'Shipped 200 labels' } },
    });
    assert.equal(solved.status(), 200, await solved.text());
    await context.clearCookies();

    await page.goto('/sign-in');
    await signIn(page, USERS.manager);
    await setLanguage(page, 'en');
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL(/\/reports$/);
    const dashboard = page.getByTestId('reports-dashboard');
    await dashboard.getByTestId('live-queues').getByText('Key Accounts SA').waitFor();
    await dashboard.getByTestId('live-agents').getByText('Sara Al-Otaibi').waitFor();
    // Today's resolution time counts the ticket just solved.
    await dashboard.getByTestId('kpi-resolution_time').getByTestId('kpi-value').filter({ hasText: /h$/ }).waitFor();
    await shot(page, 'reports-01-dashboard');

    await dashboard.getByTestId('open-reports').click();
    await page.waitForURL(/\/reports\/resolution_time/);
    await choose(page, 'Group', 'Key Accounts SA');
    await page.waitForURL(/groupId=/);
    const buckets = page.getByTestId('report-buckets');
    // Filtered to one group, the breakdown by group has exactly that group's bar (the other
    // groups' rows stay on screen until the filtered answer arrives).
    await buckets.locator('tbody tr').nth(1).waitFor({ state: 'detached' });
    assert.match(await buckets.locator('tbody tr').first().innerText(), /Key Accounts SA/);
    await shot(page, 'reports-02-resolution-key-accounts');

    await page.getByTestId('report-chart').locator('.recharts-bar-rectangle path').first().click();
    await page.waitForURL(/key=/);
    const drill = page.getByTestId('drill-tickets');
    await drill.getByText(subject).waitFor();
    assert.match(await drill.innerText(), /Solved/);
    await shot(page, 'reports-03-drill-down');
    await drill.getByRole('link', { name: new RegExp(`#${ticket.number}`) }).click();
    await page.waitForURL(new RegExp(`/tickets/${ticket.number}$`));

    // The same report in Arabic: right to left, the bars laid out from the right.
    await page.goBack();
    await setLanguage(page, 'ar');
    await page.getByTestId('drill-tickets').getByText(subject).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await page.getByText('زمن الحل حسب المجموعة').waitFor();
    await shot(page, 'reports-04-arabic');
    await setLanguage(page, 'en');
    assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), []);
  } finally {
    await context.close();
  }
});
