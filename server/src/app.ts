import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiTypeProvider } from './platform/type-provider.js';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import './platform/fastify-types.js';
import type { Config } from './platform/config.js';
import type { Database } from './platform/db/index.js';
import type { Jobs } from './platform/jobs.js';
import type { Secrets } from './platform/secrets.js';
import { installErrorHandling, sendProblem } from './platform/http.js';
import { AppError } from './platform/errors.js';
import { authPlugin } from './modules/auth/index.js';
import { peopleRoutes } from './modules/people/index.js';
import { customersRoutes } from './modules/customers/index.js';
import { ticketsRoutes } from './modules/tickets/index.js';
import { searchRoutes } from './modules/search/index.js';
import { emailRoutes } from './modules/channels/email/index.js';
import { phoneRoutes } from './modules/channels/phone/index.js';
import { socialRoutes } from './modules/channels/social/index.js';
import { slaRoutes } from './modules/sla/index.js';
import { routingRoutes } from './modules/routing/index.js';
import { portalRoutes } from './modules/portal/index.js';
import websocket from '@fastify/websocket';
import { realtimeRoutes, startRealtime, type Realtime } from './platform/realtime.js';
import { chatRoutes, widgetScriptRoute } from './modules/channels/chat/index.js';
import { presenceHook, reportsRoutes } from './modules/reports/index.js';
import { scheduledReportsRoutes } from './modules/reports/scheduled/routes.js';

export type App = FastifyInstance;

export interface Services {
  jobs?: Jobs;
  secrets?: Secrets;
  realtime?: Realtime;
}

export async function buildApp(config: Config, database: Database, services: Services = {}): Promise<App> {
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    ajv: {
      // Unknown fields are an error the client must see, not something to drop quietly.
      customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true },
    },
    bodyLimit: 2 * 1024 * 1024,
    trustProxy: true,
  }).withTypeProvider<ApiTypeProvider>();

  // A process always listens for realtime events; runtime.ts passes its own, shared with the jobs.
  const realtime = services.realtime ?? (await startRealtime(database, () => {}));
  if (!services.realtime) app.addHook('onClose', () => realtime.close());
  app.decorate('deps', { database, config, ...services, realtime });
  installErrorHandling(app);

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        'connect-src': ["'self'", 'ws:', 'wss:'],
        'img-src': ["'self'", 'data:', 'blob:'],
        // Plain-HTTP installs on a LAN address must keep working.
        'upgrade-insecure-requests': null,
      },
    },
  });
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: config.attachmentMaxBytes, files: 1, fields: 5 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'CareDesk API', version: '1' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'cd_session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await database.ping();
      return { status: 'ready', database: database.driver };
    } catch {
      return reply.status(503).send({ status: 'unavailable' });
    }
  });

  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(authPlugin);
  await app.register(widgetScriptRoute);
  await app.register(
    async (api) => {
      // Who is working now, for the live dashboard's "agents online".
      api.addHook('onResponse', presenceHook);
      await api.register(peopleRoutes);
      await api.register(customersRoutes);
      await api.register(ticketsRoutes);
      await api.register(searchRoutes);
      await api.register(emailRoutes);
      await api.register(phoneRoutes);
      await api.register(socialRoutes);
      await api.register(slaRoutes);
      await api.register(routingRoutes);
      await api.register(portalRoutes);
      await api.register(realtimeRoutes);
      await api.register(chatRoutes);
      await api.register(reportsRoutes);
      await api.register(scheduledReportsRoutes);
    },
    { prefix: '/api/v1' },
  );

  const indexHtml = path.join(config.webDistDir, 'index.html');
  const hasWeb = fs.existsSync(indexHtml);
  const hasPortal = fs.existsSync(path.join(config.webDistDir, 'portal', 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: config.webDistDir, wildcard: false, index: false });
  app.setNotFoundHandler((req, reply) => {
    // The web app routes on the client: any other page address gets its shell.
    if (hasWeb && req.method === 'GET' && !req.url.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html')) {
      // The customer portal is its own app (web/portal/index.html) under /portal.
      if (hasPortal && (req.url === '/portal' || req.url.startsWith('/portal/') || req.url.startsWith('/portal?'))) {
        return reply.type('text/html').sendFile('portal/index.html');
      }
      return reply.type('text/html').sendFile('index.html');
    }
    return sendProblem(reply, req, new AppError('route_not_found', 404));
  });
  return app;
}
