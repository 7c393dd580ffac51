/**
 * Bulk seeding straight into the database: contacts, then tickets with their first message and
 * audit event, made by INSERT ... SELECT over generate_series so 100k tickets take minutes, not hours.
 * The rows look like what the app writes (same columns, same search documents), with a realistic mix
 * of English and Arabic text, statuses, priorities, groups, agents and requesters.
 */
import { normaliseForSearch } from '../server/src/modules/search/domain/normalise.js';

export type Query = (text: string, params?: unknown[]) => Promise<Record<string, any>[]>;

const EN_CITIES = ['Riyadh', 'Jeddah', 'Dammam', 'Dubai', 'Abu Dhabi', 'Mecca', 'Medina', 'Khobar', 'Kuwait', 'Doha', 'Muscat', 'Cairo'];
const AR_CITIES = ['الرياض', 'جدة', 'الدمام', 'دبي', 'أبوظبي', 'مكة', 'المدينة', 'الخبر', 'الكويت', 'الدوحة', 'مسقط', 'القاهرة'];
const EN_ITEMS = ['laptops', 'phones', 'medicine', 'furniture', 'documents', 'clothes', 'spare parts', 'cosmetics', 'books', 'electronics', 'tyres', 'food supplies', 'printers', 'watches', 'toys'];
const AR_ITEMS = ['أجهزة كمبيوتر', 'هواتف', 'أدوية', 'أثاث', 'مستندات', 'ملابس', 'قطع غيار', 'مستحضرات تجميل', 'كتب', 'إلكترونيات'];

const EN_SUBJECTS = [
  'Shipment delayed at {c} hub',
  'Parcel not delivered to {c}',
  'Request to change delivery address in {c}',
  'Damaged {x} received',
  'Invoice question for {x} order',
  'Pickup request from {c} branch',
  'Customs clearance for {x} stuck',
  'Wrong item delivered instead of {x}',
  'Refund request for lost {x}',
  'Courier did not call before delivery in {c}',
  'Tracking shows delivered but {x} not received',
  'Need shipping supplies for {c} office',
  'Cash on delivery amount incorrect for {x}',
  'Return shipment of {x} to {c}',
  'Complaint about driver behaviour in {c}',
  'Schedule weekly pickup for {x}',
];
const AR_SUBJECTS = [
  'تأخر الشحنة في مركز {c}',
  'لم يتم توصيل الطرد إلى {c}',
  'طلب تغيير عنوان التسليم في {c}',
  'استلام {x} تالفة',
  'استفسار عن فاتورة طلب {x}',
  'طلب استلام من فرع {c}',
  'شحنة {x} عالقة في الجمارك',
  'إرجاع شحنة {x} إلى {c}',
  'شكوى من سلوك المندوب في {c}',
  'المبلغ عند التسليم غير صحيح لطلب {x}',
];
const EN_SENTENCES = [
  'The customer called to ask where the parcel is.',
  'The shipment has been waiting at the hub for three days.',
  'Please arrange a new delivery attempt tomorrow morning.',
  'The consignee says the box arrived damaged and wet.',
  'The driver marked the parcel as delivered but nobody received it.',
  'Customer asks for a copy of the invoice and the proof of delivery.',
  'The address on the waybill is missing the building number.',
  'Customs requested the commercial invoice before clearance.',
  'The customer wants a refund of the shipping fees.',
  'Cash on delivery amount collected does not match the invoice.',
  'Requesting a pickup before three in the afternoon.',
  'The warehouse manager will be available after four.',
  'Escalated to operations for an urgent follow up.',
  'The customer prefers to be contacted by email.',
  'Weekly pickup schedule needs to be updated for the holiday.',
  'The return label was not printed correctly.',
  'Temperature controlled cartons must be delivered today.',
  'The tracking page has not been updated since Sunday.',
  'Customer threatens to cancel the contract if this repeats.',
  'Please call the consignee before delivery.',
];
const AR_SENTENCES = [
  'اتصل العميل للاستفسار عن مكان الشحنة.',
  'الطرد موجود في المستودع منذ ثلاثة أيام.',
  'يرجى ترتيب محاولة توصيل جديدة صباح الغد.',
  'يقول المستلم إن الصندوق وصل تالفاً ومبللاً.',
  'سجل المندوب الشحنة كمسلّمة لكن لم يستلمها أحد.',
  'يطلب العميل نسخة من الفاتورة وإثبات التسليم.',
  'العنوان في بوليصة الشحن ينقصه رقم المبنى.',
  'طلبت الجمارك الفاتورة التجارية قبل التخليص.',
  'يريد العميل استرداد رسوم الشحن.',
  'المبلغ المحصل عند التسليم لا يطابق الفاتورة.',
  'نطلب الاستلام قبل الساعة الثالثة عصراً.',
  'يفضل العميل التواصل عبر الهاتف.',
  'تم التصعيد إلى قسم العمليات للمتابعة العاجلة.',
  'لم يتم تحديث صفحة التتبع منذ يوم الأحد.',
];
const EN_FIRST = ['Ahmed', 'Mohammed', 'Fatima', 'Aisha', 'John', 'Maria', 'Ravi', 'Omar', 'Khalid', 'Noor', 'Layla', 'David', 'Sofia', 'Hassan', 'Yara', 'Ali'];
const EN_LAST = ['Al-Saud', 'Haddad', 'Smith', 'Khan', 'Nair', 'Farouk', 'Mansour', 'Rahman', 'Hussein', 'Qureshi', 'Al-Amri', 'Garcia'];
const AR_FIRST = ['محمد', 'أحمد', 'فاطمة', 'عائشة', 'خالد', 'نورة', 'سلمان', 'ريم', 'يوسف', 'هند'];
const AR_LAST = ['العتيبي', 'القحطاني', 'الشمري', 'الحربي', 'الزهراني', 'الغامدي', 'الدوسري', 'المطيري'];

