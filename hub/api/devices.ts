import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DeviceNotFound, DeviceOffline, InvalidCommand } from '../errors.js';
import { CommandBody, DeviceParams, DeviceSchema, ErrorSchema } from './schemas.js';

const errorOutcomes = { DEVICE_NOT_FOUND: DeviceNotFound, INVALID_COMMAND: InvalidCommand, DEVICE_OFFLINE: DeviceOffline };

export const deviceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/devices', { schema: { response: { 200: Type.Array(DeviceSchema) } } }, async () => app.registry.list());

  app.get(
    '/devices/:id',
    { schema: { params: DeviceParams, response: { 200: DeviceSchema, 404: ErrorSchema } } },
    async (request) => {
      const device = app.registry.get(request.params.id);
      if (!device) throw new DeviceNotFound(request.params.id);
      return device;
    },
  );

  app.post(
    '/devices/:id/commands',
    {
      schema: {
        params: DeviceParams,
        body: CommandBody,
        response: {
          202: Type.Object({ id: Type.String(), command: CommandBody, published: Type.Integer() }),
          400: ErrorSchema,
          404: ErrorSchema,
          409: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const outcome = app.bridge.command(id, request.body);
      if (!outcome.ok) {
        const ErrorType = errorOutcomes[outcome.code];
        throw new ErrorType(outcome.code === 'INVALID_COMMAND' ? outcome.message : id);
      }
      // Accepted, not done: the device confirms by reporting its new state.
      return reply.code(202).send({ id, command: request.body, published: outcome.published });
    },
  );
};
