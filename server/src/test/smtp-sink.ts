/**
 * A real SMTP server on loopback that keeps every message it is sent, for tests of outgoing mail:
 * what CareDesk sends is read back byte for byte and parsed like a recipient would.
 */
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface Captured {
  raw: Buffer;
  envelope: { from: string | null; to: string[] };
  parsed: ParsedMail;
}

export interface SmtpSink {
  port: number;
  messages: Captured[];
  /** Waits until at least `n` messages (matching `filter`) have arrived. */
  waitFor(n: number, filter?: (m: Captured) => boolean, timeoutMs?: number): Promise<Captured[]>;
  /** While set, every message is refused with this reply code (a relay that is down or refusing). */
  refuseWith: number | null;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: Captured[] = [];
  const sink: Partial<SmtpSink> = { messages, refuseWith: null };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (sink.refuseWith) return callback(Object.assign(new Error('refused by test'), { responseCode: sink.refuseWith }));
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            messages.push({
              raw,
              envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null, to: session.envelope.rcptTo.map((r) => r.address) },
              parsed,
            });
            callback();
          })
          .catch((err) => callback(err));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(sink, {
    port,
    async waitFor(n: number, filter: (m: Captured) => boolean = () => true, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.filter(filter);
        if (found.length >= n) return found;
        if (Date.now() > until) throw new Error(`sink: expected ${n} messages, got ${found.length} (of ${messages.length})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as SmtpSink;
}

/** Polls `probe` until it returns something truthy (or throws after `timeoutMs`). */
export async function eventually<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
