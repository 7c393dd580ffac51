// Two agents edit the same ticket: the second save is refused with a clear
// message and a reload button. Attachments go up before the reply is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { choose, newSession, shot, signIn, USERS } from './harness.ts';

test('a stale ticket save asks to reload; a reply carries an attachment', async () => {
  const a = await newSession();
  const b = await newSession();
  try {
    for (const s of [a, b]) {
      await signIn(s.page, USERS.manager);
      await s.page.goto('/queues/all?status=new,open');
      await s.page.getByTestId('ticket-row').first().click();
      await s.page.waitForURL(/\/tickets\/\d+$/);
    }
    const number = a.page.url().split('/').pop();
    await b.page.goto(`/tickets/${number}`);
    await a.page.getByTestId('fields-panel').waitFor();
    await b.page.getByTestId('fields-panel').waitFor();

    // Two different changes, both away from the current priority.
    const current = await a.page.getByRole('combobox', { name: 'Priority', exact: true }).inputValue();
    const aPick = current === 'Urgent' ? 'High' : 'Urgent';
    const bPick = current === 'Low' ? 'Normal' : 'Low';
    await choose(a.page, 'Priority', aPick);
    await a.page.getByRole('button', { name: 'Save', exact: true }).click();
    await a.page.getByText('Ticket saved').waitFor();

    await choose(b.page, 'Priority', bPick);
    await b.page.getByRole('button', { name: 'Save', exact: true }).click();
    const conflict = b.page.getByTestId('version-conflict');
    await conflict.waitFor();
    assert.match(await conflict.innerText(), /Someone else changed this ticket; reload to see their changes/);
    await shot(b.page, 'conflict-01');
    await conflict.getByRole('button', { name: 'Reload' }).click();
    await conflict.waitFor({ state: 'hidden' });
    await b.page.waitForFunction(
      (v) => (document.querySelector(`[data-testid="fields-panel"] input[value="${v}"]`) as HTMLInputElement | null) !== null,
      aPick,
    );

    const file = join(tmpdir(), `proof-${Date.now()}.txt`);
    await writeFile(file, 'photo of the crushed box');
    await b.page.locator('[data-testid="composer"] input[type=file]').setInputFiles(file);
    await b.page.getByLabel('Reply to the customer').fill('Please see the attached proof.');
    const send = b.page.getByRole('button', { name: 'Send reply' });
    await b.page.waitForFunction(() => {
      const btn = [...document.querySelectorAll('button')].find((x) => x.textContent === 'Send reply');
      return btn && !btn.disabled;
    });
    await send.click();
    const link = b.page.getByTestId('message-reply').filter({ hasText: 'Please see the attached proof.' }).getByRole('link', { name: /proof-/ });
    await link.waitFor();
    const res = await b.page.request.get((await link.getAttribute('href'))!);
    assert.equal(res.status(), 200);
    assert.equal(await res.text(), 'photo of the crushed box');
  } finally {
    await a.context.close();
    await b.context.close();
  }
});
