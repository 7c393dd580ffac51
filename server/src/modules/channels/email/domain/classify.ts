import { normaliseMessageId, type ParsedMail } from './parse.js';

/**
 * Decides whether an inbound mail was written by a person, and whether the helpdesk may answer it
 * automatically. Getting this wrong either starts a mail loop with another robot (Zammad/OTRS
 * loop-protection issues) or turns bounces into tickets, so the rules lean towards "automatic":
 * a human message wrongly held back from an auto-acknowledgement costs little.
 */

export type MailKind = 'human' | 'auto_reply' | 'bounce' | 'bulk' | 'loop' | 'feedback';

export type BounceInfo = {
  /** Message-ID (normalised) of our message that failed, when the bounce carries it. */
  originalMessageId: string | null;
  recipients: string[];
  /** RFC 3463 enhanced status (e.g. 5.1.1) when one was found. */
  status: string | null;
  /** The address will not work on retry (unknown user/domain, moved); delays and full mailboxes are soft. */
  hard: boolean;
};

export type MailClass = {
  kind: MailKind;
  reason: string;
  /** May the helpdesk send an automatic acknowledgement to the sender? Only ever true for human mail. */
  mayAutoRespond: boolean;
  /** Set for `bounce` (the failed message) and `feedback` (the complained-about message; hard is false). */
  bounce?: BounceInfo;
};

const h1 = (m: ParsedMail, key: string): string | null => m.headers[key]?.[0]?.trim() ?? null;
const hasHeader = (m: ParsedMail, key: string) => (m.headers[key]?.length ?? 0) > 0;

// Senders that only ever speak for a mail system.
const SYSTEM_LOCAL = /^(mailer-daemon|postmaster|mail-daemon|maildaemon|mailerdaemon|mail\.?delivery|mdaemon|bounces?|nobody-bounce|double-bounce|sysadmin)$/i;
const SYSTEM_NAME = /\b(mail(er)? delivery (sub)?system|mail delivery service|mailer[- ]daemon|postmaster|mail administrator|system administrator|interscan|ndr administrator)\b/i;

// Subjects MTAs put on non-delivery reports. Several languages, because the report comes in the
// language of the receiving server, not ours.
const BOUNCE_SUBJECT = new RegExp(
  [
    'undeliver(able|ed)', 'undelivered mail', 'returned mail', 'returned to sender', 'delivery (status )?notification',
    'delivery (has )?failed', 'delivery failure', 'failed delivery', 'failure notice', 'mail delivery failed',
    'delivery status', 'non[- ]?deliver(y|able)', 'could not be delivered', 'message (delivery )?has failed',
    'mail system error', 'delayed mail', 'delivery (delayed|delay)', 'warning: message .* delayed', 'permanent delivery failure',
    'error sending your mail', 'returning (message )?to sender', 'message not delivered', 'delivery problem', 'rejected:?',
    'unzustellbar', 'nicht zustellbar', 'non recapitabile', 'non remis', 'no se puede entregar', 'niet bezorgbaar',
    'onbestelbaar', 'не доставлено', 'недоставленное', 'ошибка доставки', 'لم يتم التسليم', 'فشل التسليم',
    'メール配信エラー', '配信不能', '送信できません', 'エラー', '退信', '系统退信', 'loop alert',
  ].join('|'),
  'i',
);

// Phrases inside a non-delivery report body (when headers and subject say little).
const BOUNCE_BODY = new RegExp(
  [
    'this is the mail system at host', 'i\'m sorry to have to inform you that your message could not',
    'this message was created automatically by mail delivery software', 'delivery to the following recipient(s)? (failed|has been delayed)',
    'could not be delivered to', 'was not delivered to', 'undeliverable', 'message could not be delivered',
    'the following (message|addresses?|recipients?) (had|could not|failed|was undeliverable)', 'unable to deliver',
    'delivery has failed', 'permanent error', 'user unknown', 'no such user', 'mailbox (is )?(full|unavailable)',
    'returned mail', 'message delivery has failed', 'this is a permanent error', 'failed to deliver',
    'your message (did not|couldn\'t|could not|wasn\'t) (reach|be delivered)', 'hi\\. this is the qmail-send program',
    'this is an automatically generated delivery status notification', 'delivery status notification',
    'the original message was received at', 'bounce(d)? (message|email)', 'the message you sent .* (has been|was) (rejected|returned)',
    'could not deliver', 'delivery failure', 'original mail as follows', 'delivery attempts will continue', 'has not yet been delivered',
  ].join('|'),
  'i',
);

