import { eq } from 'drizzle-orm';
import type { AuthedCtx, Actor, UserRole } from '../../platform/context.js';
import { createGroup } from '../people/index.js';
import type { createUser as CreateUser } from '../people/index.js';
import { categories, reasonCodes } from '../tickets/db/schema.js';
import { createTicket, updateTicket, addMessage, getTicket } from '../tickets/index.js';
import { createAccount } from '../customers/use-cases/accounts.js';
import { createContact } from '../customers/use-cases/contacts.js';
import { mailboxes } from '../channels/email/db/schema.js';
import { seedSla } from '../sla/index.js';
import { seedKeyAccountsDemo } from './seed-key-accounts.js';

export const DEMO_PASSWORD = 'caredesk-demo';
export const DEMO_SIGN_INS = [
  { email: 'admin@demo.caredesk.test', role: 'admin' },
  { email: 'manager@demo.caredesk.test', role: 'manager' },
  { email: 'layla@demo.caredesk.test', role: 'supervisor (Customer Service)' },
  { email: 'sara@demo.caredesk.test', role: 'agent, key account officer (Key Accounts SA, Customer Service)' },
  { email: 'omar@demo.caredesk.test', role: 'agent (Trace SA)' },
  { email: 'hassan@demo.caredesk.test', role: 'agent, Arabic (Customer Service)' },
];

const GROUPS = [
  { name: 'Customer Service', kind: 'customer-service', countryCode: null },
  { name: 'Key Accounts SA', kind: 'key-accounts', countryCode: 'SA' },
  { name: 'Trace SA', kind: 'trace', countryCode: 'SA' },
  { name: 'Trace AE', kind: 'trace', countryCode: 'AE' },
  { name: 'Claims', kind: 'claims', countryCode: null },
  { name: 'Operations', kind: 'operations', countryCode: null },
  { name: 'Retail Sales', kind: 'retail-sales', countryCode: null },
] as const;

const USERS: { key: string; name: string; language: 'en' | 'ar'; roles: UserRole[]; groups: string[] }[] = [
  { key: 'manager', name: 'Mona Al-Harbi', language: 'en', roles: ['manager'], groups: [] },
  { key: 'layla', name: 'Layla Al-Qahtani', language: 'en', roles: ['supervisor'], groups: ['Customer Service', 'Key Accounts SA'] },
  { key: 'sara', name: 'Sara Al-Otaibi', language: 'en', roles: ['agent'], groups: ['Key Accounts SA', 'Customer Service'] },
  { key: 'omar', name: 'Omar Haddad', language: 'en', roles: ['agent'], groups: ['Trace SA'] },
  { key: 'hassan', name: 'حسن الزهراني', language: 'ar', roles: ['agent'], groups: ['Customer Service'] },
  { key: 'fatima', name: 'Fatima Al-Mansoori', language: 'en', roles: ['agent'], groups: ['Trace AE'] },
  { key: 'yusuf', name: 'Yusuf Rahman', language: 'en', roles: ['agent'], groups: ['Claims'] },
  { key: 'noura', name: 'Noura Saleh', language: 'ar', roles: ['agent'], groups: ['Operations'] },
  { key: 'ali', name: 'Ali Farouk', language: 'en', roles: ['agent'], groups: ['Retail Sales'] },
];

