import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DeviceNotFound } from '../errors.js';
import type { Point, Resolution } from '../history/history.js';
import { DeviceParams, ErrorSchema } from './schemas.js';

const DAY = 24 * 3_600_000;

const HistoryQuery = Type.Object({
  from: Type.Optional(Type.Integer({ minimum: 0, description: 'epoch milliseconds; default: a day before `to`' })),
  to: Type.Optional(Type.Integer({ minimum: 0, description: 'epoch milliseconds; default: now, or the newest reading if the clock has since stepped back' })),
  resolution: Type.Union([Type.Literal('auto'), Type.Literal('raw'), Type.Literal('minute'), Type.Literal('hour')], { default: 'auto' }),
  // A further entity's property has a dot: `on.relay_2`.
  property: Type.Optional(Type.String({ pattern: '^[\\w.-]+(,[\\w.-]+)*$', description: 'comma-separated properties; default: all recorded' })),
});

const HistoryReply = Type.Object({
  id: Type.String(),
  from: Type.Integer(),
  to: Type.Integer(),
  resolution: Type.Union([Type.Literal('raw'), Type.Literal('minute'), Type.Literal('hour')]),
  /** Per property: `[at, value]` (raw) or `[bucket, avg, min, max]` (minute, hour). */
  series: Type.Record(Type.String(), Type.Array(Type.Array(Type.Number()))),
});

export const historyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/devices/:id/history',
    { schema: { params: DeviceParams, querystring: HistoryQuery, response: { 200: HistoryReply, 400: ErrorSchema, 404: ErrorSchema } } },
    async (request, reply) => {
      const device = app.registry.get(request.params.id);
      if (!device) throw new DeviceNotFound(request.params.id);
      // After the clock stepped back, readings from before the step are "in the future".
      const to = request.query.to ?? Math.max(app.clock.now(), app.history.latestAt);
      const from = request.query.from ?? to - DAY;
      if (from > to) return reply.code(400).send({ statusCode: 400, code: 'HEARTH_BAD_RANGE', error: 'Bad Request', message: '`from` is after `to`' });
      const resolution: Resolution = request.query.resolution === 'auto' ? app.history.resolutionFor(from, to) : request.query.resolution;
      const recorded = device.capabilities.filter((c) => c.type !== 'color').map((c) => c.property);
      const wanted = request.query.property?.split(',') ?? recorded;
      const series: Record<string, Point[]> = {};
      for (const property of wanted) series[property] = await app.history.read(device.id, property, from, to, resolution);
      return { id: device.id, from, to, resolution, series };
    },
  );
};
