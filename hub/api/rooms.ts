import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DeviceNotFound, InvalidRoomChange, RoomNameTaken, RoomNotFound } from '../errors.js';
import { DeviceParams, DeviceSchema, ErrorSchema, RoomSchema } from './schemas.js';

const RoomName = Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' });
const Position = Type.Integer({ minimum: 0, maximum: 1_000_000 });
const RoomId = Type.String({ minLength: 1, maxLength: 100 });
const RoomParams = Type.Object({ id: RoomId });

const DevicePatch = Type.Object(
  {
    name: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' }), Type.Null()], { description: 'null restores the announced name' })),
    room: Type.Optional(Type.Union([RoomId, Type.Null()])),
    favourite: Type.Optional(Type.Boolean()),
    position: Type.Optional(Type.Union([Position, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

const DeviceMove = Type.Object(
  {
    devices: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 1000, uniqueItems: true }),
    room: Type.Union([RoomId, Type.Null()], { description: 'null: no room' }),
  },
  { additionalProperties: false },
);

/** Rooms, and what the user sets on a device (name, room, favourite, order). */
export const roomRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const knownRoom = (id: string | null | undefined) => {
    if (typeof id === 'string' && !app.rooms.get(id)) throw new RoomNotFound(id);
  };

  app.get('/rooms', { schema: { response: { 200: Type.Array(RoomSchema) } } }, async () => app.rooms.list());

  // A name that is already a room (ignoring case and spaces) answers with that room, 200 instead of 201.
  app.post(
    '/rooms',
    { schema: { body: Type.Object({ name: RoomName, position: Type.Optional(Position) }, { additionalProperties: false }), response: { 200: RoomSchema, 201: RoomSchema } } },
    async (request, reply) => {
      const { room, created } = app.rooms.findOrCreate(request.body.name, request.body.position);
      return reply.code(created ? 201 : 200).send(room);
    },
  );

  app.patch(
    '/rooms/:id',
    {
      schema: {
        params: RoomParams,
        body: Type.Object({ name: Type.Optional(RoomName), position: Type.Optional(Position) }, { additionalProperties: false, minProperties: 1 }),
        response: { 200: RoomSchema, 404: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (request) => {
      const result = app.rooms.update(request.params.id, request.body);
      if (!result) throw new RoomNotFound(request.params.id);
      if ('taken' in result) throw new RoomNameTaken(result.taken.name);
      return result.room;
    },
  );

  app.put(
    '/rooms/order',
    { schema: { body: Type.Object({ rooms: Type.Array(RoomId, { maxItems: 1000 }) }, { additionalProperties: false }), response: { 200: Type.Array(RoomSchema), 400: ErrorSchema } } },
    async (request) => {
      const rooms = app.rooms.reorder(request.body.rooms);
      if (typeof rooms === 'string') throw new InvalidRoomChange(rooms);
      return rooms;
    },
  );

  app.delete(
    '/rooms/:id',
    {
      schema: {
        params: RoomParams,
        querystring: Type.Object({ devicesTo: Type.Optional(RoomId) }, { additionalProperties: false, description: 'where the devices go; without it they have no room' }),
        response: { 204: Type.Null(), 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { devicesTo = null } = request.query;
      if (!app.rooms.get(id)) throw new RoomNotFound(id);
      knownRoom(devicesTo);
      if (devicesTo === id) throw new InvalidRoomChange('the devices of a removed room cannot stay in it');
      // Devices go first, so no device ever points at a room that is gone.
      for (const device of app.registry.list()) if (device.room === id) app.registry.customise(device.id, { room: devicesTo });
      app.rooms.remove(id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/devices/move',
    { schema: { body: DeviceMove, response: { 200: Type.Array(DeviceSchema), 404: ErrorSchema } } },
    async (request) => {
      const { devices, room } = request.body;
      knownRoom(room);
      // All or nothing: an unknown device refuses the whole move.
      const missing = devices.find((id) => !app.registry.get(id));
      if (missing !== undefined) throw new DeviceNotFound(missing);
      return devices.map((id) => app.registry.customise(id, { room })!);
    },
  );

  app.patch(
    '/devices/:id',
    { schema: { params: DeviceParams, body: DevicePatch, response: { 200: DeviceSchema, 400: ErrorSchema, 404: ErrorSchema } } },
    async (request) => {
      const { id } = request.params;
      if (!app.registry.get(id)) throw new DeviceNotFound(id);
      const { room, name } = request.body;
      knownRoom(room);
      return app.registry.customise(id, { ...request.body, ...(typeof name === 'string' ? { name: name.trim() } : {}) })!;
    },
  );
};
