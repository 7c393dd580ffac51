import { Worker } from 'node:worker_threads';
import path from 'node:path';
import type { QuoteSplit } from './quoted.js';

/**
 * Turns a raw RFC 5322 message into a `ParsedMail`. mailparser is not safe against hostile input
 * (its maintainer says so: mailparser#378, #202), so it runs in a worker thread with a size cap, a
 * wall-clock budget and a heap limit; a message that breaks any of them is rejected with a
 * `MailParseError` whose `reason` the caller stores when it quarantines the raw message.
 */

export type MailParseFailure =
  | 'too_large' // raw message above maxBytes; refused before any parsing
  | 'timeout' // parsing took longer than timeoutMs; the worker was terminated
  | 'out_of_memory' // the worker hit its heap limit
  | 'limits_exceeded' // mailparser's own guards: header block above 1 MB, more than 1000 MIME parts
  | 'parser_error' // mailparser threw
  | 'no_content' // nothing that looks like a message (empty input, no headers and no body)
  | 'worker_failed'; // the worker could not start or died for another reason

export class MailParseError extends Error {
  override readonly name = 'MailParseError';
  constructor(
    readonly reason: MailParseFailure,
    message: string,
  ) {
    super(message);
  }
}

export type MailAddress = { address: string; name: string };

export type MailAttachment = {
  /** Safe to store and show (no path, no control or bidi characters); invented from the type when missing. */
  filename: string;
  contentType: string;
  size: number;
  /** Content-ID without angle brackets, to match `cid:` references in `html`. */
  contentId: string | null;
  /** Shown in the body (inline image referenced by the HTML) rather than listed as a file. */
  inline: boolean;
  content: Uint8Array;
  /** Unpacked from a winmail.dat / application/ms-tnef part. */
  fromTnef?: boolean;
};

/** What a multipart/report (DSN, ARF) or a returned original message told us. */
export type MailReport = {
  /** report-type of a multipart/report (`delivery-status`, `feedback-report`, `disposition-notification` …), or null. */
  type: string | null;
  /** ARF Feedback-Type (`abuse`, `fraud` …). */
  feedbackType: string | null;
  recipients: Array<{ recipient: string; action: string | null; status: string | null; diagnostic: string | null }>;
  /** Message-ID (normalised like `messageId`) of the returned original, from message/rfc822 or text/rfc822-headers. */
  originalMessageId: string | null;
  originalFrom: string | null;
  originalSubject: string | null;
  originalTo: string[];
};

export type ParsedMail = {
  /** Without angle brackets, trimmed, domain part lower-cased. */
  messageId: string | null;
  inReplyTo: string[];
  /** At most the last 100 ids. */
  references: string[];
  /** NFC, control characters removed, '' when absent. */
  subject: string;
  from: MailAddress | null;
  replyTo: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  /** ISO 8601, null when missing or unparseable. */
  date: string | null;
  /**
   * Selected headers, lower-case keys, every occurrence in order, RFC 2047 decoded (except
   * authentication-results and content-type, kept verbatim). Values capped at 8 KB, 20 per key.
   */
  headers: Record<string, string[]>;
  /** Top-level MIME type and its parameters (e.g. report-type). */
  contentType: { value: string; params: Record<string, string> };
  /** Plain-text body; derived from the HTML with htmlToText when the message has only HTML. */
  text: string;
  /** Sanitised with platform sanitiseHtml; `cid:` image references are left for the caller to rewrite. */
  html: string | null;
  /** text and html split into what the customer wrote and the quoted history (quoted.ts). */
  split: QuoteSplit;
  attachments: MailAttachment[];
  tnefUnpacked: boolean;
  report: MailReport | null;
  /** Oddities noticed while parsing, for the audit trail. */
  defects: string[];
};

export type ParseLimits = {
  /** Raw size cap in bytes. Default 40 MB. */
  maxBytes?: number;
  /** Wall-clock budget in ms, worker start included. Default 10 s. */
  timeoutMs?: number;
  /** Worker heap cap in MB. Default 512. */
  memoryMb?: number;
};

const DEFAULTS = { maxBytes: 40 * 1024 * 1024, timeoutMs: 10_000, memoryMb: 512 };
/** Bodies above this are cut before sanitising; nobody reads 5 M characters of HTML in a ticket. */
const MAX_HTML_CHARS = 5_000_000;
const POOL_SIZE = 2;

