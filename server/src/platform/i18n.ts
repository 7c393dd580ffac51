/** Server-side messages (API errors, seeded names) in English and Arabic; the web app has its own catalogs. */
export type Lang = 'en' | 'ar';
export const LANGS: Lang[] = ['en', 'ar'];

type Catalog = Record<string, string>;

const en: Catalog = {
  validation_failed: 'Some fields are missing or invalid.',
  not_found: 'Not found.',
  route_not_found: 'There is no such address in the API.',
  unauthorized: 'Sign in first.',
  invalid_credentials: 'The email or password is not correct.',
  forbidden: 'You are not allowed to do this.',
  version_conflict: 'Someone else changed this in the meantime. Reload to see their changes, then try again.',
  rate_limited: 'Too many attempts. Wait a minute and try again.',
  payload_too_large: 'The upload is too large.',
  internal: 'Something went wrong on our side. Nothing you sent was lost; try again.',
  unsupported_media_type: 'Send JSON (Content-Type: application/json).',
  bad_request: 'The request could not be read: {{reason}}',
  cross_origin: 'Requests from another site are refused.',
  identity_taken: 'This {{kind}} already belongs to another contact.',
  email_taken: 'A user with this email already exists.',
  name_taken: 'This name is already used.',
  key_taken: 'This key is already used.',
  'ticket.closed': 'This ticket is closed; closed tickets cannot change. Open a follow-up ticket instead.',
  'ticket.invalid_transition': 'A ticket cannot go from {{from}} to {{to}}.',
  'ticket.not_group_member': 'Only members of the group {{group}} (or managers) can solve or close this ticket.',
  'ticket.key_accounts_handback':
    'Key Accounts policy: a ticket handed from the Key Accounts group to another group is closed by that group and is never returned to Key Accounts.',
  'ticket.assignee_not_member': 'The assignee must be a member of the ticket group.',
  chat_offline: 'No agent is available right now. Leave a message and we will answer by email or phone.',
  chat_ended: 'This chat has ended.',
  chat_taken: 'Another agent has already taken this chat.',
  chat_already_yours: 'This chat is already yours.',
  chat_at_capacity: 'You already have {{capacity}} chats open; finish one before taking another.',
  origin_not_allowed: 'This website may not use the chat.',
  // field error messages
  'field.required': '{{label}} is required.',
  'field.required_either': '{{label}} is required.',
  'field.unknown': 'Unknown field "{{name}}".',
  'field.invalid': '{{label}} is not valid: {{reason}}',
  'field.not_found': '{{label}} does not exist.',
  'field.inactive': '{{label}} is no longer in use.',
  // field labels
  'label.subject': 'Subject',
  'label.internalTarget': 'Internal target',
  'label.steps': 'Escalation step',
  'label.pauseStatuses': 'Pausing statuses',
  'label.categoryId': 'Category',
  'label.requester': 'Requester',
  'label.requesterId': 'Requester',
  'label.groupId': 'Group',
  'label.assigneeId': 'Assignee',
  'label.reasonCodeId': 'Contact reason',
  'label.resolution.rootCause': 'Root cause',
  'label.resolution.solution': 'Solution',
  'label.resolution.actionTaken': 'Action taken',
  'label.shipment.trackingNumber': 'Tracking number',
  'label.shipment.shipperName': 'Shipper name',
  'label.shipment.shipperPhone': 'Shipper phone or email',
  'label.shipment.consigneeName': 'Consignee name',
  'label.shipment.consigneePhone': 'Consignee phone or email',
  'label.email': 'Email',
  'label.phone': 'Phone number',
  'label.value': 'Value',
  'label.password': 'Password',
  'label.name': 'Name',
  'label.officerId': 'Officer',
  'label.accountId': 'Account',
  'label.memberIds': 'Members',
  'label.version': 'Version',
  'label.body': 'Message',
  'label.attachmentIds': 'Attachments',
  address_taken: 'Another mailbox already uses this address.',
  'email.not_retryable': 'Only failed or quarantined messages can be retried.',
  'email.no_sender': 'This message has no sender address to open a ticket for.',
  'email.no_relay': 'This mailbox has no outgoing relay yet; the message waits in the outbox until one is set.',
  'label.address': 'Address',
  'label.imapHost': 'IMAP server',
  'label.imapUser': 'IMAP user',
  'label.imapPassword': 'IMAP password',
  'label.imapPort': 'IMAP port',
  'label.relayHost': 'Outgoing relay server',
  'label.relayPort': 'Outgoing relay port',
  'label.relayUser': 'Relay user',
  'label.relayPassword': 'Relay password',
  'label.language': 'Language',
  // outgoing mail to customers
  'mail.footer': 'Ticket #{{number}} · {{brand}}. Reply to this email to add to your request.',
  'mail.ack.subject': '[#{{number}}] We received your message: {{subject}}',
  'mail.ack.greeting': 'Hello {{name}},',
  'mail.ack.body': 'Thank you for contacting {{brand}}. Your request has the reference #{{number}}. A member of our team will answer you as soon as possible; replying to this email adds to the same request.',
  'mail.ack.signoff': 'The {{brand}} team',
  'mail.reply.subject': 'Re: {{subject}} [#{{number}}]',
  'mail.portal_verify.subject': 'Confirm your email address for {{brand}}',
  'mail.portal_verify.body': 'Hello {{name}}, open this link to confirm your email address and finish signing up to the {{brand}} customer portal. The link works once, for {{hours}} hours:',
  'mail.portal_signin.subject': 'Your sign-in link for {{brand}}',
  'mail.portal_signin.body': 'Hello {{name}}, open this link to sign in to the {{brand}} customer portal. The link works once, for {{minutes}} minutes:',
  'mail.portal.ignore': 'If you did not ask for this, ignore this email; nothing changes.',
  'portal.email_unverified': 'Confirm your email address first: open the link we emailed you, or ask for a new one.',
  'portal.link_invalid': 'This link has expired or was already used. Ask for a new one.',
  'portal.weak_password': 'Choose a password of at least 8 characters.',
  'mail.sla.subject': '[#{{number}}] Service level escalation: {{target}}',
  'mail.sla.greeting': 'Hello {{name}},',
  'mail.sla.body': 'Ticket #{{number}} "{{subject}}" reached the escalation step "{{step}}" of its {{target}} target.',
  'mail.sla.due': 'Due: {{due}}.',
  'mail.sla.open': 'Open the ticket: {{url}}',
  'sla.target.first_response': 'first response',
  'sla.target.next_response': 'next response',
  'sla.target.resolution': 'resolution',
  'sla.target.internal': 'department',
  // phone and social channels
  webhook_refused: 'The webhook was refused: {{reason}}.',
  webhook_inactive: 'The webhook was refused: {{reason}}.',
  webhook_unavailable: 'The event was not accepted: {{reason}}. Send it again later.',
  'label.number': 'Phone number',
  'label.outcome': 'Outcome',
  'label.durationSeconds': 'Duration',
  'label.direction': 'Direction',
  'label.ticketId': 'Ticket',
  'label.contactId': 'Contact',
  'label.checklist': 'Checklist',
  'label.from': 'Caller number',
  'label.outboundUrl': 'Outbound URL',
  'label.outboundToken': 'Outbound token',
  'label.webhookSecret': 'Webhook secret',
  'attachment.infected': 'This file carries malware ({{signature}}) and cannot be downloaded.',
};

