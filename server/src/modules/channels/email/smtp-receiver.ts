import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import type { Db } from '../../../platform/db/index.js';
import type { Jobs } from '../../../platform/jobs.js';
import { mailboxForAddress } from './use-cases/mailboxes.js';
import { enqueueIngest, storeInbound } from './use-cases/intake.js';

export interface SmtpReceiver {
  port: number;
  close(): Promise<void>;
}

/** An SMTP reply the sender's server understands: 4xx means "keep it and try later". */
function smtpError(code: number, message: string) {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * CareDesk's own inbound mail server (the `smtp` role). A message is answered 250 only after it is
 * stored; anything that stops us storing it (database down, disk full) answers 451 so the sending
 * server keeps the message and retries, as RFC 5321 asks it to.
 */
export async function startSmtpReceiver(opts: {
  db: Db;
  jobs?: Jobs;
  host: string;
  port: number;
  maxBytes: number;
  log: (msg: string, err?: unknown) => void;
}): Promise<SmtpReceiver> {
  const server = new SMTPServer({
    name: 'caredesk',
    banner: 'CareDesk',
    size: opts.maxBytes,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    // A slow or stuck client must not hold a connection forever.
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback: (err?: Error | null) => void) {
      mailboxForAddress(opts.db, address.address)
        .then((m) => {
          if (m && m.smtpReceive) return callback();
          callback(smtpError(550, '5.1.1 No such mailbox here'));
        })
        .catch((err) => {
          opts.log('smtp: recipient check failed; answering 451', err);
          callback(smtpError(451, '4.3.0 Temporary failure, please try again later'));
        });
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err) => callback(smtpError(451, `4.3.0 ${err.message}`)));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError(552, '5.3.4 Message too big for this system'));
        const raw = Buffer.concat(chunks);
        void (async () => {
          const targets = new Map<string, string[]>();
          for (const r of session.envelope.rcptTo) {
            const m = await mailboxForAddress(opts.db, r.address);
            if (!m) continue;
            targets.set(m.id, [...(targets.get(m.id) ?? []), r.address.toLowerCase()]);
          }
          const mailFrom = session.envelope.mailFrom;
          const ids = await storeInbound(
            opts.db,
            [...targets].map(([mailboxId, to]) => ({
              mailboxId,
              source: 'smtp' as const,
              raw,
              envelopeFrom: mailFrom ? mailFrom.address.toLowerCase() : null,
              envelopeTo: to,
              remoteAddress: session.remoteAddress,
            })),
          );
          return ids;
        })()
          .then(async (ids) => {
            callback(null, `2.0.0 Stored as ${ids[0] ?? 'nothing'}`);
            // Already durable: a failed enqueue only delays it until the worker's sweep.
            await enqueueIngest(opts.jobs, ids).catch((err) => opts.log('smtp: enqueue failed; the sweep will pick it up', err));
          })
          .catch((err) => {
            opts.log('smtp: could not store a message; answering 451', err);
            callback(smtpError(451, '4.3.0 Temporary failure, please try again later'));
          });
      });
    },
  });
  server.on('error', (err) => opts.log('smtp server error', err));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