/** Shape posted by parse-worker.mjs; keep in step with it. */
type WorkerAttachment = {
  filename: string | null;
  contentType: string;
  contentId: string | null;
  disposition: string | null;
  related: boolean;
  content: Uint8Array;
  fromTnef: boolean;
};
type WorkerMail = {
  headerCount: number;
  headers: Record<string, string[]>;
  contentType: string;
  contentTypeParams: Record<string, string>;
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  subject: string | null;
  from: MailAddress[];
  replyTo: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  date: string | null;
  text: string;
  html: string | null;
  split: QuoteSplit;
  attachments: WorkerAttachment[];
  tnefUnpacked: boolean;
  report: (Omit<MailReport, 'originalMessageId'> & { originalMessageId: string | null }) | null;
  defects: string[];
};
type WorkerReply = { id: number; ok: true; result: WorkerMail } | { id: number; ok: false; code: string; message: string } | { ready: true };

type Job = {
  id: number;
  raw: Buffer;
  timeoutMs: number;
  memoryMb: number;
  resolve: (m: WorkerMail) => void;
  reject: (e: MailParseError) => void;
};
type Slot = { worker: Worker; memoryMb: number; job: Job | null; timer: NodeJS.Timeout | null; ready: boolean };

const workerUrl = new URL('./parse-worker.mjs', import.meta.url);
/** How long a new worker may take to load its modules before it is given up. */
const STARTUP_MS = 60_000;

/**
 * A small pool: starting a worker costs ~0.3 s (module loading), so workers are reused; a worker
 * that timed out or died is dropped and replaced on demand. Idle workers are unref'd so they never
 * keep the process alive.
 */
class ParserPool {
  private readonly slots = new Set<Slot>();
  private readonly idle: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;

  run(raw: Buffer, timeoutMs: number, memoryMb: number): Promise<WorkerMail> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, raw, timeoutMs, memoryMb, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    const all = [...this.slots];
    this.slots.clear();
    this.idle.length = 0;
    await Promise.all(all.map((s) => s.worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length) {
      const job = this.queue[0]!;
      const slot = this.takeIdle(job.memoryMb) ?? (this.slots.size < POOL_SIZE ? this.spawn(job.memoryMb) : undefined);
      if (!slot) return;
      this.queue.shift();
      this.start(slot, job);
    }
  }

  private takeIdle(memoryMb: number): Slot | undefined {
    const i = this.idle.findIndex((s) => s.memoryMb === memoryMb);
    if (i >= 0) return this.idle.splice(i, 1)[0];
    // A worker with another heap limit is retired so the pool stays at POOL_SIZE.
    const other = this.idle.shift();
    if (other) this.discard(other);
    return undefined;
  }

