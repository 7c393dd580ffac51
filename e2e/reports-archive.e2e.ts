// A manager opens the report archive, produces last month's Key Account Report if the schedule
// has not yet, opens it, sees its charts, and downloads its PDF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { choose, newSession, shot, signIn, USERS } from './harness.ts';

test('manager opens the monthly Key Account Report from the archive, sees its charts and downloads the PDF', async () => {
  const { context, page, errors } = await newSession();
  try {
    await page.goto('/sign-in');
    await signIn(page, USERS.manager);
    if ((await page.evaluate(() => document.documentElement.lang)) === 'ar') {
      await page.getByTestId('language-switch').click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
    }
    await page.goto('/reports');
    await page.getByTestId('open-report-archive').click();
    await page.waitForURL(/\/reports\/archive$/);
    await page.getByTestId('reports-archive').waitFor();

    // The schedule produces last month's report on start; producing it on demand is harmless either way.
    await choose(page, 'Report', 'Monthly Key Account Report');
    await page.getByTestId('produce-now').click();
    await page.getByText(/Report produced|already in the archive/).first().waitFor();
    const row = page.locator('[data-testid^="archive-row-monthly_key_accounts-"]').first();
    await row.waitFor();
    await shot(page, 'reports-archive-01-list');

    await row.getByTestId('open-archived').click();
    await page.waitForURL(/\/reports\/archive\/[0-9a-f-]+$/);
    const report = page.getByTestId('archived-report');
    await report.waitFor();
    assert.equal(await report.getAttribute('data-kind'), 'monthly_key_accounts');
    await page.getByRole('heading', { name: 'Monthly Key Account Report' }).waitFor();
    // Its charts are drawn: bars in the tickets and SLA charts (the demo's key accounts have tickets this month).
    for (const id of ['chart-tickets', 'chart-sla']) {
      const svg = page.getByTestId(id).locator('svg.recharts-surface').first();
      await svg.waitFor();
      const box = await svg.boundingBox();
      assert.ok(box && box.width > 100 && box.height > 100, `${id} is drawn`);
    }
    await page.getByTestId('monthly-accounts').waitFor();
    await shot(page, 'reports-archive-02-monthly');

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('download-pdf').click()]);
    assert.match(download.suggestedFilename(), /^key-account-report-\d{4}-\d{2}\.pdf$/);
    const file = await download.path();
    const pdf = await readFile(file!);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.ok(pdf.length > 5000, 'the PDF has content');
    // The same report in Arabic: right to left, its charts still drawn.
    await page.getByTestId('language-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'ar' && document.documentElement.dir === 'rtl');
    await page.getByRole('heading', { name: 'تقرير كبار العملاء الشهري' }).waitFor();
    await page.getByTestId('chart-tickets').locator('svg.recharts-surface').first().waitFor();
    await shot(page, 'reports-archive-03-monthly-ar');
    await page.getByTestId('language-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');

    // The sign-in page's session probe answers 401 before signing in.
    assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), [], 'no browser errors');
  } finally {
    await context.close();
  }
});
