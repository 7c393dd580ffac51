/** The API's closed vocabularies, without TypeBox, so the web app can import them cheaply. */
export const LANGUAGES = ['en', 'ar'] as const;
export const USER_ROLES = ['admin', 'manager', 'supervisor', 'agent'] as const;
export const GROUP_KINDS = ['customer-service', 'key-accounts', 'trace', 'claims', 'operations', 'retail-sales', 'other'] as const;
export const ACCOUNT_TIERS = ['standard', 'silver', 'gold', 'platinum'] as const;
export const CHANNELS = ['email', 'phone', 'chat', 'portal', 'social', 'web'] as const;
export const IDENTITY_KINDS = ['email', 'phone', 'chat', 'social'] as const;
export const TICKET_STATUSES = ['new', 'open', 'pending', 'on-hold', 'solved', 'closed'] as const;
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const SHIPMENT_FIELDS = ['trackingNumber', 'shipperName', 'shipperPhone', 'shipperEmail', 'consigneeName', 'consigneePhone', 'consigneeEmail'] as const;
