/**
 * A private Dovecot IMAP server for a test: its own config, users, maildir, sockets and log in a
 * temp folder, listening on 127.0.0.1 on a free port, plaintext login without TLS. `stop()` and
 * `start()` take it down and bring it back on the same port, to play an outage.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ImapFlow } from 'imapflow';

export interface TestMessage {
  uid: number;
  seen: boolean;
  messageId: string | null;
}

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The IMAP folder messages are delivered to. */
  folder: string;
  /**
   * Delivers a message to INBOX: by IMAP APPEND while the server runs, or, while it is stopped,
   * straight into the maildir as the mail transfer agent would (mail keeps arriving during an
   * IMAP outage). `flags` (e.g. `['\\Seen']`) need the server running.
   */
  deliver(raw: string | Buffer, flags?: string[]): Promise<void>;
  /** Every message in INBOX, ascending by UID, read without changing any flag. */
  messages(): Promise<TestMessage[]>;
  /** INBOX's current UIDVALIDITY. */
  uidValidity(): Promise<number>;
  /**
   * Makes Dovecot forget INBOX's UIDs (as after a server migration or a rebuilt index): the same
   * messages come back with a new UIDVALIDITY and renumbered UIDs. Restarts the server.
   */
  resetUidValidity(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its folder. */
  close(): Promise<void>;
}

const CANDIDATES = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot', '/usr/bin/dovecot'];

