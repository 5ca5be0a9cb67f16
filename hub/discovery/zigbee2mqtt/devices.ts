import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';

/**
 * Zigbee2MQTT's own device list: `<base_topic>/bridge/devices`, retained, a JSON array with
 * one entry per device (zigbee2mqtt.io/guide/usage/mqtt_topics_and_messages.html#zigbee2mqtt-bridge-devices).
 * `definition` is null for a device Zigbee2MQTT does not support (or is still interviewing).
 */
const ExposeSchema = Type.Object({
  type: Type.String(),
  name: Type.Optional(Type.String()),
  label: Type.Optional(Type.String()),
  property: Type.Optional(Type.String()),
  access: Type.Optional(Type.Integer({ minimum: 0 })),
  unit: Type.Optional(Type.String()),
  category: Type.Optional(Type.String()),
  endpoint: Type.Optional(Type.String()),
  value_min: Type.Optional(Type.Number()),
  value_max: Type.Optional(Type.Number()),
  value_on: Type.Optional(Type.Unknown()),
  value_off: Type.Optional(Type.Unknown()),
  values: Type.Optional(Type.Array(Type.Unknown())),
  // Nested exposes (a light's state, brightness...) are checked with this same schema when read.
  features: Type.Optional(Type.Array(Type.Unknown())),
});

const DeviceSchema = Type.Object({
  ieee_address: Type.String({ pattern: '^0x[0-9a-fA-F]{16}$' }),
  type: Type.String(),
  friendly_name: Type.String({ minLength: 1 }),
  supported: Type.Optional(Type.Boolean()),
  disabled: Type.Optional(Type.Boolean()),
  definition: Type.Optional(
    Type.Union([
      Type.Null(),
      Type.Object({
        model: Type.String(),
        vendor: Type.String(),
        description: Type.Optional(Type.String()),
        exposes: Type.Array(Type.Unknown()),
      }),
    ]),
  ),
});

export type Z2mExpose = Omit<Static<typeof ExposeSchema>, 'features'> & { features?: Z2mExpose[] };
export type Z2mDevice = Static<typeof DeviceSchema>;

const checkDevice = Compile(DeviceSchema);
const checkExpose = Compile(ExposeSchema);

function firstError(validator: typeof checkDevice | typeof checkExpose, value: unknown): string {
  const [first] = validator.Errors(value);
  return `${first?.instancePath || '/'} ${first?.message ?? ''}`.trim();
}

/** The entries of a device list; an entry that does not fit is left out with its reason. */
export function parseDeviceList(text: string): { devices: Z2mDevice[]; errors: string[] } | Error {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return new Error('zigbee2mqtt bridge/devices is not JSON');
  }
  if (!Array.isArray(value)) return new Error('zigbee2mqtt bridge/devices is not a JSON array');
  const devices: Z2mDevice[] = [];
  const errors: string[] = [];
  value.forEach((entry, i) => {
    if (checkDevice.Check(entry)) devices.push(entry);
    else errors.push(`zigbee2mqtt bridge/devices entry ${i}: ${firstError(checkDevice, entry)}`);
  });
  return { devices, errors };
}

/** An expose (with its features, checked all the way down), or why it is not one. */
export function readExpose(value: unknown): Z2mExpose | Error {
  if (!checkExpose.Check(value)) return new Error(`invalid expose: ${firstError(checkExpose, value)}`);
  const features = (value.features ?? []).map(readExpose);
  const bad = features.find((f) => f instanceof Error);
  if (bad) return bad;
  const { features: _raw, ...rest } = value;
  return { ...rest, ...(value.features ? { features: features as Z2mExpose[] } : {}) };
}
