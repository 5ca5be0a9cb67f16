import type { Capability, DeviceKind, DeviceState } from '../../protocol/device.js';
import type { AvailabilitySource, Entity } from '../entity.js';
import { datatypeOf, type Datatype, type HomieDevice, type HomieNode, type HomieProperty } from './model.js';
import { colorFormatsOf, enumValues, levelScale, rangeOf, readBoolean, readColor, readEnum, readNumber, readText, writeColor, type Reader } from './values.js';

/** "Device Lifecycle": ready is online; disconnected, sleeping, lost and alert are not; init says neither yet. */
const OFFLINE_STATES = new Set(['disconnected', 'sleeping', 'lost', 'alert']);

/** Hub properties with a meaning of their own: a Homie property of that name is prefixed with its node. */
const RESERVED = new Set(['on', 'brightness', 'colorTemp', 'color', 'effect', 'colorMode']);

/** Nodes whose settable numbers are brightness and whose switches are lights. */
const LIGHT = /light|lamp|bulb|dimmer/i;

/** One entity per property of every node, once the device has said which nodes and properties it has. */
export function homieEntities(id: string, device: HomieDevice): Entity[] {
  const availability: AvailabilitySource = {
    topic: `${device.base}/$state`,
    decode: (p) => (p.text === 'ready' ? true : OFFLINE_STATES.has(p.text) ? false : undefined),
  };
  const base = {
    protocol: 'homie' as const,
    deviceId: id,
    device: { name: device.name || id, manufacturer: null, model: null },
    availability: [availability],
    availabilityMode: 'latest' as const,
  };
  const entities: Entity[] = [];
  const used = new Set<string>();
  for (const nodeId of device.nodes ?? []) {
    const node = device.nodeAttributes.get(nodeId) ?? {};
    for (const propertyId of node.properties ?? []) {
      const property = device.propertyAttributes.get(`${nodeId}/${propertyId}`) ?? {};
      const datatype = datatypeOf(device, property);
      if (!datatype) continue;
      const topic = `${device.base}/${nodeId}/${propertyId}`;
      const mapped = mapProperty({ v5: device.version === 5, nodeId, node, propertyId, property, datatype, used });
      if (mapped instanceof Error) {
        entities.push({ ...base, key: topic, kind: 'sensor', problem: mapped.message, capabilities: [], stateTopics: [], commandTopics: [], decode: () => ({}), encode: () => [] });
        continue;
      }
      const { capability, kind, read, write } = mapped;
      used.add(capability.property);
      // Homie 5: set non-retained (momentary) properties with QoS 0, so events never arrive late.
      const qos = device.version === 5 && property.retained === false ? 0 : 1;
      entities.push({
        ...base,
        key: topic,
        kind,
        capabilities: [capability],
        stateTopics: [topic],
        commandTopics: write ? [`${topic}/set`] : [],
        decode: (_topic, payload): DeviceState | Error => {
          const value = read(payload.text);
          if (value instanceof Error) return value;
          // A cleared reading is no reading; controls keep their last state.
          if (value === undefined) return capability.type === 'sensor' ? { [capability.property]: null } : {};
          return { [capability.property]: value };
        },
        encode: (command) => {
          const value = command[capability.property as keyof typeof command];
          return write && value !== undefined ? [{ topic: `${topic}/set`, payload: write(value as never), qos }] : [];
        },
      });
    }
  }
  return entities;
}

interface PropertyInput {
  v5: boolean;
  nodeId: string;
  node: HomieNode;
  propertyId: string;
  property: HomieProperty;
  datatype: Datatype;
  /** Hub properties already taken by earlier properties of the device. */
  used: ReadonlySet<string>;
}

interface Mapped {
  capability: Capability;
  kind: DeviceKind;
  read: Reader;
  write?: (value: never) => string;
}

/** A settable property the hub has a control for; any other is shown read-only, as a reading. */
function mapProperty(input: PropertyInput): Mapped | Error {
  const control = input.property.settable ? controls[input.datatype]?.(input) : undefined;
  return control ?? reading(input);
}

const isLight = ({ node, nodeId }: PropertyInput) => LIGHT.test(`${node.type ?? ''} ${node.name ?? ''} ${nodeId}`);

const controls: Partial<Record<Datatype, (input: PropertyInput) => Mapped | Error | undefined>> = {
  boolean: (input) =>
    input.used.has('on') ? undefined : { capability: { type: 'switch', property: 'on', writable: true }, kind: isLight(input) ? 'light' : 'switch', read: readBoolean, write: (on: boolean) => String(on) },
  integer: level,
  float: level,
  color: (input) => {
    if (input.used.has('color')) return undefined;
    const formats = colorFormatsOf(input.property.format, input.v5);
    if (formats instanceof Error) return new Error(`'${input.nodeId}/${input.propertyId}': ${formats.message}`);
    return {
      capability: { type: 'color', property: 'color', writable: true },
      kind: 'light',
      read: readColor(input.v5 ? undefined : formats[0]),
      // The device's most preferred format (Homie 5 lists them in order of preference).
      write: writeColor(formats[0]!, input.v5),
    };
  },
};

/** A settable number on a light node with a range (or in %) is its brightness, scaled to the hub's 0-255. */
function level(input: PropertyInput): Mapped | undefined {
  const { property, datatype } = input;
  const range = rangeOf(property.format) ?? (property.unit === '%' ? { min: 0, max: 100 } : undefined);
  if (!isLight(input) || input.used.has('brightness') || range?.min === undefined || range.max === undefined || range.max <= range.min) return undefined;
  const { toHub, toDevice } = levelScale({ ...range, min: range.min, max: range.max }, datatype === 'integer');
  return {
    capability: { type: 'brightness', property: 'brightness', writable: true, min: 0, max: 255 },
    kind: 'light',
    read: readNumber(datatype as 'integer' | 'float', toHub),
    write: toDevice,
  };
}

function reading(input: PropertyInput): Mapped {
  const { v5, nodeId, propertyId, property, datatype, used } = input;
  // Property ids are unique per node only: a second `temperature` becomes `<node>_temperature`.
  const name = used.has(propertyId) || RESERVED.has(propertyId) ? `${nodeId}_${propertyId}` : propertyId;
  const label = property.name || propertyId;
  if (datatype === 'boolean') return { capability: { type: 'binarySensor', property: name, writable: false, label }, kind: 'sensor', read: readBoolean };
  const numeric = datatype === 'integer' || datatype === 'float';
  return {
    // A unit makes the hub expect numbers, so only numbers carry one.
    capability: { type: 'sensor', property: name, writable: false, label, ...(numeric && property.unit ? { unit: property.unit } : {}) },
    kind: 'sensor',
    read: numeric ? readNumber(datatype) : datatype === 'enum' ? readEnum(enumValues(property.format), v5) : readText(v5),
  };
}