/** Words and phrases the seeded text really contains, as a person would type them. */
export const SEARCH_TERMS_EN = ['delayed', 'invoice', 'customs clearance', 'damaged laptops', 'refund', 'Jeddah', 'pickup', 'courier', 'proof of delivery', 'waybill', 'medicine', 'driver behaviour'];
export const SEARCH_TERMS_AR = ['الشحنة', 'الرياض', 'فاتورة', 'الجمارك', 'المندوب', 'جدة', 'أدوية', 'التسليم', 'استرداد', 'تالفة', 'مستحضرات تجميل', 'عنوان'];

const GROUP_WEIGHTS: Record<string, number> = {
  'Customer Service': 30,
  'Key Accounts SA': 15,
  'Trace SA': 15,
  'Trace AE': 10,
  Claims: 10,
  Operations: 10,
  'Retail Sales': 10,
};
const CATEGORY_WEIGHTS: Record<string, number> = {
  'general-inquiry': 25,
  trace: 20,
  'service-failure-complaint': 15,
  'address-change': 10,
  booking: 10,
  claim: 8,
  supplies: 7,
  'special-advance-notice': 5,
};

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const textArray = (xs: string[]) => `ARRAY[${xs.map(lit).join(',')}]::text[]`;
/** A non-negative pseudo-random bigint per row and purpose, repeatable run to run. */
const h = (seed: number, col = 'g.i') => `(hashint8extended(${col}::bigint, ${seed}) & 9223372036854775807)`;

function fill(template: string, c: string, x: string) {
  return template.replaceAll('{c}', c).replaceAll('{x}', x);
}

function weightedSlots<T>(items: { item: T; weight: number }[], slots: number): T[] {
  const total = items.reduce((s, i) => s + i.weight, 0);
  const out: T[] = [];
  for (const { item, weight } of items) {
    const n = Math.round((weight / total) * slots);
    for (let k = 0; k < n; k++) out.push(item);
  }
  while (out.length < slots) out.push(items[0]!.item);
  out.length = slots;
  // Spread them out so neighbouring hash values do not pile into one bucket.
  return out.map((_, k) => out[(k * 379) % slots]!);
}

