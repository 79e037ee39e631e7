// Liveness, readiness and Prometheus metrics.
import { Type } from 'typebox';
import type { App, RouteModule } from './http.ts';
import type { Metrics } from './metrics.ts';
import type { Db } from '../store/db.ts';
import { isMigrated, type Migration } from '../store/migrate.ts';
import { operators } from '../auth/roles.ts';

export function healthRoutes(deps: { db: Db; migrations: Migration[]; metrics: Metrics; version: string; mode: string }): RouteModule {
  return (app: App) => {
    app.get('/api/health', {
      config: { access: { public: true } },
      schema: { tags: ['platform'], summary: 'Liveness: the process answers', response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String(), mode: Type.String() }) } },
    }, async () => ({ status: 'ok' as const, version: deps.version, mode: deps.mode }));

    const Checks = Type.Object({ status: Type.String(), checks: Type.Object({ store: Type.String(), migrations: Type.String() }) });
    app.get('/api/ready', {
      config: { access: { public: true } },
      schema: { tags: ['platform'], summary: 'Readiness: the store answers and every migration is applied', response: { 200: Checks, 503: Checks } },
    }, async (_request, reply) => {
      const checks = { store: 'ok', migrations: 'ok' };
      try {
        await deps.db.ping();
        if (!(await isMigrated(deps.db, deps.migrations))) checks.migrations = 'pending';
      } catch {
        checks.store = 'unreachable';
        checks.migrations = 'unknown';
      }
      const ready = checks.store === 'ok' && checks.migrations === 'ok';
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks });
    });

    app.get('/metrics', {
      config: { access: { roles: operators, scopes: ['metrics:read'] } },
      schema: { tags: ['platform'], summary: 'Prometheus metrics (text exposition format)' },
    }, async (_request, reply) => {
      return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
    });
  };
}
