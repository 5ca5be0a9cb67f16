import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DeviceNotFound, RoomNotFound } from '../errors.js';
import { DeviceParams, DeviceSchema, ErrorSchema, RoomSchema } from './schemas.js';

const RoomName = Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' });
const Position = Type.Integer({ minimum: 0, maximum: 1_000_000 });
const RoomParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

const DevicePatch = Type.Object(
  {
    name: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' }), Type.Null()], { description: 'null restores the announced name' })),
    room: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()])),
    favourite: Type.Optional(Type.Boolean()),
    position: Type.Optional(Type.Union([Position, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** Rooms, and what the user sets on a device (name, room, favourite, order). */
export const roomRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/rooms', { schema: { response: { 200: Type.Array(RoomSchema) } } }, async () => app.rooms.list());

  app.post(
    '/rooms',
    { schema: { body: Type.Object({ name: RoomName, position: Type.Optional(Position) }, { additionalProperties: false }), response: { 201: RoomSchema } } },
    async (request, reply) => reply.code(201).send(app.rooms.create(request.body.name.trim(), request.body.position)),
  );

  app.patch(
    '/rooms/:id',
    {
      schema: {
        params: RoomParams,
        body: Type.Object({ name: Type.Optional(RoomName), position: Type.Optional(Position) }, { additionalProperties: false, minProperties: 1 }),
        response: { 200: RoomSchema, 404: ErrorSchema },
      },
    },
    async (request) => {
      const { name, position } = request.body;
      const room = app.rooms.update(request.params.id, { ...(name ? { name: name.trim() } : {}), ...(position === undefined ? {} : { position }) });
      if (!room) throw new RoomNotFound(request.params.id);
      return room;
    },
  );

  app.delete('/rooms/:id', { schema: { params: RoomParams, response: { 204: Type.Null(), 404: ErrorSchema } } }, async (request, reply) => {
    const { id } = request.params;
    if (!app.rooms.get(id)) throw new RoomNotFound(id);
    // Devices of a removed room become unassigned rather than pointing nowhere.
    for (const device of app.registry.list()) if (device.room === id) app.registry.customise(device.id, { room: null });
    app.rooms.remove(id);
    return reply.code(204).send(null);
  });

  app.patch(
    '/devices/:id',
    { schema: { params: DeviceParams, body: DevicePatch, response: { 200: DeviceSchema, 400: ErrorSchema, 404: ErrorSchema } } },
    async (request) => {
      const { id } = request.params;
      if (!app.registry.get(id)) throw new DeviceNotFound(id);
      const { room, name } = request.body;
      if (typeof room === 'string' && !app.rooms.get(room)) throw new RoomNotFound(room);
      return app.registry.customise(id, { ...request.body, ...(typeof name === 'string' ? { name: name.trim() } : {}) })!;
    },
  );
};
