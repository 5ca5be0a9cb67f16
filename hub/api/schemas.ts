import { Type } from 'typebox';

/** Response shapes; state and capability objects vary by device, so they stay open. */
export const DeviceSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  announcedName: Type.String(),
  room: Type.Union([Type.String(), Type.Null()]),
  favourite: Type.Boolean(),
  position: Type.Union([Type.Number(), Type.Null()]),
  kind: Type.Union([Type.Literal('light'), Type.Literal('switch'), Type.Literal('sensor')]),
  manufacturer: Type.Union([Type.String(), Type.Null()]),
  model: Type.Union([Type.String(), Type.Null()]),
  capabilities: Type.Array(Type.Object({ type: Type.String(), property: Type.String() }, { additionalProperties: true })),
  entities: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), properties: Type.Array(Type.String()) })),
  state: Type.Object({}, { additionalProperties: true }),
  online: Type.Boolean(),
  lastSeen: Type.Union([Type.Number(), Type.Null()]),
  source: Type.Object({}, { additionalProperties: true }),
});

export const ErrorSchema = Type.Object({
  statusCode: Type.Number(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String(),
});

export const DeviceParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

/**
 * Any JSON object; what a given device accepts is checked against its capabilities, so the
 * error can say which properties that device takes (see capabilities/index.ts).
 */
export const CommandBody = Type.Record(Type.String(), Type.Unknown(), {
  description: 'Writable properties to set, e.g. {"on": true} or {"brightness": 128}',
});

export const CommandRecordSchema = Type.Object({
  id: Type.String(),
  device: Type.String(),
  command: Type.Object({}, { additionalProperties: true }),
  status: Type.Union([Type.Literal('pending'), Type.Literal('confirmed'), Type.Literal('failed')]),
  reason: Type.Optional(Type.String()),
  issuedAt: Type.Number(),
  latencyMs: Type.Optional(Type.Number()),
});

export const TrafficEntrySchema = Type.Object({
  at: Type.Number(),
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  topic: Type.String(),
  payload: Type.String(),
});

export const RoomSchema = Type.Object({ id: Type.String(), name: Type.String(), position: Type.Integer() });
