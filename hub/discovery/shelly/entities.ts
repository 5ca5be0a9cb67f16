import type { Capability, DeviceCommand, DeviceState } from '../../protocol/device.js';
import { isObject, type AvailabilitySource, type Entity, type OutgoingMessage, type Payload } from '../entity.js';
import { slug } from '../home-assistant/normalise.js';
import { COMPONENTS, UNSUPPORTED, propertyOf, readComponent, splitKey, type ComponentSpec } from './components.js';
import { readFrame, REPLY_TOPIC, request, type RequestIds } from './rpc.js';

/** What the hub has learnt about one Shelly, from its own messages and its replies. */
export interface ShellyDevice {
  /** The device's MQTT `topic_prefix` (its id, e.g. `shellyplus1pm-a8032ab12345`, unless changed). */
  prefix: string;
  /** The `src` it signs its frames with: its device id. */
  src?: string;
  /** From `Shelly.GetDeviceInfo`. */
  info?: { name: string | null; model: string | null; app: string | null };
  /** Last status of each component (`switch:0`...), deltas from NotifyStatus merged onto it. */
  status: Map<string, Record<string, unknown>>;
}

/** `<prefix>/online` is the device's last will: `true` when connected, `false` when gone (Mqtt#mqtt-status). */
const onlineOf = (prefix: string): AvailabilitySource => ({
  topic: `${prefix}/online`,
  decode: (p) => (p.text === 'true' ? true : p.text === 'false' ? false : undefined),
});

/**
 * A device that sends its status is connected, whatever its last `online` said: a Shelly
 * found from a NotifyStatus (its retained `online` not seen, or cleared) can be commanded
 * at once, and one back after its last will counts as online with its first report.
 */
const reportsOf = (prefix: string): AvailabilitySource => ({
  topic: `${prefix}/events/rpc`,
  decode: (p) => {
    const frame = p.json();
    return isObject(frame) && typeof frame.src === 'string' && NOTIFY_STATUS.has(String(frame.method)) ? true : undefined;
  },
});

/** One entity per component the hub can use; outputs (switch, light) make a device each. */
export function shellyEntities(device: ShellyDevice, ids: RequestIds): Entity[] {
  const mainId = slug(device.prefix);
  const name = device.info?.name ?? device.src ?? device.prefix;
  const entities: Entity[] = [];
  for (const [type, id, key] of componentsInOrder(device)) {
    const spec = COMPONENTS[type];
    if (!spec && !UNSUPPORTED.has(type)) continue; // sys, wifi, cloud...: the device's housekeeping
    // Outputs by their id, so switch:1 keeps its device whichever status arrives first.
    const own = spec?.ownDevice && id > 0;
    const common = {
      key: `shelly/${device.prefix}#${key}`,
      protocol: 'shelly' as const,
      deviceId: own ? `${mainId}-${id + 1}` : mainId,
      device: { name: own ? `${name} ${id + 1}` : name, manufacturer: 'Shelly', model: device.info?.app ?? device.info?.model ?? null },
      availability: [onlineOf(device.prefix), reportsOf(device.prefix)],
      availabilityMode: 'latest' as const,
    };
    if (!spec) {
      entities.push({ ...common, kind: 'sensor', capabilities: [], stateTopics: [], commandTopics: [], problem: `component '${key}' is not supported yet`, decode: () => ({}), encode: () => [] });
      continue;
    }
    entities.push({ ...common, kind: spec.kind, ...componentParts(device, key, spec, id, ids) });
  }
  return entities;
}

const ORDER = Object.keys(COMPONENTS);

/** Outputs first, then readings in the table's order, each by id: the order the card shows them in. */
function componentsInOrder(device: ShellyDevice): [string, number, string][] {
  const rank = (type: string) => (ORDER.includes(type) ? ORDER.indexOf(type) : ORDER.length);
  return [...device.status.keys()]
    .flatMap((key) => {
      const split = splitKey(key);
      return split ? [[split[0], split[1], key] as [string, number, string]] : [];
    })
    .sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]);
}

type Parts = Pick<Entity, 'capabilities' | 'stateTopics' | 'commandTopics' | 'decode' | 'encode'>;

function componentParts(device: ShellyDevice, key: string, spec: ComponentSpec, id: number, ids: RequestIds): Parts {
  const status = device.status.get(key) ?? {};
  // A field shows once the device has reported it: a Plus 1 has no power meter, a Plus 1PM has.
  const capabilities: Capability[] = spec.fields
    .filter((f) => f.property === 'on' || f.read(status) !== undefined)
    .map((f) => f.capability(propertyOf(spec, f, id)));
  const statusTopic = `${device.prefix}/status/${key}`;
  const eventsTopic = `${device.prefix}/events/rpc`;
  const rpcTopic = `${device.prefix}/rpc`;
  return {
    capabilities,
    stateTopics: [eventsTopic, statusTopic, REPLY_TOPIC],
    commandTopics: spec.command ? [rpcTopic] : [],
    decode: (topic, payload) => {
      const slice = componentStatus(topic, payload, key, statusTopic, device.src);
      return slice instanceof Error || slice === undefined ? (slice ?? {}) : (readComponent(spec, id, slice) as DeviceState | Error);
    },
    encode: (c: DeviceCommand): OutgoingMessage[] => {
      const call = spec.command?.(id, c);
      return call ? [request(device.prefix, ids.take(), call.method, call.params)] : [];
    },
  };
}

/**
 * This component's status in a message: the whole of it on `status/<key>` (generic status
 * update), part of it in NotifyStatus ("some or all unchanged attributes may not be visible",
 * General/Notifications), all of it in NotifyFullStatus or a `Shelly.GetStatus` reply.
 */
function componentStatus(topic: string, payload: Payload, key: string, statusTopic: string, src: string | undefined): Record<string, unknown> | Error | undefined {
  const json = payload.json();
  if (topic === statusTopic) return isObject(json) ? json : new Error(`${key} status is not a JSON object`);
  const frame = readFrame(json);
  if (frame instanceof Error) return frame;
  const part = topic === REPLY_TOPIC ? (frame.src === src ? frame.result?.[key] : undefined) : NOTIFY_STATUS.has(frame.method ?? '') ? frame.params?.[key] : undefined;
  if (part === undefined) return undefined;
  return isObject(part) ? part : new Error(`${key} in ${frame.method ?? 'the reply'} is not an object`);
}

export const NOTIFY_STATUS = new Set(['NotifyStatus', 'NotifyFullStatus']);