const ar: Catalog = {
  validation_failed: 'بعض الحقول ناقصة أو غير صحيحة.',
  not_found: 'غير موجود.',
  route_not_found: 'لا يوجد عنوان كهذا في الواجهة البرمجية.',
  unauthorized: 'سجّل الدخول أولاً.',
  invalid_credentials: 'البريد الإلكتروني أو كلمة المرور غير صحيحة.',
  forbidden: 'غير مسموح لك بهذا الإجراء.',
  'attachment.infected': 'هذا الملف يحمل برمجية خبيثة ({{signature}}) ولا يمكن تنزيله.',
  version_conflict: 'قام شخص آخر بتعديل هذا في الأثناء. أعد التحميل لترى تعديلاته ثم حاول مرة أخرى.',
  rate_limited: 'محاولات كثيرة. انتظر دقيقة ثم حاول مرة أخرى.',
  payload_too_large: 'الملف المرفوع كبير جداً.',
  internal: 'حدث خطأ من جهتنا. لم يضِع شيء مما أرسلته؛ حاول مرة أخرى.',
  unsupported_media_type: 'أرسل JSON (Content-Type: application/json).',
  bad_request: 'تعذّرت قراءة الطلب: {{reason}}',
  cross_origin: 'الطلبات القادمة من موقع آخر مرفوضة.',
  identity_taken: 'هذا المعرّف ({{kind}}) مسجّل لجهة اتصال أخرى.',
  email_taken: 'يوجد مستخدم بهذا البريد الإلكتروني.',
  name_taken: 'هذا الاسم مستخدم من قبل.',
  key_taken: 'هذا المفتاح مستخدم من قبل.',
  'ticket.closed': 'هذه التذكرة مغلقة ولا يمكن تعديلها. افتح تذكرة متابعة بدلاً من ذلك.',
  'ticket.invalid_transition': 'لا يمكن نقل التذكرة من {{from}} إلى {{to}}.',
  'ticket.not_group_member': 'فقط أعضاء مجموعة {{group}} (أو المدراء) يمكنهم حل هذه التذكرة أو إغلاقها.',
  'ticket.key_accounts_handback':
    'سياسة كبار العملاء: التذكرة المحوّلة من مجموعة كبار العملاء إلى مجموعة أخرى تُغلق من قبل تلك المجموعة ولا تُعاد إلى مجموعة كبار العملاء.',
  'ticket.assignee_not_member': 'يجب أن يكون المسؤول عضواً في مجموعة التذكرة.',
  chat_offline: 'لا يوجد موظف متاح الآن. اترك رسالة وسنرد عليك عبر البريد الإلكتروني أو الهاتف.',
  chat_ended: 'انتهت هذه المحادثة.',
  chat_taken: 'تولّى موظف آخر هذه المحادثة بالفعل.',
  chat_already_yours: 'هذه المحادثة لك بالفعل.',
  chat_at_capacity: 'لديك {{capacity}} محادثات مفتوحة بالفعل؛ أنهِ واحدة قبل أن تأخذ أخرى.',
  origin_not_allowed: 'لا يُسمح لهذا الموقع باستخدام المحادثة.',
  'field.required': '{{label}} مطلوب.',
  'field.required_either': '{{label}} مطلوب.',
  'field.unknown': 'حقل غير معروف "{{name}}".',
  'field.invalid': '{{label}} غير صالح: {{reason}}',
  'field.not_found': '{{label}} غير موجود.',
  'field.inactive': '{{label}} لم يعد مستخدماً.',
  'label.internalTarget': 'الهدف الداخلي',
  'label.steps': 'خطوة التصعيد',
  'label.pauseStatuses': 'حالات الإيقاف',
  'label.subject': 'الموضوع',
  'label.categoryId': 'الفئة',
  'label.requester': 'مقدّم الطلب',
  'label.requesterId': 'مقدّم الطلب',
  'label.groupId': 'المجموعة',
  'label.assigneeId': 'المسؤول',
  'label.reasonCodeId': 'سبب التواصل',
  'label.resolution.rootCause': 'السبب الجذري',
  'label.resolution.solution': 'الحل',
  'label.resolution.actionTaken': 'الإجراء المتخذ',
  'label.shipment.trackingNumber': 'رقم التتبع',
  'label.shipment.shipperName': 'اسم الشاحن',
  'label.shipment.shipperPhone': 'هاتف الشاحن أو بريده',
  'label.shipment.consigneeName': 'اسم المستلم',
  'label.shipment.consigneePhone': 'هاتف المستلم أو بريده',
  'label.email': 'البريد الإلكتروني',
  'label.phone': 'رقم الهاتف',
  'label.value': 'القيمة',
  'label.password': 'كلمة المرور',
  'label.name': 'الاسم',
  'label.officerId': 'المسؤول عن الحساب',
  'label.accountId': 'الحساب',
  'label.memberIds': 'الأعضاء',
  'label.version': 'الإصدار',
  'label.body': 'الرسالة',
  'label.attachmentIds': 'المرفقات',
  address_taken: 'يوجد صندوق بريد آخر يستخدم هذا العنوان.',
  'email.not_retryable': 'لا يمكن إعادة المحاولة إلا للرسائل التي فشلت أو المعزولة.',
  'email.no_sender': 'لا يوجد في هذه الرسالة عنوان مرسل لفتح تذكرة له.',
  'email.no_relay': 'لا يوجد خادم إرسال لهذا الصندوق بعد؛ تنتظر الرسالة في صندوق الصادر حتى يُضبط.',
  'label.address': 'العنوان',
  'label.imapHost': 'خادم IMAP',
  'label.imapUser': 'مستخدم IMAP',
  'label.imapPassword': 'كلمة مرور IMAP',
  'label.imapPort': 'منفذ IMAP',
  'label.relayHost': 'خادم الإرسال',
  'label.relayPort': 'منفذ خادم الإرسال',
  'label.relayUser': 'مستخدم خادم الإرسال',
  'label.relayPassword': 'كلمة مرور خادم الإرسال',
  'label.language': 'اللغة',
  'mail.sla.subject': '[#{{number}}] تصعيد مستوى الخدمة: {{target}}',
  'mail.sla.greeting': 'مرحباً {{name}}،',
  'mail.sla.body': 'بلغت التذكرة رقم {{number}} "{{subject}}" خطوة التصعيد "{{step}}" لهدف {{target}}.',
  'mail.sla.due': 'الموعد: {{due}}.',
  'mail.sla.open': 'افتح التذكرة: {{url}}',
  'sla.target.first_response': 'الرد الأول',
  'sla.target.next_response': 'الرد التالي',
  'sla.target.resolution': 'الحل',
  'sla.target.internal': 'القسم',
  'mail.footer': 'التذكرة رقم {{number}} · {{brand}}. للإضافة إلى طلبك، ردّ على هذه الرسالة.',
  'mail.ack.subject': '[#{{number}}] استلمنا رسالتك: {{subject}}',
  'mail.ack.greeting': 'مرحباً {{name}}،',
  'mail.ack.body': 'شكراً لتواصلك مع {{brand}}. رقم طلبك المرجعي هو {{number}}. سيرد عليك أحد أعضاء فريقنا في أقرب وقت ممكن، والرد على هذه الرسالة يضيف إلى الطلب نفسه.',
  'mail.ack.signoff': 'فريق {{brand}}',
  'mail.reply.subject': 'رد: {{subject}} [#{{number}}]',
  'mail.portal_verify.subject': 'أكّد عنوان بريدك الإلكتروني لدى {{brand}}',
  'mail.portal_verify.body': 'مرحباً {{name}}، افتح هذا الرابط لتأكيد بريدك الإلكتروني وإكمال التسجيل في بوابة عملاء {{brand}}. يعمل الرابط مرة واحدة خلال {{hours}} ساعة:',
  'mail.portal_signin.subject': 'رابط تسجيل الدخول إلى {{brand}}',
  'mail.portal_signin.body': 'مرحباً {{name}}، افتح هذا الرابط لتسجيل الدخول إلى بوابة عملاء {{brand}}. يعمل الرابط مرة واحدة خلال {{minutes}} دقيقة:',
  'mail.portal.ignore': 'إن لم تطلب هذا فتجاهل هذه الرسالة؛ لن يتغير شيء.',
  'portal.email_unverified': 'أكّد عنوان بريدك الإلكتروني أولاً: افتح الرابط الذي أرسلناه إليك، أو اطلب رابطاً جديداً.',
  'portal.link_invalid': 'انتهت صلاحية هذا الرابط أو استُخدم من قبل. اطلب رابطاً جديداً.',
  'portal.weak_password': 'اختر كلمة مرور من 8 أحرف على الأقل.',
  // phone and social channels
  webhook_refused: 'رُفض الطلب الوارد: {{reason}}.',
  webhook_inactive: 'رُفض الطلب الوارد: {{reason}}.',
  webhook_unavailable: 'لم يُقبل الحدث: {{reason}}. أرسله مرة أخرى لاحقًا.',
  'label.number': 'رقم الهاتف',
  'label.outcome': 'نتيجة المكالمة',
  'label.durationSeconds': 'المدة',
  'label.direction': 'الاتجاه',
  'label.ticketId': 'التذكرة',
  'label.contactId': 'جهة الاتصال',
  'label.checklist': 'قائمة التحقق',
  'label.from': 'رقم المتصل',
  'label.outboundUrl': 'عنوان الإرسال',
  'label.outboundToken': 'رمز الإرسال',
  'label.webhookSecret': 'سر الخطاف',
};