// Out-of-office subjects. Conservative phrases only: "vacation: " etc. as a prefix, or full phrases.
const OOO_SUBJECT = new RegExp(
  [
    '^(auto(matic)?[- ]?(reply|response|antwort|answer)|autoreply|auto-reply)\\b', '^(out of (the )?office|ooo)\\b', '\\bout of (the )?office\\b',
    '^vacation( response)?:', '\\bvacation (response|reply)\\b', '^abwesenheitsnotiz', '\\babwesend\\b', '^automatische antwort',
    '^réponse automatique', '^reponse automatique', '\\babsence du bureau\\b', '^risposta automatica', '^fuori sede',
    '^respuesta automática', '^fuera de la oficina', '^resposta automática', '^automatisch antwoord', '^afwezig',
    '^autosvar', '^automatisk svar', '^automaattinen vastaus', '^автоответ', '^автоматический ответ', '^otomatik yanıt',
    '^odpowiedź automatyczna', '^automatická odpověď', '^رد تلقائي', '^الرد التلقائي', '^خارج المكتب', '^自動応答', '^自动回复',
    '^自動回覆', '^자동 응답', '\\bis out of the office\\b', '^on leave\\b',
  ].join('|'),
  'i',
);

const PRECEDENCE_BULK = /^(bulk|junk|list)$/i;

/** Anything but "no" means a robot sent it (RFC 3834 §5). */
function autoSubmitted(m: ParsedMail): string | null {
  const v = h1(m, 'auto-submitted');
  if (!v) return null;
  const token = v.split(';')[0]!.trim().toLowerCase();
  return token && token !== 'no' ? token : null;
}

const YES = /^(yes|true|1|on)\b/i;

function domainOf(addr: string | null | undefined): string | null {
  if (!addr) return null;
  const at = addr.lastIndexOf('@');
  return at >= 0 ? addr.slice(at + 1).toLowerCase().replace(/>$/, '') : null;
}

// The returned original starts after one of these; recipients and Message-ID are read only above/below it.
const ORIGINAL_MARKER =
  /^.*(original message|copy of the message|returned message|message headers follow|below this line|original mail|undelivered message|headers of the original|message was sent|--- ?original|rfc822)/im;

function originalIdFromText(text: string): string | null {
  const slice = text.slice(0, 200_000);
  const m = /^\s*>?\s*Message-I[Dd]\s*:\s*(<[^<>\s]+>|\S+@\S+)/m.exec(slice);
  return m ? normaliseMessageId(m[1]!) : null;
}

const ADDR = /[A-Za-z0-9._%+'=-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

function textRecipients(m: ParsedMail): string[] {
  const head = m.text.slice(0, 20_000);
  const cut = ORIGINAL_MARKER.exec(head);
  const part = cut ? head.slice(0, cut.index) : head;
  const sender = m.from?.address;
  const out: string[] = [];
  for (const a of part.match(ADDR) ?? []) {
    const addr = a.toLowerCase().replace(/\.$/, '');
    if (addr === sender || SYSTEM_LOCAL.test(addr.split('@')[0]!) || out.includes(addr)) continue;
    out.push(addr);
    if (out.length >= 10) break;
  }
  return out;
}

const HARD_STATUS = /^5\.(1\.(0|1|2|3|6|10)|4\.4)$/;
const HARD_TEXT =
  /user unknown|unknown user|no such (user|mailbox|recipient|address)|does not exist|doesn't exist|invalid (recipient|mailbox|address)|recipient address rejected: (user unknown|undeliverable)|address rejected|mailbox unavailable|not a valid mailbox|unrouteable address|host (or domain name )?not found|domain (name )?not found|no mx|nxdomain|has moved|account (has been )?(disabled|deleted|closed)|unknown (local[- ]part|recipient)|address (couldn't|could not|cannot) be found|no such domain|not listed in|invalid final delivery userid|mailbox not found/i;

