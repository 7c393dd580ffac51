import type { Db } from './db/index.js';
import type { Lang } from './i18n.js';
import type { Config } from './config.js';
import type { Jobs } from './jobs.js';
import type { Secrets } from './secrets.js';

export type UserRole = 'admin' | 'manager' | 'supervisor' | 'agent';

export interface Actor {
  type: 'user';
  id: string;
  name: string;
  email: string;
  language: Lang;
  roles: UserRole[];
  groupIds: string[];
}

/** What every use case gets: the database, who is acting, and in which language to answer. */
export interface Ctx {
  db: Db;
  config: Config;
  actor: Actor | null;
  lang: Lang;
  now: () => Date;
  /** Present in a running server; absent while seeding. */
  jobs?: Jobs;
  secrets?: Secrets;
}

export interface AuthedCtx extends Ctx {
  actor: Actor;
}

export const isAdmin = (a: Actor) => a.roles.includes('admin');
/** Managers and admins see and act on every ticket. */
export const seesEverything = (a: Actor) => a.roles.includes('admin') || a.roles.includes('manager');