// Key accounts, revenue and routing (issue 5).
Object.assign(en, {
  'key_accounts.missing_rates': 'Enter a currency rate for {{currencies}} before ranking: revenue is converted to one currency first.',
  'label.file': 'File',
  'label.createUnknown': 'Create unknown accounts',
  'routing.group_not_found': 'The group of this rule does not exist.',
  'contact_task.already_done': 'This task is already done.',
  'label.followUpTicketNumber': 'Follow-up ticket',
  'label.week': 'Week',
  'label.firstDueOn': 'First due date',
  'reports.not_allowed': 'Reports are for managers, supervisors and administrators.',
  'reports.no_drilldown': 'Proactive contacts are tasks, not tickets: open them in the key account.',
} satisfies Catalog);
Object.assign(ar, {
  'key_accounts.missing_rates': 'أدخل سعر صرف للعملة {{currencies}} قبل الترتيب: تُحوَّل الإيرادات إلى عملة واحدة أولاً.',
  'label.file': 'الملف',
  'label.createUnknown': 'إنشاء الحسابات غير المعروفة',
  'routing.group_not_found': 'مجموعة هذه القاعدة غير موجودة.',
  'contact_task.already_done': 'هذه المهمة منجزة بالفعل.',
  'label.followUpTicketNumber': 'تذكرة المتابعة',
  'label.week': 'الأسبوع',
  'label.firstDueOn': 'تاريخ الاستحقاق الأول',
  'reports.not_allowed': 'التقارير متاحة للمديرين والمشرفين ومسؤولي النظام.',
  'reports.no_drilldown': 'التواصل الاستباقي مهام وليس تذاكر: افتحها من صفحة كبار العملاء.',
} satisfies Catalog);