export async function seedDemo(ctx: AuthedCtx, createUser: typeof CreateUser) {
  const groupIds = new Map<string, string>();
  for (const g of GROUPS) groupIds.set(g.name, (await createGroup(ctx, { name: g.name, kind: g.kind, countryCode: g.countryCode })).id);
  // Service levels before the first ticket, so every demo ticket starts with its deadlines.
  await seedSla(ctx, groupIds);

  const people = new Map<string, Actor>();
  for (const u of USERS) {
    const gids = u.groups.map((n) => groupIds.get(n)!);
    const user = await createUser(ctx, {
      name: u.name,
      email: `${u.key}@demo.caredesk.test`,
      password: DEMO_PASSWORD,
      language: u.language,
      roles: u.roles,
      groupIds: gids,
    });
    people.set(u.key, { type: 'user', id: user.id, name: u.name, email: user.email, language: u.language, roles: u.roles, groupIds: gids });
  }
  const as = (key: string): AuthedCtx => ({ ...ctx, actor: people.get(key)!, lang: people.get(key)!.language });

  const alfanar = await createAccount(ctx, { name: 'Al Fanar Trading', countryCode: 'SA', tier: 'platinum', externalId: 'FIN-1001', officerId: people.get('sara')!.id });
  const gulfPharma = await createAccount(ctx, { name: 'Gulf Pharma Distribution', countryCode: 'AE', tier: 'gold', externalId: 'FIN-1002' });
  const riyadhElec = await createAccount(ctx, { name: 'شركة الرياض للإلكترونيات', countryCode: 'SA', tier: 'gold', externalId: 'FIN-1003', officerId: people.get('sara')!.id });
  const desert = await createAccount(ctx, { name: 'Desert Retail Co', countryCode: 'SA', tier: 'standard', externalId: 'FIN-1004' });

  const khalid = await createContact(ctx, {
    name: 'Khalid Al-Fanar', language: 'en', preferredChannel: 'email', accountId: alfanar.id,
    identities: [{ kind: 'email', value: 'khalid@alfanar-trading.example' }, { kind: 'phone', value: '0501234567' }],
  });
  const reem = await createContact(ctx, {
    name: 'ريم العتيبي', language: 'ar', preferredChannel: 'phone', accountId: riyadhElec.id,
    identities: [{ kind: 'email', value: 'reem@riyadh-electronics.example' }, { kind: 'phone', value: '0559876543' }],
  });
  const priya = await createContact(ctx, {
    name: 'Priya Nair', language: 'en', preferredChannel: 'email', accountId: gulfPharma.id,
    identities: [{ kind: 'email', value: 'priya@gulfpharma.example' }, { kind: 'phone', value: '+971501112233' }],
  });
  const abdullah = await createContact(ctx, {
    name: 'عبدالله الشمري', language: 'ar', preferredChannel: 'chat', accountId: desert.id,
    identities: [{ kind: 'email', value: 'abdullah@desert-retail.example' }, { kind: 'social', platform: 'whatsapp', value: '+966533334444' }],
  });
  const john = await createContact(ctx, { name: 'John Miller', language: 'en', identities: [{ kind: 'email', value: 'john.miller@example.com' }] });

  const cat = async (key: string) => (await ctx.db.select({ id: categories.id }).from(categories).where(eq(categories.key, key)))[0]!.id;
  const reason = async (code: string) => (await ctx.db.select({ id: reasonCodes.id }).from(reasonCodes).where(eq(reasonCodes.code, code)))[0]!.id;
  const ship = (n: string, shipper: string, consignee: string) => ({
    trackingNumber: n, shipperName: shipper, shipperPhone: '+966112345678', consigneeName: consignee, consigneePhone: '+966501112222',
  });

  const t1 = await createTicket(as('sara'), {
    subject: 'Urgent: 12 cartons delayed in Jeddah hub', categoryId: await cat('service-failure-complaint'), priority: 'urgent',
    requesterId: khalid.id, groupId: groupIds.get('Key Accounts SA'), assigneeId: people.get('sara')!.id, onBehalf: true, channel: 'phone',
    description: 'Customer called: shipment of 12 cartons has been stuck at the Jeddah hub for 3 days. Consignee is waiting for stock for a store opening.',
    shipment: ship('SA100200300', 'Al Fanar Trading', 'Al Fanar Jeddah Store'), tags: ['key-account', 'delay'],
  });
  await addMessage(as('sara'), String(t1.number), { kind: 'reply', bodyText: 'Dear Khalid,\n\nWe have escalated the shipment with our Jeddah hub and will update you within 24 hours.\n\nSara' });
  await addMessage(as('sara'), String(t1.number), { kind: 'note', bodyText: 'Called Operations: the cartons missed the line-haul because of a paperwork issue.' });

  await createTicket(as('sara'), {
    subject: 'تغيير عنوان التسليم لشحنة الرياض', categoryId: await cat('address-change'), priority: 'high',
    requesterId: reem.id, groupId: groupIds.get('Key Accounts SA'), onBehalf: true, channel: 'email',
    description: 'يرجى تغيير عنوان التسليم إلى المستودع الجديد في حي السلي، الرياض. الشحنة لم تخرج للتوصيل بعد.',
    shipment: ship('SA555000111', 'شركة الرياض للإلكترونيات', 'مستودع السلي'),
  });
  const t3 = await createTicket(as('hassan'), {
    subject: 'استفسار عن مواعيد الاستلام', categoryId: await cat('general-inquiry'), priority: 'normal',
    requesterId: abdullah.id, groupId: groupIds.get('Customer Service'), channel: 'chat',
    description: 'هل يمكن جدولة استلام يومي من فرعنا في الدمام؟ نحتاج الاستلام قبل الساعة الثالثة عصراً.',
  });
  await addMessage(as('hassan'), String(t3.number), { kind: 'reply', bodyText: 'أهلاً عبدالله، نعم يمكن ذلك. سنرسل لك نموذج الجدولة اليوم.' });
  await createTicket(as('omar'), {
    subject: 'Trace request: parcel not scanned since Dammam', categoryId: await cat('trace'), priority: 'high',
    requesterId: john.id, groupId: groupIds.get('Trace SA'), assigneeId: people.get('omar')!.id, channel: 'email',
    description: 'Parcel SA777888999 has not been scanned since it left Dammam a week ago.',
    shipment: { trackingNumber: 'SA777888999', shipperName: 'John Miller', shipperEmail: 'john.miller@example.com', consigneeName: 'Anna Miller', consigneePhone: '+966502223333' },
  });
  await createTicket(as('sara'), {
    subject: 'Damaged cold-chain cartons (claim)', categoryId: await cat('claim'), priority: 'high',
    requesterId: priya.id, groupId: groupIds.get('Claims'), onBehalf: true, channel: 'email',
    description: 'Two cartons of temperature-controlled medicine arrived with broken seals. Photos attached by the customer.',
    shipment: { trackingNumber: 'AE300400500', shipperName: 'Gulf Pharma Distribution', shipperEmail: 'priya@gulfpharma.example', consigneeName: 'Dubai Central Pharmacy', consigneePhone: '+97143334444' },
  });
  await createTicket(as('hassan'), {
    subject: 'طلب أكياس وملصقات شحن', categoryId: await cat('supplies'), priority: 'low',
    requesterId: abdullah.id, groupId: groupIds.get('Customer Service'), channel: 'portal',
    description: 'نحتاج ٢٠٠ كيس شحن و٥٠٠ ملصق لفرع جدة.',
  });
  const solved = await createTicket(as('sara'), {
    subject: 'Booking confirmation for weekly pickup', categoryId: await cat('booking'), priority: 'normal',
    requesterId: khalid.id, groupId: groupIds.get('Customer Service'), assigneeId: people.get('sara')!.id, channel: 'email',
    description: 'Please confirm the weekly Sunday pickup at the Riyadh warehouse.',
    shipment: ship('SA123123123', 'Al Fanar Trading', 'Al Fanar Dammam Branch'),
  });
  await addMessage(as('sara'), String(solved.number), { kind: 'reply', bodyText: 'The weekly Sunday pickup is confirmed from next week.' });
  const fresh = await getTicket(as('sara'), String(solved.number));
  await updateTicket(as('sara'), String(solved.number), {
    version: fresh.version, status: 'solved', reasonCodeId: await reason('pickup-request'),
    resolution: { rootCause: 'Customer needed a recurring pickup slot', solution: 'Weekly Sunday pickup booked', actionTaken: 'Booked in the pickup schedule and confirmed by email' },
  });
  await createTicket(as('layla'), {
    subject: 'Invoice copy for October', categoryId: await cat('general-inquiry'), priority: 'low',
    requesterId: priya.id, groupId: groupIds.get('Customer Service'), channel: 'email',
    description: 'Could you send a copy of the October invoice?',
  });
  // Mailboxes last, so the demo tickets above (made by agents) do not queue emails to demo customers.
  await ctx.db.insert(mailboxes).values([
    { address: 'support@demo.caredesk.test', name: 'CareDesk Demo', groupId: groupIds.get('Customer Service')!, language: 'en' },
    { address: 'keyaccounts@demo.caredesk.test', name: 'CareDesk كبار العملاء', groupId: groupIds.get('Key Accounts SA')!, language: 'ar' },
  ]);
  await seedKeyAccountsDemo(ctx);
}
