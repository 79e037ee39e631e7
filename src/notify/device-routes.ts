// /api/clients/:code/devices: the broker's app backend registers a client's push token (API key
// with devices:write, or an operator); tokens are stored encrypted and never returned.
import { Type } from 'typebox';
import type { App, RouteModule } from '../platform/http.ts';
import { AppError } from '../platform/errors.ts';
import { operators } from '../auth/roles.ts';
import type { BlindIndex } from '../crypto/blind-index.ts';
import { clientIdForCode } from '../kyc/client-id.ts';
import { patterns } from '../kyc/patterns.ts';
import type { DeviceStore } from './devices.ts';

export function deviceRoutes(deps: { devices: DeviceStore; blindIndex: BlindIndex }): RouteModule {
  const access = { roles: operators, scopes: ['devices:write'] as const };
  return async (app: App) => {
    app.post('/api/clients/:code/devices', {
      config: { access },
      schema: {
        tags: ['notifications'], summary: "Register a client's app push token (FCM registration token)",
        params: Type.Object({ code: Type.String({ pattern: patterns.clientCode.source }) }),
        body: Type.Object({ token: Type.String({ minLength: 20, maxLength: 4096 }), platform: Type.Union([Type.Literal('android'), Type.Literal('ios'), Type.Literal('web')]) }, { additionalProperties: false }),
        response: { 201: Type.Object({ id: Type.String(), devices: Type.Integer() }) },
      },
    }, async (request, reply) => {
      const clientId = clientIdForCode(deps.blindIndex, request.params.code);
      const id = await deps.devices.register(clientId, request.body.token, request.body.platform);
      return reply.status(201).send({ id, devices: await deps.devices.count(clientId) });
    });
    app.delete('/api/devices', {
      config: { access },
      schema: {
        tags: ['notifications'], summary: 'Remove a push token (the app signed out or was uninstalled)',
        body: Type.Object({ token: Type.String({ minLength: 20, maxLength: 4096 }) }, { additionalProperties: false }),
        response: { 204: Type.Null() },
      },
    }, async (request, reply) => {
      if (!(await deps.devices.remove(request.body.token, 'removed by the app'))) throw new AppError('NOT_FOUND', 'No active device with this token');
      return reply.status(204).send(null);
    });
  };
}