export interface Reference {
  groups: { id: string; name: string; members: string[] }[];
  categories: { id: string; key: string; shipmentRelated: boolean }[];
  reasonCodes: string[];
  accounts: string[];
  fallbackUser: string;
  sara: { id: string; groupIds: string[] };
}

export async function loadReference(q: Query): Promise<Reference> {
  const groups = await q(
    `SELECT g.id, g.name, coalesce(array_agg(m.user_id ORDER BY u.email) FILTER (WHERE m.user_id IS NOT NULL), '{}') AS members
       FROM groups g LEFT JOIN group_memberships m ON m.group_id = g.id LEFT JOIN users u ON u.id = m.user_id
      GROUP BY g.id, g.name ORDER BY g.name`,
  );
  const categories = await q(`SELECT id, key, shipment_related FROM categories WHERE active ORDER BY position`);
  const reasonCodes = await q(`SELECT id FROM reason_codes ORDER BY code`);
  const accounts = await q(`SELECT id FROM accounts ORDER BY name`);
  const users = await q(`SELECT id, email FROM users ORDER BY email`);
  const saraRow = users.find((u) => u.email === 'sara@demo.caredesk.test');
  const manager = users.find((u) => u.email === 'manager@demo.caredesk.test') ?? users[0];
  if (!groups.length || !categories.length || !saraRow || !manager) {
    throw new Error('the demo workspace is missing (groups, categories or the demo users); was the server started with CAREDESK_DEMO=true?');
  }
  const saraGroups = await q(`SELECT group_id FROM group_memberships WHERE user_id = $1`, [saraRow.id]);
  const members = (v: unknown): string[] => (Array.isArray(v) ? v : String(v).replace(/[{}]/g, '').split(',').filter(Boolean));
  return {
    groups: groups.map((g) => ({ id: g.id, name: g.name, members: members(g.members) })),
    categories: categories.map((c) => ({ id: c.id, key: c.key, shipmentRelated: c.shipment_related })),
    reasonCodes: reasonCodes.map((r) => r.id),
    accounts: accounts.map((a) => a.id),
    fallbackUser: manager.id,
    sara: { id: saraRow.id, groupIds: saraGroups.map((r) => r.group_id) },
  };
}

/** Session-local lookup tables the bulk statements join against. */
export async function prepareVocabulary(q: Query, ref: Reference) {
  const subjects: { n: number; subject: string; norm: string; ar: boolean }[] = [];
  for (const t of EN_SUBJECTS)
    for (const c of EN_CITIES)
      for (const x of EN_ITEMS) {
        const s = fill(t, c, x);
        if (!subjects.some((o) => o.subject === s)) subjects.push({ n: 0, subject: s, norm: normaliseForSearch(s), ar: false });
      }
  for (const t of AR_SUBJECTS)
    for (const c of AR_CITIES)
      for (const x of AR_ITEMS) {
        const s = fill(t, c, x);
        if (!subjects.some((o) => o.subject === s)) subjects.push({ n: 0, subject: s, norm: normaliseForSearch(s), ar: true });
      }
  subjects.forEach((s, k) => (s.n = k));
  const sentences = (xs: string[]) => xs.map((text, n) => ({ n, text, norm: normaliseForSearch(text) }));

  const slots = weightedSlots(
    ref.groups.map((g) => ({ item: g, weight: GROUP_WEIGHTS[g.name] ?? 5 })),
    1000,
  ).map((g, n) => ({
    n,
    group_id: g.id,
    assignee_id: g.members.length ? g.members[n % g.members.length] : null,
    creator_id: g.members.length ? g.members[(n * 7 + 3) % g.members.length] : ref.fallbackUser,
  }));
  const cats = weightedSlots(
    ref.categories.map((c) => ({ item: c, weight: CATEGORY_WEIGHTS[c.key] ?? 3 })),
    100,
  ).map((c, n) => ({ n, id: c.id, ship: c.shipmentRelated }));
  const rcs = ref.reasonCodes.map((id, n) => ({ n, id }));

  const make = async (name: string, cols: string, rows: unknown[]) => {
    await q(`DROP TABLE IF EXISTS ${name}`);
    await q(`CREATE TEMP TABLE ${name} AS SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${cols})`, [JSON.stringify(rows)]);
    await q(`ANALYZE ${name}`);
  };
  await make('bench_subj', 'n int, subject text, norm text, ar boolean', subjects);
  await make('bench_sent_en', 'n int, text text, norm text', sentences(EN_SENTENCES));
  await make('bench_sent_ar', 'n int, text text, norm text', sentences(AR_SENTENCES));
  await make('bench_slot', 'n int, group_id uuid, assignee_id uuid, creator_id uuid', slots);
  await make('bench_cat', 'n int, id uuid, ship boolean', cats);
  await make('bench_rc', 'n int, id uuid', rcs.length ? rcs : [{ n: 0, id: null }]);
  return { subjects: subjects.length, enSentences: EN_SENTENCES.length, arSentences: AR_SENTENCES.length, reasonCodes: Math.max(1, rcs.length) };
}