  private spawn(memoryMb: number): Slot | undefined {
    let worker: Worker;
    try {
      worker = new Worker(workerUrl, {
        // Same start-up in vitest, tsx and `node --import tsx`: no inherited loader flags.
        execArgv: [],
        // A 64 MB young generation per worker held about 100 MB more of the server's memory under
        // load for no CPU saved (email bench: 700 → 590 MB peak); large parts go to the large-object
        // space whatever its size.
        resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 8 },
      });
    } catch (e) {
      // Nothing can be parsed without a worker: fail everything queued rather than leave it hanging.
      for (const job of this.queue.splice(0)) {
        job.reject(new MailParseError('worker_failed', `mail parser worker did not start: ${(e as Error).message}`));
      }
      return undefined;
    }
    const slot: Slot = { worker, memoryMb, job: null, timer: null, ready: false };
    this.slots.add(slot);
    worker.on('message', (msg: WorkerReply) => this.onMessage(slot, msg));
    worker.on('error', (err: Error & { code?: string }) =>
      this.fail(
        slot,
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new MailParseError('out_of_memory', `mail parser ran out of memory (${memoryMb} MB)`)
          : new MailParseError('worker_failed', `mail parser worker failed: ${err.message}`),
      ),
    );
    worker.on('exit', (code) => this.fail(slot, new MailParseError('worker_failed', `mail parser worker exited with code ${code}`)));
    return slot;
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref();
    // A private copy is transferred, not cloned, and the caller's Buffer stays untouched.
    const buffer = new ArrayBuffer(job.raw.byteLength);
    new Uint8Array(buffer).set(job.raw);
    // A fresh worker queues the message until its modules are loaded; the limit starts when it is ready.
    if (slot.ready) this.armTimer(slot, job);
    else slot.timer = setTimeout(() => this.fail(slot, new MailParseError('worker_failed', `mail parser worker did not start within ${STARTUP_MS} ms`)), STARTUP_MS);
    slot.worker.postMessage({ id: job.id, buffer, opts: { maxHtmlChars: MAX_HTML_CHARS } }, [buffer]);
  }

  private armTimer(slot: Slot, job: Job): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = setTimeout(() => this.fail(slot, new MailParseError('timeout', `mail parsing took longer than ${job.timeoutMs} ms`)), job.timeoutMs);
  }

  private onMessage(slot: Slot, msg: WorkerReply): void {
    if ('ready' in msg) {
      slot.ready = true;
      if (slot.job) this.armTimer(slot, slot.job);
      return;
    }
    const job = slot.job;
    if (!job || msg.id !== job.id) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.job = null;
    slot.timer = null;
    slot.worker.unref();
    this.idle.push(slot);
    if (msg.ok) job.resolve(msg.result);
    else job.reject(new MailParseError(msg.code === 'EMAXLEN' ? 'limits_exceeded' : 'parser_error', `mail parser: ${msg.message}`));
    this.pump();
  }

  /** The worker is no longer trusted: fail its job, drop it, let the queue continue on a fresh one. */
  private fail(slot: Slot, error: MailParseError): void {
    const job = slot.job;
    slot.job = null;
    if (slot.timer) clearTimeout(slot.timer);
    this.discard(slot);
    job?.reject(error);
    this.pump();
  }

  private discard(slot: Slot): void {
    if (!this.slots.delete(slot)) return;
    const i = this.idle.indexOf(slot);
    if (i >= 0) this.idle.splice(i, 1);
    slot.worker.removeAllListeners('message');
    void slot.worker.terminate();
  }
}

const pool = new ParserPool();

/** Terminates the parser workers (graceful shutdown, end of a test run). New calls start fresh workers. */
export function closeMailParsers(): Promise<void> {
  return pool.close();
}

export async function parseMail(raw: Buffer, limits: ParseLimits = {}): Promise<ParsedMail> {
  const maxBytes = limits.maxBytes ?? DEFAULTS.maxBytes;
  const timeoutMs = limits.timeoutMs ?? DEFAULTS.timeoutMs;
  const memoryMb = limits.memoryMb ?? DEFAULTS.memoryMb;
  if (raw.byteLength > maxBytes) {
    throw new MailParseError('too_large', `message of ${raw.byteLength} bytes exceeds the ${maxBytes}-byte limit`);
  }
  if (!/[^\s]/.test(raw.subarray(0, 64 * 1024).toString('latin1')) && raw.byteLength <= 64 * 1024) {
    throw new MailParseError('no_content', 'message is empty');
  }
  // Blank lines before the first header (mbox extraction artefacts) would make mailparser read the
  // whole message as a headerless body.
  let start = 0;
  while (start < raw.byteLength && start < 1024 && (raw[start] === 0x0d || raw[start] === 0x0a)) start++;
  const w = await pool.run(start ? raw.subarray(start) : raw, timeoutMs, memoryMb);
  if (start) w.defects.unshift('blank lines before the header');
  if (w.headerCount === 0 && !w.text.trim() && !w.html && w.attachments.length === 0) {
    throw new MailParseError('no_content', 'message has neither headers nor a body');
  }
  return normalise(w);
}

// ---------------------------------------------------------------------------------------------
// Normalisation (main thread, bounded input: the worker already capped every list and header)

// C0/C1 controls, bidi overrides and zero-width characters: they garble or disguise a subject or name.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function cleanLine(s: string): string {
  return s.normalize('NFC').replace(/[\r\n\t]+/g, ' ').replace(CONTROL, '').replace(/\s{2,}/g, ' ').trim();
}

/** `<Abc@Example.COM>` → `Abc@example.com`: local parts are case-sensitive, domains are not. */
export function normaliseMessageId(id: string | null | undefined): string | null {
  if (!id) return null;
  const m = /<([^<>]*)>/.exec(id);
  const inner = (m ? m[1]! : id).replace(/\s+/g, '').replace(CONTROL, '');
  if (!inner) return null;
  const at = inner.lastIndexOf('@');
  return (at > 0 ? inner.slice(0, at) + inner.slice(at).toLowerCase() : inner).slice(0, 998);
}

