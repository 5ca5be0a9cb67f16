/**
 * Schemas of what users write: automations, scenes and home settings. Fastify checks every
 * body against them before a handler runs, so a bad automation is refused with the path of
 * its mistake, never half saved.
 */
import { Type } from 'typebox';
import { MODES, WEEKDAYS } from '../protocol/automations.js';

const Id = Type.String({ minLength: 1, maxLength: 200 });
const Property = Type.String({ minLength: 1, maxLength: 100 });
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const TimeOfDay = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM on the home clock' });
const Rgb = Type.Object({ r: Type.Integer({ minimum: 0, maximum: 255 }), g: Type.Integer({ minimum: 0, maximum: 255 }), b: Type.Integer({ minimum: 0, maximum: 255 }) }, { additionalProperties: false });
const StateValue = Type.Union([Type.Boolean(), Type.Number(), Type.String({ maxLength: 200 }), Rgb, Type.Null()]);
const ForMs = Type.Optional(Type.Integer({ minimum: 1000, maximum: 7 * 24 * 3600 * 1000, description: 'stays so this long (ms)' }));
const Bound = Type.Optional(Type.Number());
const strict = { additionalProperties: false } as const;

/** Writable properties; what a given device takes is checked against its capabilities too. */
export const CommandSchema = Type.Object(
  {
    on: Type.Optional(Type.Boolean()),
    brightness: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
    colorTemp: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    color: Type.Optional(Rgb),
    effect: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const TriggerSchema = Type.Union([
  Type.Object({ kind: Type.Literal('state'), device: Id, property: Property, to: Type.Optional(StateValue), from: Type.Optional(StateValue), forMs: ForMs }, strict),
  Type.Object({ kind: Type.Literal('numeric'), device: Id, property: Property, above: Bound, below: Bound, forMs: ForMs }, strict),
  Type.Object({ kind: Type.Literal('availability'), device: Id, online: Type.Boolean(), forMs: ForMs }, strict),
  Type.Object({ kind: Type.Literal('time'), at: TimeOfDay }, strict),
  Type.Object({ kind: Type.Literal('sun'), event: Type.Union([Type.Literal('sunrise'), Type.Literal('sunset')]), offsetMinutes: Type.Integer({ minimum: -720, maximum: 720 }) }, strict),
  Type.Object({ kind: Type.Literal('interval'), everySeconds: Type.Integer({ minimum: 1, maximum: 7 * 24 * 3600 }) }, strict),
]);

export const ConditionSchema = Type.Union([
  Type.Object({ kind: Type.Literal('state'), device: Id, property: Property, equals: StateValue }, strict),
  Type.Object({ kind: Type.Literal('numeric'), device: Id, property: Property, above: Bound, below: Bound }, strict),
  Type.Object({ kind: Type.Literal('time'), after: TimeOfDay, before: TimeOfDay }, strict),
  Type.Object({ kind: Type.Literal('weekday'), days: Type.Array(Type.Union(WEEKDAYS.map((d) => Type.Literal(d))), { minItems: 1, maxItems: 7, uniqueItems: true }) }, strict),
]);

export const ActionSchema = Type.Union([
  Type.Object({ kind: Type.Literal('command'), device: Id, command: CommandSchema }, strict),
  Type.Object({ kind: Type.Literal('scene'), scene: Id }, strict),
  Type.Object({ kind: Type.Literal('room'), room: Type.Union([Id, Type.Null()]), on: Type.Boolean(), brightness: Type.Optional(Type.Integer({ minimum: 1, maximum: 255 })) }, strict),
  Type.Object({ kind: Type.Literal('delay'), seconds: Type.Number({ minimum: 0, maximum: 24 * 3600 }) }, strict),
  Type.Object({ kind: Type.Literal('notify'), message: Type.String({ minLength: 1, maxLength: 500 }) }, strict),
  Type.Object({ kind: Type.Literal('automation'), automation: Id, enabled: Type.Boolean() }, strict),
]);

export const AutomationDefinitionSchema = Type.Object(
  {
    name: Name,
    mode: Type.Union(MODES.map((m) => Type.Literal(m))),
    max: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    triggers: Type.Array(TriggerSchema, { minItems: 1, maxItems: 20 }),
    conditions: Type.Array(ConditionSchema, { maxItems: 20 }),
    actions: Type.Array(ActionSchema, { minItems: 1, maxItems: 50 }),
  },
  strict,
);

export const AutomationSchema = Type.Intersect([
  AutomationDefinitionSchema,
  Type.Object({ id: Type.String(), enabled: Type.Boolean(), flagged: Type.Union([Type.String(), Type.Null()]), updatedAt: Type.Number() }),
]);

export const TargetSchema = Type.Object({ device: Id, command: CommandSchema }, strict);

export const HomeSettingsPatch = Type.Object(
  {
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    latitude: Type.Optional(Type.Union([Type.Number({ minimum: -90, maximum: 90 }), Type.Null()])),
    longitude: Type.Optional(Type.Union([Type.Number({ minimum: -180, maximum: 180 }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