/** Contacts with an email identity each and a phone for every other one; some belong to an account. */
export async function seedContacts(q: Query, ref: Reference, count: number, batch = 20_000) {
  const accounts = ref.accounts.length ? `ARRAY[${ref.accounts.map(lit).join(',')}]::uuid[]` : `ARRAY[NULL]::uuid[]`;
  const na = Math.max(1, ref.accounts.length);
  for (let lo = 1; lo <= count; lo += batch) {
    const hi = Math.min(count, lo + batch - 1);
    await q(
      `WITH src AS (
         SELECT g.i, gen_random_uuid() AS id, ${h(101)} AS h1, ${h(102)} AS h2, ${h(103)} AS h3
           FROM generate_series($1::int, $2::int) AS g(i)
       ), c AS (
         INSERT INTO contacts (id, name, language, preferred_channel, account_id, created_at, updated_at)
         SELECT id,
                CASE WHEN i % 3 = 0
                     THEN (${textArray(AR_FIRST)})[1 + (h1 % ${AR_FIRST.length})::int] || ' ' || (${textArray(AR_LAST)})[1 + (h2 % ${AR_LAST.length})::int]
                     ELSE (${textArray(EN_FIRST)})[1 + (h1 % ${EN_FIRST.length})::int] || ' ' || (${textArray(EN_LAST)})[1 + (h2 % ${EN_LAST.length})::int] END,
                CASE WHEN i % 3 = 0 THEN 'ar' ELSE 'en' END,
                (ARRAY['email','phone','chat','portal','social'])[1 + (h3 % 5)::int],
                CASE WHEN h3 % 10 = 0 THEN (${accounts})[1 + (h2 % ${na})::int] END,
                now() - interval '1 second' * (h3 % 31536000), now() - interval '1 second' * (h3 % 86400)
           FROM src
         RETURNING id
       ), e AS (
         INSERT INTO contact_identities (id, contact_id, kind, platform, value)
         SELECT gen_random_uuid(), id, 'email', '', 'customer' || i || '@bench' || (i % 50) || '.example' FROM src
       )
       INSERT INTO contact_identities (id, contact_id, kind, platform, value)
       SELECT gen_random_uuid(), id, 'phone', '', '+96659' || lpad(((i::bigint * 7919) % 10000000)::text, 7, '0') FROM src WHERE i % 2 = 0`,
      [lo, hi],
    );
  }
  await q(`DROP TABLE IF EXISTS bench_req`);
  await q(`CREATE TEMP TABLE bench_req AS SELECT (row_number() OVER (ORDER BY id) - 1)::int AS n, id, account_id FROM contacts`);
  await q(`ANALYZE bench_req`);
  const [{ n }] = (await q(`SELECT count(*)::int AS n FROM bench_req`)) as [{ n: number }];
  return n;
}

