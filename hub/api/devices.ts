import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { CommandRecord } from '../protocol/messages.js';
import { endWithAccess } from './events.js';
import { CommandNotDelivered, CommandTimeout, DeviceNotFound, DeviceOffline, InvalidCommand } from '../errors.js';
import { CommandBody, CommandRecordSchema, DeviceParams, DeviceSchema, ErrorSchema, TrafficEntrySchema } from './schemas.js';

const CommandReply = Type.Object({ command: CommandRecordSchema });

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

  app.delete(
    '/devices/:id',
    { schema: { params: DeviceParams, response: { 204: Type.Null(), 404: ErrorSchema } } },
    async (request, reply) => {
      if (!(await app.bridge.forget(request.params.id))) throw new DeviceNotFound(request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/devices/:id/commands',
    { schema: { params: DeviceParams, response: { 200: Type.Object({ commands: Type.Array(CommandRecordSchema) }), 404: ErrorSchema } } },
    async (request) => {
      if (!app.registry.get(request.params.id)) throw new DeviceNotFound(request.params.id);
      return { commands: app.commands.recent(request.params.id) };
    },
  );

  app.get(
    '/devices/:id/messages',
    { schema: { params: DeviceParams, response: { 200: Type.Object({ messages: Type.Array(TrafficEntrySchema) }), 404: ErrorSchema } } },
    async (request) => {
      if (!app.registry.get(request.params.id)) throw new DeviceNotFound(request.params.id);
      return { messages: app.bridge.traffic.of(request.params.id) };
    },
  );

  app.get('/devices/:id/messages/live', { sse: { kind: 'only' }, schema: { params: DeviceParams } }, async (request, reply) => {
    const { id } = request.params;
    if (!app.registry.get(id)) throw new DeviceNotFound(id);
    reply.sse.sendHeaders();
    // Recent messages first, then each new one as it passes; a lost one costs nothing here.
    for (const entry of app.bridge.traffic.of(id)) void reply.sse.send({ data: entry }).catch(() => {});
    const unsubscribe = app.bridge.traffic.subscribe((deviceId, entry) => {
      if (deviceId === id && reply.sse.isConnected) void reply.sse.send({ data: entry }).catch(() => {});
    });
    endWithAccess(app, request, reply, unsubscribe);
    reply.sse.keepAlive();
  });

  app.post(
    '/devices/:id/commands',
    {
      config: { access: 'control', writesStorage: false },
      schema: {
        params: DeviceParams,
        querystring: Type.Object({
          wait: Type.Optional(Type.Boolean({ description: 'answer only once the device confirmed or the command failed' })),
        }),
        body: CommandBody,
        response: { 200: CommandReply, 202: CommandReply, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 502: ErrorSchema, 504: ErrorSchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const outcome = app.commands.send(id, request.body);
      if (!outcome.ok) {
        if (outcome.code === 'DEVICE_OFFLINE') throw new DeviceOffline(id, outcome.record.id);
        throw outcome.code === 'DEVICE_NOT_FOUND' ? new DeviceNotFound(id) : new InvalidCommand(outcome.message);
      }
      // Without wait: accepted, not done; the device confirms through the event stream.
      if (!request.query.wait) return reply.code(202).send({ command: outcome.record });
      const settled = await outcome.settled;
      if (settled.status === 'confirmed') return { command: settled };
      throw failureError(settled);
    },
  );
};

function failureError(record: CommandRecord): Error {
  if (record.reason === 'offline') return new DeviceOffline(record.device, record.id);
  if (record.reason === 'publish-failed') return new CommandNotDelivered(record.device, record.id);
  return new CommandTimeout(record.device, record.id);
}
