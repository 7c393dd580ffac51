import type { AuthedCtx } from '../../platform/context.js';
import { createAccount } from '../customers/use-cases/accounts.js';
import { importRevenue, setRates } from '../customers/use-cases/revenue.js';
import { rankKeyAccounts } from '../customers/use-cases/ranking.js';
import { addMonths, monthIn } from '../customers/domain/months.js';
import { createPlan, createSupplies, saveMeetingNote, today } from '../customers/use-cases/care.js';
import { listAccounts } from '../customers/use-cases/accounts.js';
import { DateTime } from 'luxon';

/**
 * A year of Finance revenue for the demo accounts and this month's ranking (top 3 here, so that
 * some accounts are key accounts and some are not): Al Fanar and Riyadh Electronics are Saudi key
 * accounts (Key Accounts SA), Gulf Pharma an Emirati one, whose tickets go to Trace AE because
 * the UAE has no Key Accounts group.
 */
export async function seedKeyAccountsDemo(ctx: AuthedCtx) {
  await createAccount(ctx, { name: 'Najd Building Materials', countryCode: 'SA', tier: 'silver', externalId: 'FIN-1005' });
  await createAccount(ctx, { name: 'Emirates Fresh Foods', countryCode: 'AE', tier: 'standard', externalId: 'FIN-1006' });
  await setRates(ctx, [
    { currency: 'AED', rate: 1.02 },
    { currency: 'USD', rate: 3.75 },
  ]);
  const base: [string, number, string][] = [
    ['FIN-1001', 420_000, 'SAR'],
    ['FIN-1002', 300_000, 'AED'],
    ['FIN-1003', 350_000, 'SAR'],
    ['FIN-1004', 90_000, 'SAR'],
    ['FIN-1005', 120_000, 'SAR'],
    ['FIN-1006', 60_000, 'AED'],
  ];
  const current = monthIn(ctx.now(), ctx.config.timeZone);
  const lines = ['external_id,month,revenue,currency'];
  for (let back = 12; back >= 1; back--) {
    const month = addMonths(current, -back).slice(0, 7);
    base.forEach(([id, amount, currency], i) => {
      // A gentle seasonal wave, different per account, so the charts have a shape.
      const factor = 1 + 0.15 * Math.sin((back + i * 2) / 2);
      lines.push(`${id},${month},${Math.round(amount * factor)},${currency}`);
    });
  }
  await importRevenue(ctx, lines.join('\n'), { filename: 'demo-revenue.csv', createUnknown: false });
  await rankKeyAccounts(ctx, addMonths(current, -1), { topN: 3 });
  await rankKeyAccounts(ctx, current, { topN: 3 });

  // Sara's proactive plan: a weekly call to Al Fanar due today, a monthly visit to Riyadh overdue.
  const byName = async (q: string) => (await listAccounts(ctx, { q })).items[0]!.id;
  const alfanar = await byName('Al Fanar');
  const riyadh = await byName('الرياض');
  const day = today(ctx);
  const shift = (n: number) => DateTime.fromISO(day).plus({ days: n }).toISODate()!;
  await createPlan(ctx, alfanar, { kind: 'call', everyDays: 7, firstDueOn: day });
  await createPlan(ctx, riyadh, { kind: 'visit', everyDays: 30, firstDueOn: shift(-3) });
  await createSupplies(ctx, alfanar, { items: [{ item: 'Shipping bags (large)', quantity: 200 }, { item: 'Waybill labels', quantity: 500 }], dueOn: shift(-1) });
  await saveMeetingNote(ctx, alfanar, { week: day, trends: 'Volumes up 12% ahead of the Ramadan season.', problems: 'Two late line-hauls to Jeddah.', opportunities: 'Cold-chain service for their new pharmacy line.' });
}
