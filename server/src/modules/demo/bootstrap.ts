import { sql } from 'drizzle-orm';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/index.js';
import type { Actor, AuthedCtx } from '../../platform/context.js';
import { users } from '../people/db/schema.js';
import { createUser } from '../people/index.js';
import { hashPassword } from '../auth/passwords.js';
import { seedDemo, DEMO_PASSWORD, DEMO_SIGN_INS } from './seed-demo.js';
import { seedCatalog } from './seed-catalog.js';

export interface BootstrapResult {
  seeded: 'demo' | 'admin' | 'none' | 'existing';
  signIns: { email: string; password: string; role: string }[];
}

/**
 * First start on an empty database: the admin from the environment, the default categories and
 * reason codes, and (unless CAREDESK_DEMO=false) the demo workspace. Later starts change nothing.
 */
export async function bootstrap(db: Db, config: Config, log: (msg: string) => void): Promise<BootstrapResult> {
  const [{ n }] = (await db.select({ n: sql<number>`count(*)::int` }).from(users)) as [{ n: number }];
  // With an admin from the environment, the demo admin is not created (and its password not printed).
  const demoSignIns = config.demo
    ? DEMO_SIGN_INS.filter((s) => !(config.adminEmail && s.role === 'admin')).map((s) => ({ ...s, password: DEMO_PASSWORD }))
    : [];
  if (n > 0) return { seeded: 'existing', signIns: demoSignIns };

  // The first admin is made directly: there is nobody yet to make it through the API.
  const now = new Date();
  let adminId: string | null = null;
  if (config.adminEmail && config.adminPassword) {
    const [row] = await db
      .insert(users)
      .values({ email: config.adminEmail, name: 'Administrator', passwordHash: await hashPassword(config.adminPassword), roles: ['admin'] })
      .returning({ id: users.id });
    adminId = row!.id;
    log(`Created the admin ${config.adminEmail} from CAREDESK_ADMIN_EMAIL.`);
  } else if (config.demo) {
    const [row] = await db
      .insert(users)
      .values({ email: 'admin@demo.caredesk.test', name: 'Demo Admin', passwordHash: await hashPassword(DEMO_PASSWORD), roles: ['admin'] })
      .returning({ id: users.id });
    adminId = row!.id;
  } else {
    log('The database has no users. Set CAREDESK_ADMIN_EMAIL and CAREDESK_ADMIN_PASSWORD and restart to create the first admin.');
    return { seeded: 'none', signIns: [] };
  }
  const actor: Actor = { type: 'user', id: adminId, name: 'System', email: '', language: 'en', roles: ['admin'], groupIds: [] };
  const ctx: AuthedCtx = { db, config, actor, lang: 'en', now: () => now };
  await seedCatalog(ctx);
  if (!config.demo) return { seeded: 'admin', signIns: [] };
  await seedDemo(ctx, createUser);
  return { seeded: 'demo', signIns: demoSignIns };
}