function bounceInfo(m: ParsedMail): BounceInfo {
  const r = m.report;
  const failed = (r?.recipients ?? []).filter((x) => !x.action || !/^(delivered|relayed|expanded)$/i.test(x.action));
  const xfailed = (m.headers['x-failed-recipients'] ?? []).flatMap((v) => v.split(/[,\s]+/)).filter((a) => a.includes('@'));
  const recipients = [...new Set([...failed.map((x) => x.recipient.toLowerCase()), ...xfailed.map((a) => a.toLowerCase())])].filter(Boolean);
  const head = m.text.slice(0, 20_000);
  const status =
    failed.find((x) => x.status)?.status?.match(/\d\.\d{1,3}\.\d{1,3}/)?.[0] ??
    /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(head)?.[1] ??
    null;
  // The explanation above the returned original; the original itself may say anything.
  const cut = ORIGINAL_MARKER.exec(head);
  const explanation = failed.map((x) => x.diagnostic ?? '').join('\n') + '\n' + (cut ? head.slice(0, cut.index) : head);
  // Without any code, "user unknown"-type wording is itself a permanent verdict.
  const permanent = status ? status.startsWith('5') : /\b5\d\d[ -]/.test(explanation) || HARD_TEXT.test(explanation);
  // A specific status code decides; only a generic one (5.0.0, vendor 5.0.9xx) or none falls back to wording.
  const specific = status !== null && !/^\d\.0\.\d+$/.test(status);
  const hard = permanent && (specific ? HARD_STATUS.test(status) : HARD_TEXT.test(explanation));
  return {
    originalMessageId: r?.originalMessageId ?? originalIdFromText(m.text),
    recipients: recipients.length ? recipients : textRecipients(m),
    status,
    hard,
  };
}

function looksLikeBounce(m: ParsedMail): string | null {
  const r = m.report;
  if (r?.type === 'delivery-status' || (r && r.recipients.length && r.type !== 'feedback-report')) return 'multipart/report delivery-status';
  if (hasHeader(m, 'x-failed-recipients')) return 'X-Failed-Recipients header';
  const from = m.from;
  const local = from?.address.split('@')[0] ?? '';
  // "MAILER-DAEMON <>" parses to no usable address, so the raw header is consulted too.
  const rawFrom = from ? '' : `${h1(m, 'from') ?? ''} ${h1(m, 'sender') ?? ''}`;
  const systemSender = (from && (SYSTEM_LOCAL.test(local) || SYSTEM_NAME.test(from.name))) || (!from && /mailer-daemon|postmaster|mail delivery/i.test(rawFrom));
  const nullReturnPath = (m.headers['return-path'] ?? []).some((v) => /^<\s*>$/.test(v.trim()));
  const subject = m.subject;
  const bodyHit = BOUNCE_BODY.test(m.text.slice(0, 20_000));
  if (systemSender && (BOUNCE_SUBJECT.test(subject) || bodyHit || r?.originalMessageId)) return `non-delivery report from ${from?.address ?? 'mailer-daemon'}`;
  // A subject alone is weak ("Re: invoice rejected"): it needs bounce wording in the body too,
  // or the null sender that only mail systems use.
  if (BOUNCE_SUBJECT.test(subject) && (bodyHit || nullReturnPath)) return `non-delivery report (subject "${subject.slice(0, 60)}")`;
  if (nullReturnPath && bodyHit) return 'non-delivery report (null return path)';
  return null;
}

