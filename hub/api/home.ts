import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HomeSettingsPatch } from '../automations/schema.js';
import { isTimeZone } from '../automations/zoned-time.js';
import { switchLights } from '../commands/group.js';
import { InvalidSettings, RoomNotFound } from '../errors.js';
import { ErrorSchema } from './schemas.js';

const LightsBody = Type.Object({ on: Type.Boolean(), brightness: Type.Optional(Type.Integer({ minimum: 1, maximum: 255 })) }, { additionalProperties: false });
const Report = Type.Object({}, { additionalProperties: true });
const Settings = Type.Object({ timeZone: Type.String(), latitude: Type.Union([Type.Number(), Type.Null()]), longitude: Type.Union([Type.Number(), Type.Null()]) });
const Notification = Type.Object({ id: Type.String(), at: Type.Number(), message: Type.String(), automation: Type.Union([Type.String(), Type.Null()]) });

/** Room and home actions, the home's place and clock, and the notifications list. */
export const homeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const lights = (room: string | null, on: boolean, brightness?: number) => switchLights(app.commands, app.registry.list(), room, on, brightness);

  // Each light gets its own tracked command; the answer says which confirmed and which did not.
  app.post('/home/lights', { config: { access: 'control' }, schema: { body: LightsBody, response: { 200: Report } } }, async (request) =>
    lights(null, request.body.on, request.body.brightness),
  );

  app.post(
    '/rooms/:id/lights',
    { config: { access: 'control' }, schema: { params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }), body: LightsBody, response: { 200: Report, 404: ErrorSchema } } },
    async (request) => {
      if (!app.rooms.get(request.params.id)) throw new RoomNotFound(request.params.id);
      return lights(request.params.id, request.body.on, request.body.brightness);
    },
  );

  app.get('/settings/home', { schema: { response: { 200: Settings } } }, async () => app.homeSettings.get());

  app.patch('/settings/home', { schema: { body: HomeSettingsPatch, response: { 200: Settings, 400: ErrorSchema } } }, async (request) => {
    const { timeZone } = request.body;
    if (timeZone !== undefined && !isTimeZone(timeZone)) throw new InvalidSettings(`unknown time zone '${timeZone}' (use an IANA name such as Europe/London)`);
    const settings = app.homeSettings.set(request.body);
    // Time and sun triggers are scheduled again on the new clock and place.
    app.automations.rearm();
    return settings;
  });

  app.get('/notifications', { schema: { response: { 200: Type.Array(Notification) } } }, async () => app.notifications.list());

  app.delete('/notifications', { config: { access: 'control' }, schema: { response: { 204: Type.Null() } } }, async (_request, reply) => {
    app.notifications.clear();
    return reply.code(204).send(null);
  });
};
