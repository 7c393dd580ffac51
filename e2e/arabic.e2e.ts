// The same flow in Arabic: the whole workspace lays out right to left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choose, newSession, shot, signIn, USERS } from './harness.ts';

const CONTACT_EMAIL = 'khalid@alfanar-trading.example';

test('agent works a complaint in Arabic, right to left', async () => {
  const { context, page, errors } = await newSession();
  try {
    await page.goto('/sign-in');
    await page.getByTestId('language-switch').click();
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar');
    await page.getByRole('button', { name: 'تسجيل الدخول' }).waitFor();
    await shot(page, 'ar-01-sign-in');

    await signIn(page, USERS.manager, { submitLabel: /^تسجيل الدخول$/ });
    // The language chosen before signing in sticks.
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await page.getByRole('link', { name: 'كل التذاكر' }).waitFor();
    await page.getByTestId('queue-count-all').waitFor();
    await shot(page, 'ar-02-queue');

    await page.getByRole('link', { name: 'تذكرة جديدة' }).click();
    await page.waitForURL(/\/tickets\/new$/);
    await page.getByLabel('البريد الإلكتروني لمقدّم الطلب').fill(CONTACT_EMAIL);
    await page.getByRole('button', { name: 'ابحث', exact: true }).click();
    await page.getByTestId('requester-selected').waitFor();
    await choose(page, 'الفئة', 'شكوى فشل الخدمة');
    await page.getByTestId('shipment-details').waitFor();
    const subject = `شحنة تالفة ${Date.now()}`;
    await page.getByLabel('الموضوع').fill(subject);
    await page.getByLabel('الوصف').fill('وصلت الشحنة والصندوق مكسور.');
    await page.getByLabel('رقم التتبع').fill('SA9876543210');
    await page.getByLabel('اسم الشاحن').fill('شركة الفنار التجارية');
    await page.getByLabel('هاتف الشاحن').fill('+966501234567');
    await page.getByLabel('اسم المستلم').fill('نورة الحربي');
    await page.getByRole('button', { name: 'إنشاء التذكرة' }).click();
    const consigneePhone = page.getByLabel('هاتف المستلم');
    await page.waitForFunction(() => document.querySelector('input[aria-invalid="true"]') !== null);
    assert.equal(await consigneePhone.getAttribute('aria-invalid'), 'true');
    await shot(page, 'ar-03-new-ticket-error');
    await page.getByLabel('البريد الإلكتروني للمستلم').fill('noura@example.com');
    await page.getByRole('button', { name: 'إنشاء التذكرة' }).click();
    await page.waitForURL(/\/tickets\/\d+$/);
    await page.getByTestId('ticket-title').filter({ hasText: subject }).waitFor();

    const reply = `نعتذر عن التلف ${Date.now()}`;
    await page.getByLabel('الرد على العميل').fill(reply);
    await page.getByRole('button', { name: 'إرسال الرد' }).click();
    await page.getByTestId('message-reply').filter({ hasText: reply }).waitFor();

    await page.getByRole('tab', { name: 'ملاحظة داخلية' }).click();
    const note = `تم التواصل مع العمليات ${Date.now()}`;
    await page.getByLabel('نص الملاحظة الداخلية').fill(note);
    await page.getByRole('button', { name: 'إضافة الملاحظة' }).click();
    await page.getByTestId('message-note').filter({ hasText: note }).waitFor();

    await choose(page, 'الحالة', 'محلولة');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await choose(page, 'سبب التواصل', /.+/);
    await dialog.getByLabel('السبب الجذري').fill('تلف أثناء الفرز.');
    await dialog.getByLabel(/^الحل/).fill('إرسال بديل للعميل.');
    await dialog.getByLabel('الإجراء المتخذ').fill('تنبيه مشرف المركز.');
    await dialog.getByRole('button', { name: 'حل', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('resolution').waitFor();
    await page.getByTestId('timeline-event').filter({ hasText: /الحالة: .*محلولة/ }).first().waitFor();

    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    // The navbar sits on the right in RTL.
    const nav = await page.locator('nav').first().boundingBox();
    assert.ok(nav && nav.x > 640, `navbar is on the right (x=${nav?.x})`);
    await shot(page, 'ar-04-solved');

    // Back to English for whoever signs in next as this user.
    await page.getByTestId('language-switch').click();
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');
    assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), []);
  } finally {
    await context.close();
  }
});