/** The dovecot binary, or null when it is not installed (tests then skip with a message). */
export function findDovecot(): string | null {
  for (const c of CANDIDATES) if (existsSync(c)) return c;
  const which = spawnSync('which', ['dovecot'], { encoding: 'utf8' });
  const found = which.status === 0 ? which.stdout.trim() : '';
  return found || null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once the server sends its IMAP greeting; rejects if it never does. */
async function waitForGreeting(port: number, exited: () => string | null) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.setTimeout(1000);
      s.once('data', (d) => {
        s.destroy();
        resolve(d.toString().startsWith('* OK'));
      });
      s.once('error', () => resolve(false));
      s.once('timeout', () => {
        s.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    const why = exited();
    if (why) throw new Error(why);
    if (Date.now() > deadline) throw new Error(`dovecot did not answer on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Who Dovecot's processes and mailbox files run as: it refuses root for both. */
function accounts() {
  const me = os.userInfo();
  if (me.uid !== 0) return { internal: me.username, login: me.username, mailUid: me.uid, mailGid: me.gid };
  const lookup = (name: string) => {
    const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    return r.status === 0 && g.status === 0 ? { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) } : null;
  };
  // The Debian/Ubuntu package creates `dovecot` and `dovenull`; elsewhere fall back to `nobody`.
  const internal = lookup('dovecot') ? 'dovecot' : 'nobody';
  const login = lookup('dovenull') ? 'dovenull' : 'nobody';
  const mail = lookup(internal)!;
  return { internal, login, mailUid: mail.uid, mailGid: mail.gid };
}

export async function startDovecot(): Promise<Dovecot> {
  const binary = findDovecot();
  if (!binary) throw new Error('dovecot is not installed (apt-get install -y dovecot-imapd)');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'caredesk-dovecot-'));
  // The unprivileged login and auth processes must reach their sockets and the users file.
  await fs.chmod(dir, 0o755);
  const user = 'agent';
  const password = randomBytes(9).toString('base64url');
  const port = await freePort();
  const acc = accounts();
  const mailRoot = path.join(dir, 'mail');
  const maildir = path.join(mailRoot, user);
  for (const d of ['run', 'state', 'mail']) await fs.mkdir(path.join(dir, d));
  await fs.chown(mailRoot, acc.mailUid, acc.mailGid);
  const usersFile = path.join(dir, 'users');
  await fs.writeFile(usersFile, `${user}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
  const logFile = path.join(dir, 'dovecot.log');
  const conf = path.join(dir, 'dovecot.conf');
  await fs.writeFile(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = caredesk-test-${path.basename(dir)}
log_path = ${logFile}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${mailRoot}/%u
default_internal_user = ${acc.internal}
default_login_user = ${acc.login}
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${usersFile}
}
userdb {
  driver = static
  args = uid=${acc.mailUid} gid=${acc.mailGid} home=${maildir}
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`,
  );

  let proc: ChildProcess | null = null;
  let sequence = 0;
  let exit: Promise<void> = Promise.resolve();

  const tailLog = async () => (await fs.readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');

  const start = async () => {
    if (proc) return;
    const child = spawn(binary, ['-F', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    let exitedWith: string | null = null;
    exit = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        exitedWith = `dovecot exited (${signal ?? code}): ${output.trim()}`;
        if (proc === child) proc = null;
        resolve();
      });
      child.once('error', (err) => {
        exitedWith = `dovecot could not start: ${err.message}`;
        if (proc === child) proc = null;
        resolve();
      });
    });
    proc = child;
    // A test run that dies without stop() must not leave a server behind.
    const orphan = () => child.kill('SIGTERM');
    process.once('exit', orphan);
    void exit.then(() => process.off('exit', orphan));
    try {
      await waitForGreeting(port, () => exitedWith);
    } catch (err) {
      const log = await tailLog();
      await stop();
      throw new Error(`${(err as Error).message}\n${log}`);
    }
  };

  const stop = async () => {
    const child = proc;
    if (!child) return;
    proc = null;
    // The master process takes its login and mail processes down with it.
    child.kill('SIGTERM');
    await exit;
  };

  const connect = async <T>(fn: (c: ImapFlow) => Promise<T>): Promise<T> => {
    const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false });
    c.on('error', () => {});
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.logout().catch(() => c.close());
    }
  };

  await start();

  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    folder: 'INBOX',
    async deliver(raw, flags) {
      if (proc) {
        await connect(async (c) => {
          await c.append('INBOX', raw, flags);
        });
        return;
      }
      if (flags?.length) throw new Error('flags need the server running');
      // Maildir delivery: write under tmp/, then rename into new/, so no reader sees half a file.
      const body = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
      for (const d of ['', 'tmp', 'new', 'cur']) {
        await fs.mkdir(path.join(maildir, d), { recursive: true });
        await fs.chown(path.join(maildir, d), acc.mailUid, acc.mailGid);
      }
      const name = `${Math.floor(Date.now() / 1000)}.M${++sequence}P${process.pid}.caredesk-test,S=${body.length}`;
      const tmp = path.join(maildir, 'tmp', name);
      await fs.writeFile(tmp, body);
      await fs.chown(tmp, acc.mailUid, acc.mailGid);
      await fs.rename(tmp, path.join(maildir, 'new', name));
    },
    messages: () =>
      connect(async (c) => {
        const lock = await c.getMailboxLock('INBOX', { readOnly: true });
        try {
          const list: TestMessage[] = [];
          if (!(c.mailbox && c.mailbox.exists)) return list;
          for await (const m of c.fetch('1:*', { uid: true, flags: true, envelope: true }, { uid: true })) {
            list.push({ uid: m.uid, seen: m.flags?.has('\\Seen') ?? false, messageId: m.envelope?.messageId ?? null });
          }
          return list.sort((a, b) => a.uid - b.uid);
        } finally {
          lock.release();
        }
      }),
    uidValidity: () =>
      connect(async (c) => {
        const s = await c.status('INBOX', { uidValidity: true });
        if (!s || s.uidValidity === undefined) throw new Error('dovecot reported no UIDVALIDITY');
        return Number(s.uidValidity);
      }),
    async resetUidValidity() {
      await stop();
      // The UID list and the indexes both remember UIDs; the `dovecot-uidvalidity` file stays, so
      // the next UIDVALIDITY is guaranteed to differ.
      for (const f of await fs.readdir(maildir)) {
        if (f === 'dovecot-uidlist' || f.startsWith('dovecot.index')) await fs.rm(path.join(maildir, f), { force: true });
      }
      await start();
    },
    stop,
    start,
    async close() {
      await stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