/** One batch of tickets [lo, hi], each with its description as the first note and a creation audit event. */
export async function seedTicketBatch(q: Query, lo: number, hi: number, v: { subjects: number; enSentences: number; arSentences: number; reasonCodes: number; requesters: number }) {
  const OPEN = `('new','open','pending','on-hold')`;
  await q(
    `WITH src AS (
       SELECT g.i, gen_random_uuid() AS id,
              ${h(1)} AS h1, ${h(2)} AS h2, ${h(3)} AS h3, ${h(4)} AS h4, ${h(5)} AS h5,
              ${h(6)} AS h6, ${h(7)} AS h7, ${h(8)} AS h8, ${h(9)} AS h9, ${h(10)} AS h10, ${h(11)} AS h11
         FROM generate_series($1::int, $2::int) AS g(i)
     ), t0 AS (
       SELECT src.*,
              CASE WHEN h3 % 100 < 6 THEN 'new' WHEN h3 % 100 < 18 THEN 'open' WHEN h3 % 100 < 26 THEN 'pending'
                   WHEN h3 % 100 < 30 THEN 'on-hold' WHEN h3 % 100 < 45 THEN 'solved' ELSE 'closed' END AS status
         FROM src
     ), t AS (
       SELECT t0.id, t0.status,
              s.subject, s.norm AS subject_norm,
              c.id AS category_id,
              CASE WHEN c.ship THEN (ARRAY['SA','AE','KW','EG'])[1 + (h6 % 4)::int] || lpad(((h6 / 4) % 1000000000)::text, 9, '0') END AS tracking_number,
              CASE WHEN h4 % 100 < 20 THEN 'low' WHEN h4 % 100 < 75 THEN 'normal' WHEN h4 % 100 < 95 THEN 'high' ELSE 'urgent' END AS priority,
              r.id AS requester_id, r.account_id,
              sl.group_id, CASE WHEN t0.status = 'new' THEN NULL ELSE sl.assignee_id END AS assignee_id, sl.creator_id,
              (ARRAY['email','phone','chat','portal','social','web'])[1 + (h5 % 6)::int] AS channel,
              CASE h9 % 20 WHEN 0 THEN ARRAY['vip'] WHEN 1 THEN ARRAY['delay'] WHEN 2 THEN ARRAY['key-account'] WHEN 3 THEN ARRAY['cod','refund'] ELSE '{}'::text[] END AS tags,
              CASE WHEN s.ar THEN a1.text || ' ' || a2.text || ' ' || a3.text ELSE e1.text || ' ' || e2.text || ' ' || e3.text END AS description,
              CASE WHEN s.ar THEN a1.norm || ' ' || a2.norm || ' ' || a3.norm ELSE e1.norm || ' ' || e2.norm || ' ' || e3.norm END AS description_norm,
              rc.id AS reason_code_id,
              now() - interval '1 second' * (CASE WHEN t0.status IN ${OPEN} THEN h7 % 2592000 ELSE h7 % 31536000 END) AS created_at,
              h8
         FROM t0
         JOIN bench_subj s ON s.n = (t0.h1 % ${v.subjects})::int
         JOIN bench_cat c ON c.n = (t0.h2 % 100)::int
         JOIN bench_slot sl ON sl.n = (t0.h10 % 1000)::int
         JOIN bench_req r ON r.n = (t0.h11 % ${v.requesters})::int
         JOIN bench_sent_en e1 ON e1.n = (t0.h1 % ${v.enSentences})::int
         JOIN bench_sent_en e2 ON e2.n = (t0.h4 % ${v.enSentences})::int
         JOIN bench_sent_en e3 ON e3.n = (t0.h9 % ${v.enSentences})::int
         JOIN bench_sent_ar a1 ON a1.n = (t0.h1 % ${v.arSentences})::int
         JOIN bench_sent_ar a2 ON a2.n = (t0.h4 % ${v.arSentences})::int
         JOIN bench_sent_ar a3 ON a3.n = (t0.h9 % ${v.arSentences})::int
         LEFT JOIN bench_rc rc ON rc.n = (t0.h8 % ${v.reasonCodes})::int AND t0.status IN ('solved','closed')
     ), u AS (
       SELECT t.*, LEAST(now(), created_at + interval '1 second' * (h8 % 259200)) AS updated_at FROM t
     ), ins AS (
       INSERT INTO tickets (id, subject, description, category_id, priority, status, requester_id, account_id, group_id, assignee_id,
                            tags, channel, created_by_id, tracking_number, shipment, reason_code_id, resolution,
                            search_subject, search_body, created_at, updated_at, solved_at, closed_at)
       SELECT id, subject, description, category_id, priority, status, requester_id, account_id, group_id, assignee_id,
              tags, channel, creator_id, tracking_number,
              CASE WHEN tracking_number IS NOT NULL THEN jsonb_build_object('trackingNumber', tracking_number, 'shipperName', 'Bench Shipper',
                   'shipperPhone', '+966112345678', 'consigneeName', 'Bench Consignee', 'consigneePhone', '+966501112222') END,
              reason_code_id,
              CASE WHEN status IN ('solved','closed') THEN jsonb_build_object('rootCause', 'Hub backlog', 'solution', 'Delivered on the next route',
                   'actionTaken', 'Called the hub and the customer') END,
              subject_norm || ' ' || coalesce(lower(tracking_number), ''),
              ' ' || description_norm,
              created_at, updated_at,
              CASE WHEN status IN ('solved','closed') THEN updated_at END,
              CASE WHEN status = 'closed' THEN updated_at END
         FROM u
       RETURNING id, description, created_by_id, created_at, status, group_id, channel, assignee_id
     ), msg AS (
       INSERT INTO ticket_messages (id, ticket_id, kind, channel, author_user_id, body_html, body_text, created_at)
       SELECT gen_random_uuid(), id, 'note', channel, created_by_id, '<p dir="auto">' || description || '</p>', description, created_at FROM ins
     )
     INSERT INTO audit_events (id, actor_type, actor_id, action, target_type, target_id, ticket_id, changes, created_at)
     SELECT gen_random_uuid(), 'user', created_by_id, 'ticket.created', 'ticket', id, id,
            jsonb_build_array(
              jsonb_build_object('field', 'status', 'before', NULL, 'after', CASE WHEN assignee_id IS NULL THEN 'new' ELSE 'open' END),
              jsonb_build_object('field', 'groupId', 'before', NULL, 'after', group_id)),
            created_at
       FROM ins`,
    [lo, hi],
  );
}

