import type { DeviceKind, DeviceState, StateValue } from '../../protocol/device.js';
import { isObject, type AvailabilitySource, type Entity } from '../entity.js';
import { slug } from '../home-assistant/normalise.js';
import { readExpose, type Z2mDevice, type Z2mExpose } from './devices.js';
import { controlParts, isControl, isReading, readingPart, type Part } from './exposes.js';

/**
 * The id a Zigbee2MQTT device has in the hub: the identifier Zigbee2MQTT gives it in its Home
 * Assistant discovery too (`zigbee2mqtt_<ieee>`), so a device keeps its room and name
 * whichever of the two announced it.
 */
export const zigbeeDeviceId = (ieee: string) => slug(`zigbee2mqtt_${ieee.toLowerCase()}`);

/**
 * `online`/`offline`, or `{"state":"online"}` since Zigbee2MQTT 1.22 (or with
 * `availability.legacy: false`), on the device's availability topic and on `bridge/state`.
 */
function availabilityOf(topic: string): AvailabilitySource {
  return {
    topic,
    decode: (p) => {
      const json = p.json();
      const word = isObject(json) ? json.state : p.text;
      return word === 'online' ? true : word === 'offline' ? false : undefined;
    },
  };
}

/**
 * One entity for a device's readings (with its first light or switch), one per further
 * light or switch endpoint (a double relay's `l2`: a device of its own, as the hub has one
 * `on` per device), and one per expose the hub cannot use, shown as a problem.
 */
export function zigbeeEntities(base: string, device: Z2mDevice): Entity[] {
  const definition = device.definition!;
  const id = zigbeeDeviceId(device.ieee_address);
  const key = `${base}/bridge/devices#${device.ieee_address}`;
  const stateTopic = `${base}/${device.friendly_name}`;
  const common = {
    protocol: 'zigbee2mqtt' as const,
    stateTopics: [stateTopic],
    commandTopics: [`${stateTopic}/set`],
    // Latest word wins: the bridge going offline takes its devices with it, and each device's
    // own availability (when Zigbee2MQTT's availability feature is on) follows it.
    availability: [availabilityOf(`${base}/bridge/state`), availabilityOf(`${stateTopic}/availability`)],
    availabilityMode: 'latest' as const,
  };
  const named = (name: string) => ({ name, manufacturer: definition.vendor, model: definition.model });
  const exposes = definition.exposes.map(readExpose);
  const controls = exposes.filter((e): e is Z2mExpose => !(e instanceof Error) && isControl(e));
  const readings = exposes.flatMap((e) => (!(e instanceof Error) && isReading(e) ? [readingPart(e)].filter((p): p is Part => p !== null) : []));
  const entity = (k: string, deviceId: string, name: string, kind: DeviceKind, parts: Part[]): Entity => ({
    ...common,
    key: k,
    deviceId,
    device: named(name),
    kind,
    ...partsEntity(parts, `${stateTopic}/set`),
  });
  const [first, ...others] = controls;
  const entities = [entity(key, id, device.friendly_name, (first?.type as DeviceKind | undefined) ?? 'sensor', [...(first ? controlParts(first) : []), ...readings])];
  for (const [i, control] of others.entries()) {
    const endpoint = control.endpoint ?? String(i + 2);
    entities.push(entity(`${key}/${endpoint}`, `${id}-${slug(endpoint)}`, `${device.friendly_name} ${endpoint}`, control.type as DeviceKind, controlParts(control)));
  }
  const unusable = exposes.filter((e) => e instanceof Error || (!isControl(e) && !isReading(e)));
  for (const [i, e] of unusable.entries()) {
    const problem = e instanceof Error ? e.message : `expose '${e.name ?? e.type}' (${e.type}) is not supported yet`;
    entities.push({ ...entity(`${key}!${i}`, id, device.friendly_name, 'sensor', []), stateTopics: [], commandTopics: [], problem });
  }
  return entities;
}

type PartsEntity = Pick<Entity, 'capabilities' | 'decode' | 'encode'>;

/** The state JSON read part by part; a command written as one JSON body, as Zigbee2MQTT takes it. */
function partsEntity(parts: Part[], setTopic: string): PartsEntity {
  const lights = parts.some((p) => p.capability.type === 'color');
  return {
    capabilities: parts.map((p) => p.capability),
    decode: (_topic, payload) => {
      const json = payload.json();
      if (!isObject(json)) return new Error('zigbee2mqtt state is not a JSON object');
      const state: Record<string, StateValue> = {};
      for (const part of parts) {
        const value = part.read(json);
        if (value instanceof Error) return value;
        if (value !== undefined) state[part.capability.property] = value;
      }
      if (lights && typeof json.color_mode === 'string') state.colorMode = json.color_mode;
      return state as DeviceState;
    },
    encode: (command) => {
      const body: Record<string, unknown> = {};
      for (const part of parts) part.write?.(command, body);
      return Object.keys(body).length > 0 ? [{ topic: setTopic, payload: JSON.stringify(body), qos: 0 }] : [];
    },
  };
}