function isDeliveredDsn(m: ParsedMail): boolean {
  const recipients = m.report?.recipients ?? [];
  return m.report?.type === 'delivery-status' && recipients.length > 0 && recipients.every((x) => /^(delivered|relayed|expanded)$/i.test(x.action ?? ''));
}

function looksLikeFeedback(m: ParsedMail): string | null {
  if (m.report?.type === 'feedback-report' || m.report?.feedbackType) return `ARF feedback report (${m.report.feedbackType ?? 'unknown type'})`;
  if (hasHeader(m, 'feedback-type')) return 'Feedback-Type header';
  // Some providers send complaints without the ARF wrapper (Hotmail JMRP, iCloud "unsubscribe").
  if (/complaint about message from|^abuse report|^spam report|^fbl/i.test(m.subject) && (m.attachments.some((a) => a.contentType === 'message/rfc822') || m.report?.originalMessageId)) {
    return 'complaint report with the original attached';
  }
  // Apple Mail's one-click unsubscribe is an opt-out report, whatever its Auto-Submitted says.
  if (YES.test(h1(m, 'x-apple-unsubscribe') ?? '')) return 'unsubscribe request (X-Apple-Unsubscribe)';
  return null;
}

/** Amazon SES event notifications delivered by SNS e-mail: a JSON body instead of a DSN. */
function sesNotification(m: ParsedMail): MailClass | null {
  if (!/\bamazonaws\.com$|\bamazonses\.com$/.test(m.from?.address ?? '')) return null;
  const type = /^\s*\{\s*"notificationType"\s*:\s*"(\w+)"/.exec(m.text)?.[1];
  if (!type) return null;
  if (type === 'Delivery') return { kind: 'auto_reply', reason: 'Amazon SES delivery notification', mayAutoRespond: false };
  if (type === 'Complaint') return { kind: 'feedback', reason: 'Amazon SES complaint notification', mayAutoRespond: false };
  if (type !== 'Bounce') return null;
  let hard = false;
  let recipients: string[] = [];
  let originalMessageId: string | null = null;
  try {
    const j = JSON.parse(m.text.slice(0, m.text.lastIndexOf('}') + 1)) as {
      bounce?: { bounceType?: string; bouncedRecipients?: Array<{ emailAddress?: string }> };
      mail?: { messageId?: string; headers?: Array<{ name?: string; value?: string }> };
    };
    hard = j.bounce?.bounceType === 'Permanent';
    recipients = (j.bounce?.bouncedRecipients ?? []).map((r) => (r.emailAddress ?? '').toLowerCase()).filter(Boolean);
    const header = j.mail?.headers?.find((x) => x.name?.toLowerCase() === 'message-id')?.value;
    originalMessageId = normaliseMessageId(header ?? null);
  } catch {
    // Truncated JSON: still a bounce, just without details.
  }
  return { kind: 'bounce', reason: 'Amazon SES bounce notification', mayAutoRespond: false, bounce: { originalMessageId, recipients, status: null, hard } };
}

/**
 * @param ourDomains domains whose Message-IDs we generate: a mail carrying one of them came from us
 * (exact match: a subdomain may be someone else's system).
 */
export function classifyMail(m: ParsedMail, ourDomains: string[] = []): MailClass {
  const ses = sesNotification(m);
  if (ses) return ses;
  const feedback = looksLikeFeedback(m);
  if (feedback) {
    // The complained-about message, so the caller can find the conversation it belongs to.
    const bounce = { originalMessageId: m.report?.originalMessageId ?? null, recipients: (m.report?.recipients ?? []).map((r) => r.recipient), status: null, hard: false };
    return { kind: 'feedback', reason: feedback, mayAutoRespond: false, bounce };
  }

  // A success DSN ("delivered") is automatic but reports no failure: the caller must not mark anything failed.
  if (isDeliveredDsn(m)) return { kind: 'auto_reply', reason: 'delivery status notification: delivered', mayAutoRespond: false };

  const bounce = looksLikeBounce(m);
  if (bounce) return { kind: 'bounce', reason: bounce, mayAutoRespond: false, bounce: bounceInfo(m) };

  const ours = new Set(ourDomains.map((d) => d.toLowerCase()));
  const idDomain = domainOf(m.messageId);
  // Only our generated ids (`cd.<ticket>.…`) mark a loop: colleagues on the company domain write too,
  // and their mail must become a (flagged) ticket, not vanish.
  if (idDomain && ours.has(idDomain) && /^<?cd\.\d+\./.test(m.messageId ?? '')) return { kind: 'loop', reason: `Message-ID generated by us on ${idDomain}`, mayAutoRespond: false };
  for (const key of ['x-loop', 'x-otrs-loop', 'x-zammad-loop', 'x-no-loop']) {
    const v = h1(m, key);
    // X-Loop often carries an address instead of yes/true (procmail, RT); any value is a loop marker.
    if (v !== null && !/^(no|false|0)$/i.test(v)) return { kind: 'loop', reason: `${key}: ${v.slice(0, 80)}`, mayAutoRespond: false };
  }

  const auto = autoSubmitted(m);
  if (auto) return { kind: 'auto_reply', reason: `Auto-Submitted: ${auto}`, mayAutoRespond: false };
  for (const key of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-autogenerated', 'x-autoreply-from', 'x-mail-autoreply', 'x-fc-machinegenerated']) {
    const v = h1(m, key);
    if (v !== null && !/^(no|false|0)$/i.test(v)) return { kind: 'auto_reply', reason: `${key} header`, mayAutoRespond: false };
  }
  const precedence = (h1(m, 'precedence') ?? h1(m, 'x-precedence'))?.toLowerCase() ?? null;
  if (precedence === 'auto_reply' || precedence === 'auto-reply') return { kind: 'auto_reply', reason: `Precedence: ${precedence}`, mayAutoRespond: false };
  const suppress = h1(m, 'x-auto-response-suppress');
  // Exchange marks its own out-of-office replies with both the suppress header and an inbox-rules loop header.
  if (suppress && hasHeader(m, 'x-ms-exchange-inbox-rules-loop')) return { kind: 'auto_reply', reason: 'Exchange inbox rule reply', mayAutoRespond: false };
  if (suppress && /\ball\b/i.test(suppress)) return { kind: 'auto_reply', reason: `X-Auto-Response-Suppress: ${suppress}`, mayAutoRespond: false };
  if (OOO_SUBJECT.test(m.subject)) return { kind: 'auto_reply', reason: 'out-of-office subject', mayAutoRespond: false };

  if (precedence && PRECEDENCE_BULK.test(precedence)) return { kind: 'bulk', reason: `Precedence: ${precedence}`, mayAutoRespond: false };
  if (hasHeader(m, 'list-id') || hasHeader(m, 'list-unsubscribe') || hasHeader(m, 'mailing-list')) {
    return { kind: 'bulk', reason: hasHeader(m, 'list-id') ? 'List-Id header' : 'List-Unsubscribe header', mayAutoRespond: false };
  }

  // A person, but one whose client asked not to be auto-answered (Outlook: OOF, AutoReply …).
  if (suppress && !/^none$/i.test(suppress)) return { kind: 'human', reason: `X-Auto-Response-Suppress: ${suppress}`, mayAutoRespond: false };
  // No address to answer, or the answer would go to a robot.
  const replyTarget = m.replyTo[0]?.address ?? m.from?.address ?? '';
  if (!replyTarget || SYSTEM_LOCAL.test(replyTarget.split('@')[0]!) || /^(no-?reply|do-?not-?reply)/i.test(replyTarget)) {
    return { kind: 'human', reason: replyTarget ? 'reply address is a no-reply/system mailbox' : 'no address to reply to', mayAutoRespond: false };
  }
  if (YES.test(h1(m, 'x-spam-flag') ?? '')) return { kind: 'human', reason: 'flagged as spam', mayAutoRespond: false };
  return { kind: 'human', reason: 'no automation markers', mayAutoRespond: true };
}
