import type { Actor } from './context.js';
import type { Database } from './db/index.js';
import type { Config } from './config.js';
import type { Jobs } from './jobs.js';
import type { Secrets } from './secrets.js';
import type { Realtime } from './realtime.js';

declare module 'fastify' {
  interface FastifyInstance {
    deps: { database: Database; config: Config; jobs?: Jobs; secrets?: Secrets; realtime?: Realtime };
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** How the actor was authenticated: a cookie needs the cross-site check, a bearer token does not. */
    authVia: 'cookie' | 'bearer' | null;
  }
}
export {};