/** What autovacuum would have done by the time a real desk holds this many tickets. */
export async function analyse(q: Query) {
  for (const t of ['tickets', 'ticket_messages', 'audit_events', 'contacts', 'contact_identities']) await q(`VACUUM ANALYZE ${t}`);
}

export interface Samples {
  saraNumbers: number[];
  allNumbers: number[];
  tracking: string[];
}

export async function sample(q: Query, ref: Reference, size = 2000): Promise<Samples> {
  const saraNumbers = await q(`SELECT number FROM tickets WHERE group_id = ANY($1::uuid[]) ORDER BY random() LIMIT ${size}`, [
    `{${ref.sara.groupIds.join(',')}}`,
  ]);
  const allNumbers = await q(`SELECT number FROM tickets ORDER BY random() LIMIT ${size}`);
  const tracking = await q(
    `SELECT tracking_number FROM tickets WHERE tracking_number IS NOT NULL AND group_id = ANY($1::uuid[]) ORDER BY random() LIMIT 200`,
    [`{${ref.sara.groupIds.join(',')}}`],
  );
  return {
    saraNumbers: saraNumbers.map((r) => Number(r.number)),
    allNumbers: allNumbers.map((r) => Number(r.number)),
    tracking: tracking.map((r) => String(r.tracking_number)),
  };
}
