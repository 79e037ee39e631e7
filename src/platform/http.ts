// The HTTP shell: Fastify with schema-validated routes that also produce the OpenAPI document,
// security headers, request ids, metrics, one error format, and the built web app at `/`.
// buildApp() never listens: tests call app.inject(); only the serve role calls listen().
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cors from '@fastify/cors';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import multipart from '@fastify/multipart';
import type { FastifyMultipartBaseOptions } from '@fastify/multipart';
import type { Logger } from './logger.ts';
import { computeSecurityHeaders } from './security-headers.ts';
import { AppError, isAppError, errorCatalogue, type ErrorCode } from './errors.ts';
import type { Metrics } from './metrics.ts';
import type { Access } from '../auth/roles.ts';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger, TypeBoxTypeProvider> & { routeAccess: Map<string, Access> };
export type RouteModule = (app: App) => void | Promise<void>;
export type MultipartLimits = NonNullable<FastifyMultipartBaseOptions['limits']>;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

export type HttpDeps = {
  log: Logger;
  metrics: Metrics;
  version: string;
  bodyLimitBytes: number;
  corsOrigins: string[];
  trustProxy: boolean;
  webDir: string;
  /** Checks every request's route access; installed before any route runs. */
  guard: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  routes: RouteModule[];
};

const requestIdPattern = /^[A-Za-z0-9._:-]{8,64}$/;

/**
 * Registers upload routes in a context of their own, where multipart bodies are accepted with
 * `limits`. @fastify/multipart adds an async onRequest hook (listening for each response's close) and
 * an async onResponse hook to every route of the context it is registered in; registered at the top,
 * they ran on every request of the API, a search included. Elsewhere a multipart body is refused (415).
 */
export async function registerUploadRoutes(app: App, limits: MultipartLimits, routes: (uploads: App) => void): Promise<void> {
  await app.register(async (uploads) => {
    await uploads.register(multipart, { limits });
    routes(uploads as unknown as App);
  });
}

/** Maps Fastify's own errors onto the catalogue so a client never sees a 500 for its own mistake. */
function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const e = error as { code?: string; statusCode?: number; validation?: Array<{ instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }>; validationContext?: string; message?: string };
  if (e.validation) {
    const details = e.validation.map((v) => ({
      field: `${e.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}${v.keyword === 'additionalProperties' ? `.${String(v.params['additionalProperty'])}` : v.keyword === 'required' ? `.${String(v.params['missingProperty'])}` : ''}`,
      rule: v.keyword,
      message: v.message ?? v.keyword,
    }));
    return new AppError('VALIDATION_FAILED', `Invalid request: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, { details, cause: error });
  }
  const byCode: Record<string, ErrorCode> = {
    FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
    FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
    FST_ERR_NOT_FOUND: 'NOT_FOUND',
  };
  const mapped = e.code ? byCode[e.code] : undefined;
  if (mapped) return new AppError(mapped, mapped === 'MALFORMED_JSON' ? 'The request body is not valid JSON' : (e.message ?? mapped), { cause: error });
  if (error instanceof SyntaxError) return new AppError('MALFORMED_JSON', 'The request body is not valid JSON', { cause: error });
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    const code = (Object.keys(errorCatalogue) as ErrorCode[]).find((c) => errorCatalogue[c].status === e.statusCode) ?? 'VALIDATION_FAILED';
    return new AppError(code, e.message ?? code, { cause: error });
  }
  return new AppError('INTERNAL', 'Something went wrong on our side', { cause: error });
}

export async function buildApp(deps: HttpDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.log,
    bodyLimit: deps.bodyLimitBytes,
    trustProxy: deps.trustProxy,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  app.routeAccess = new Map();
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (!access) return;
    for (const method of [route.method].flat()) app.routeAccess.set(`${method} ${route.url}`, access);
    if (!('public' in access) && route.schema) {
      const who = [...access.roles, ...(access.scopes ?? []).map((s) => `API key scope ${s}`)].join(', ');
      route.schema = { ...route.schema, security: [{ bearer: [] }], description: [route.schema.description, `Allowed: ${who}.`].filter(Boolean).join('\n\n') };
    }
  });

  // Set first, so that responses a guard refuses carry them too.
  const securityHeaders = computeSecurityHeaders({
    contentSecurityPolicy: {
      directives: { 'default-src': ["'self'"], 'img-src': ["'self'", 'data:'], 'style-src': ["'self'", "'unsafe-inline'"], 'script-src': ["'self'"], 'connect-src': ["'self'"] },
    },
  });
  app.addHook('onRequest', (request, reply, done) => {
    for (let i = 0; i < securityHeaders.length; i++) reply.header(...(securityHeaders[i] as [string, string]));
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onRequest', deps.guard);
  app.addHook('onResponse', (request, reply, done) => {
    deps.metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (appError.status >= 500) request.log.error({ err: error, code: appError.code }, 'request failed');
    else request.log.info({ code: appError.code }, appError.message);
    void reply
      .status(appError.status)
      .headers(appError.headers)
      .send({ error: { code: appError.code, message: appError.message, requestId: request.id, ...(appError.details === undefined ? {} : { details: appError.details }) } });
  });

  if (deps.corsOrigins.length) await app.register(cors, { origin: deps.corsOrigins, credentials: true });
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Pravah API', version: deps.version, description: 'Client data, events and notifications for Indian stock brokers.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An access token from /api/auth/login, or an API key (pvh_...).' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  // swagger-ui registers its own routes: mark them public (documentation is not secret).
  app.get('/api/openapi.json', { config: { access: { public: true } }, schema: { hide: true } }, async () => app.swagger());

  for (const register of deps.routes) await register(app);

  const hasWeb = existsSync(`${deps.webDir}/index.html`);
  // wildcard: files are looked up per request, so a rebuilt web app is served without a restart;
  // a missing file falls through to the not-found handler (the SPA page or a JSON 404).
  if (hasWeb) await app.register(fastifyStatic, { root: deps.webDir, prefix: '/', wildcard: true, index: ['index.html'] });

  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && request.url !== '/metrics';
    if (wantsPage && hasWeb) return reply.type('text/html').sendFile('index.html'); // SPA route
    if (wantsPage) return reply.type('text/plain').send('The web app is not built: run `npm run build:web`.');
    return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}`, requestId: request.id } });
  });
  return app;
}