const catalogs: Record<Lang, Catalog> = { en, ar };

/**
 * Why a value was refused, as the code that refused it says it in English: the English text is the
 * key (as in gettext), `{{name}}` marks a value filled in. A reason missing here is shown in
 * English; i18n.test.ts fails for any literal reason in the source that has no Arabic.
 */
const arReasons: Catalog = {
  'not a date': 'ليس تاريخًا',
  'the file is empty': 'الملف فارغ',
  'missing column {{columns}}': 'عمود ناقص: {{columns}}',
  'the file is not CSV: a quote is not closed, or is in the middle of a value, near line {{line}}': 'الملف ليس بصيغة CSV: علامة اقتباس غير مغلقة أو في وسط قيمة قرب السطر {{line}}',
  'the file is not CSV: it cannot be read near line {{line}}': 'الملف ليس بصيغة CSV: تتعذّر قراءته قرب السطر {{line}}',
  'not a URL': 'ليس عنوان URL',
  'not an email address': 'ليس عنوان بريد إلكتروني',
  'not a valid phone number': 'ليس رقم هاتف صالحًا',
  'not a member of the group': 'ليس عضوًا في المجموعة',
  'not a cursor this API gave out': 'ليس مؤشر صفحات صادرًا عن هذه الواجهة',
  'must be after from': 'يجب أن يكون بعد تاريخ البداية',
  'must be http or https': 'يجب أن يكون http أو https',
  'no events found': 'لم يُعثر على أي أحداث',
  'no such contact': 'لا توجد جهة اتصال بهذا المعرّف',
  'listed twice': 'مذكور مرتين',
  'use true or false': 'استخدم true أو false',
  'the bot token': 'رمز البوت',
  '1 to 100 characters': 'من 1 إلى 100 حرف',
  'already used by another account': 'مستخدم في حساب آخر',
  'a contact cannot be merged into itself': 'لا يمكن دمج جهة اتصال في نفسها',
  'a move needs a group or an agent': 'النقل يحتاج إلى مجموعة أو موظف',
  'a bucket key needs the dimension it belongs to': 'مفتاح الفئة يحتاج إلى البُعد الذي ينتمي إليه',
  'a private or reserved address; the server operator can allow it with CAREDESK_OUTBOUND_ALLOW':
    'عنوان خاص أو محجوز؛ يمكن لمشغّل الخادم السماح به عبر CAREDESK_OUTBOUND_ALLOW',
  'put credentials in outboundToken, not in the URL': 'ضع بيانات الدخول في outboundToken وليس في العنوان',
  'one target per kind and priority': 'هدف واحد لكل نوع وأولوية',
  'step keys must be unique in a ladder': 'يجب أن تكون مفاتيح الخطوات فريدة داخل سلّم التصعيد',
  'the event could not be stored': 'تعذّر حفظ الحدث',
  'the period has not ended yet': 'الفترة لم تنتهِ بعد',
  'there is no call script for this category': 'لا يوجد نص مكالمة لهذه الفئة',
  'this connector is switched off': 'هذه القناة متوقفة',
  'used twice in this checklist': 'مستخدم مرتين في قائمة التحقق هذه',
  'you cannot remove your own admin access': 'لا يمكنك إزالة صلاحية المشرف عن نفسك',
  'at most {{n}} characters': '{{n}} حرفًا على الأكثر',
  'at most {{n}} days': '{{n}} يومًا على الأكثر',
  'cannot go from {{from}} to {{to}}': 'لا يمكن الانتقال من {{from}} إلى {{to}}',
  '{{currency}} is the base currency (rate 1)': '{{currency}} هي العملة الأساسية (سعرها 1)',
  '"{{key}}" is not on this category\'s call script': '"{{key}}" ليس في نص المكالمة لهذه الفئة',
  'the script requires "{{label}}"': 'نص المكالمة يتطلب "{{label}}"',
};