function normaliseIds(ids: string[]): string[] {
  const out: string[] = [];
  for (const id of ids) {
    const n = normaliseMessageId(id);
    if (n && !out.includes(n)) out.push(n);
  }
  return out;
}

function normaliseAddress(a: MailAddress): MailAddress | null {
  const address = a.address.replace(CONTROL, '').replace(/\s+/g, '').replace(/^<|>$/g, '').toLowerCase();
  if (!address) return null;
  const name = cleanLine(a.name).replace(/^(["'])(.*)\1$/, '$2').trim();
  return { address, name: name.toLowerCase() === address ? '' : name };
}

const addresses = (list: MailAddress[]) => list.map(normaliseAddress).filter((a): a is MailAddress => a !== null);

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg', 'image/jpg': 'jpg', 'image/gif': 'gif',
  'image/webp': 'webp', 'image/bmp': 'bmp', 'image/tiff': 'tif', 'image/svg+xml': 'svg', 'text/plain': 'txt',
  'text/html': 'html', 'text/calendar': 'ics', 'text/csv': 'csv', 'message/rfc822': 'eml', 'message/global': 'eml',
  'text/rfc822-headers': 'txt', 'application/zip': 'zip', 'application/msword': 'doc', 'application/ms-tnef': 'dat',
  'application/vnd.ms-tnef': 'dat', 'application/pgp-signature': 'asc', 'application/pkcs7-signature': 'p7s',
  'application/x-pkcs7-signature': 'p7s', 'application/pkcs7-mime': 'p7m', 'application/x-pkcs7-mime': 'p7m',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx', 'application/vnd.ms-excel': 'xls',
  'application/rtf': 'rtf', 'text/rtf': 'rtf', 'audio/mpeg': 'mp3', 'video/mp4': 'mp4', 'application/json': 'json',
};

/**
 * Same rules as tickets' safeFilename (kept local so this pure module does not import the
 * database-bound use-case): no directories, no control/bidi characters or quotes, no leading dots.
 */
export function safeAttachmentName(name: string | null, contentType: string): string {
  const base = path.posix.basename((name ?? '').replace(/\\/g, '/'));
  const cleaned = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"]/g, '')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 200);
  if (cleaned) return cleaned;
  const ext = EXTENSIONS[contentType] ?? (/^text\//.test(contentType) ? 'txt' : undefined);
  return ext ? `attachment.${ext}` : 'attachment';
}

function normalise(w: WorkerMail): ParsedMail {
  const defects = [...w.defects];
  const fromList = addresses(w.from);
  if (!w.from.length) defects.push('no From header');
  else if (!fromList.length) defects.push('From header has no usable address');
  if (!w.messageId) defects.push('no Message-ID header');
  if (w.from.length > 1) defects.push('more than one From address');

  const html = w.html;
  const attachments: MailAttachment[] = w.attachments.map((a) => {
    const contentId = a.contentId ? a.contentId.replace(/^<|>$/g, '').trim() || null : null;
    // Inline means "part of the body": referenced from the HTML, or an explicitly inline image.
    const referenced = contentId !== null && html !== null && html.includes(`cid:${contentId}`);
    const inline = referenced || (a.disposition === 'inline' && a.contentType.startsWith('image/') && (a.related || contentId !== null));
    const out: MailAttachment = {
      filename: safeAttachmentName(a.filename, a.contentType),
      contentType: a.contentType,
      size: a.content.byteLength,
      contentId,
      inline,
      content: a.content,
    };
    if (!a.filename) defects.push(`attachment without a name, called ${out.filename}`);
    if (a.fromTnef) out.fromTnef = true;
    return out;
  });

  return {
    messageId: normaliseMessageId(w.messageId),
    inReplyTo: normaliseIds(w.inReplyTo),
    references: normaliseIds(w.references),
    subject: w.subject ? cleanLine(w.subject) : '',
    from: fromList[0] ?? null,
    replyTo: addresses(w.replyTo),
    to: addresses(w.to),
    cc: addresses(w.cc),
    date: w.date,
    headers: w.headers,
    contentType: { value: w.contentType.toLowerCase(), params: w.contentTypeParams },
    text: w.text,
    html,
    split: w.split,
    attachments,
    tnefUnpacked: w.tnefUnpacked,
    report: w.report ? { ...w.report, originalMessageId: normaliseMessageId(w.report.originalMessageId) } : null,
    defects,
  };
}
