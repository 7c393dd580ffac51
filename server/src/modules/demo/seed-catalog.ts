import type { AuthedCtx } from '../../platform/context.js';
import { categories, reasonCodes } from '../tickets/db/schema.js';

/** The categories and contact reasons the policies name (seeds 001 and 003); admins edit them later. */
export const DEFAULT_CATEGORIES = [
  { key: 'service-failure-complaint', nameEn: 'Service-failure complaint', nameAr: 'شكوى فشل الخدمة', shipmentRelated: true },
  { key: 'address-change', nameEn: 'Address change', nameAr: 'تغيير العنوان', shipmentRelated: true },
  { key: 'claim', nameEn: 'Claim', nameAr: 'مطالبة', shipmentRelated: true },
  { key: 'special-advance-notice', nameEn: 'Special advance notice', nameAr: 'إشعار مسبق خاص', shipmentRelated: true },
  { key: 'trace', nameEn: 'Trace', nameAr: 'تتبع شحنة', shipmentRelated: true },
  { key: 'booking', nameEn: 'Booking', nameAr: 'حجز', shipmentRelated: true },
  { key: 'supplies', nameEn: 'Supplies', nameAr: 'مستلزمات', shipmentRelated: false },
  { key: 'general-inquiry', nameEn: 'General inquiry', nameAr: 'استفسار عام', shipmentRelated: false },
];

export const DEFAULT_REASON_CODES = [
  { code: 'delivery-delay', nameEn: 'Delivery delay', nameAr: 'تأخر التوصيل' },
  { code: 'damaged-shipment', nameEn: 'Damaged shipment', nameAr: 'شحنة تالفة' },
  { code: 'lost-shipment', nameEn: 'Lost shipment', nameAr: 'شحنة مفقودة' },
  { code: 'wrong-address', nameEn: 'Wrong or incomplete address', nameAr: 'عنوان خاطئ أو ناقص' },
  { code: 'tracking-information', nameEn: 'Tracking information', nameAr: 'معلومات التتبع' },
  { code: 'pickup-request', nameEn: 'Pickup request', nameAr: 'طلب استلام' },
  { code: 'billing', nameEn: 'Billing question', nameAr: 'استفسار عن الفواتير' },
  { code: 'supplies-request', nameEn: 'Supplies request', nameAr: 'طلب مستلزمات' },
  { code: 'other', nameEn: 'Other', nameAr: 'أخرى' },
];

export async function seedCatalog(ctx: AuthedCtx) {
  await ctx.db
    .insert(categories)
    .values(DEFAULT_CATEGORIES.map((c, position) => ({ ...c, position })))
    .onConflictDoNothing();
  await ctx.db.insert(reasonCodes).values(DEFAULT_REASON_CODES).onConflictDoNothing();
}