const fill = (template: string, params: Record<string, unknown>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name] ?? ''));

/**
 * A reason with values filled in, read in the requester's language when the problem is sent. In
 * a string context (logs, the problem's English title) it is its English text.
 */
export class Reason {
  constructor(
    private readonly english: string,
    private readonly values: Record<string, unknown> = {},
    /** Texts made elsewhere (a validator's own translations), by language. */
    private readonly given?: Partial<Record<Lang, string>>,
  ) {}

  in(lang: Lang): string {
    if (this.given) return this.given[lang] ?? this.given.en ?? this.english;
    return fill((lang === 'ar' ? arReasons[this.english] : undefined) ?? this.english, this.values);
  }

  toString(): string {
    return this.in('en');
  }
}

/** `reason('at most {{n}} characters', { n: 500 })`: a refusal's reason that has values in it. */
export const reason = (english: string, values: Record<string, unknown> = {}) => new Reason(english, values);

/** A parameter of a message in `lang`: reasons are translated, everything else shown as it is. */
function paramIn(lang: Lang, value: unknown): string {
  if (value instanceof Reason) return value.in(lang);
  if (typeof value === 'string') return (lang === 'ar' ? arReasons[value] : undefined) ?? value;
  return String(value ?? '');
}

export function t(lang: Lang, key: string, params: Record<string, unknown> = {}): string | undefined {
  const template = catalogs[lang][key] ?? catalogs.en[key];
  if (template === undefined) return undefined;
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => paramIn(lang, params[name]));
}

export function fieldLabel(lang: Lang, field: string): string {
  // An item of a list (`checklist.identity`) is named by its list when it has no label of its own.
  return t(lang, `label.${field}`) ?? (field.includes('.') ? t(lang, `label.${field.split('.')[0]}`) : undefined) ?? field;
}

export function pickLang(acceptLanguage: string | undefined): Lang | undefined {
  if (!acceptLanguage) return undefined;
  for (const part of acceptLanguage.split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase();
    if (tag?.startsWith('ar')) return 'ar';
    if (tag?.startsWith('en')) return 'en';
  }
  return undefined;
}

/** Keys of both catalogs, so a test can prove they match. */
export const catalogKeys = { en: Object.keys(en), ar: Object.keys(ar), arReasons: Object.keys(arReasons) };
