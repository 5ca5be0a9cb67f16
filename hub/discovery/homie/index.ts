import { AnnouncedEntities, refused } from '../announced.js';
import type { Announcement, DiscoveryConvention } from '../entity.js';
import { slug } from '../home-assistant/normalise.js';
import { homieEntities } from './entities.js';
import { deviceAttributes, fromDescription, HOMIE_ID, newDevice, nodeAttributes, propertyAttributes, type HomieDevice } from './model.js';

/** Where a message sits: `homie/5/<device>/…` (Homie 5) or `homie/<device>/…` (Homie 3 and 4). */
interface Place {
  version: 4 | 5;
  deviceId: string;
  base: string;
  /** The levels below the device: `[$name]`, `[node, $type]`, `[node, property, $unit]`... */
  path: string[];
}

const MAX_ATTRIBUTE_BYTES = 64 * 1024;
/** A `$description` carries every node and property of a device (a bridge may have hundreds). */
const MAX_DESCRIPTION_BYTES = 1024 * 1024;

function placeOf(topic: string): Place | null {
  // Asked of every message the hub receives: most are not Homie's, and need no split.
  if (!topic.startsWith('homie/')) return null;
  const levels = topic.split('/');
  if (levels.length < 3) return null;
  const v5 = levels[1] === '5';
  const [deviceId, ...path] = levels.slice(v5 ? 2 : 1) as [string, ...string[]];
  // `homie/$broadcast/…` and `homie/5/$broadcast/…` are for devices, not about one.
  if (deviceId.startsWith('$') || path.length === 0) return null;
  return { version: v5 ? 5 : 4, deviceId, base: v5 ? `homie/5/${deviceId}` : `homie/${deviceId}`, path };
}

/**
 * The Homie convention (3, 4 and 5). A Homie 4 device spreads itself over retained attribute
 * topics that arrive in any order; they are gathered per device and its entities rebuilt
 * whenever one changes. Homie 5 describes a device in one `$description` document. Values
 * and `$state` are not announcements: they reach entities as state and availability.
 */
export class HomieConvention implements DiscoveryConvention {
  readonly name = 'homie' as const;
  /** Per device topic root, so a Homie 4 and a Homie 5 device of the same id stay apart. */
  private readonly devices = new Map<string, HomieDevice>();
  private readonly announced = new AnnouncedEntities();

  accept(topic: string, text: string): Announcement | null {
    const place = placeOf(topic);
    if (!place) return null;
    const result = place.version === 5 ? this.acceptV5(place, text) : this.acceptV4(place, text);
    if (result === null) return null;
    if (result instanceof Error) return refused(result.message);
    const device = this.devices.get(place.base);
    const put = device?.nodes ? homieEntities(slug(place.deviceId), device) : [];
    // Properties the hub cannot use show on the device (source.problems), not as refusals.
    return { ...this.announced.replace(place.base, put), keep: text !== '' };
  }

  /** null when the message is no announcement: a value, a command, `$state`, an attribute the hub does not read. */
  private acceptV4({ deviceId, base, path }: Place, text: string): Error | undefined | null {
    const attribute = path.at(-1)!;
    const level = [deviceAttributes, nodeAttributes, propertyAttributes][path.length - 1];
    if (!level || !Object.hasOwn(level, attribute)) return null;
    const invalid = checkIds(deviceId, path.slice(0, -1), text.length, MAX_ATTRIBUTE_BYTES);
    if (invalid) return invalid;
    // `$homie` comes first and goes last: clearing it removes the device.
    if (attribute === '$homie' && text === '') {
      this.devices.delete(base);
      return undefined;
    }
    let device = this.devices.get(base);
    if (!device) this.devices.set(base, (device = newDevice(4, base)));
    if (path.length === 1) return deviceAttributes[attribute]!(device, text, attribute) ?? undefined;
    const [nodeId, propertyId] = path as [string, string, string?];
    if (path.length === 2) return applyTo(device.nodeAttributes, nodeId, (node) => nodeAttributes[attribute]!(node, text, attribute));
    return applyTo(device.propertyAttributes, `${nodeId}/${propertyId}`, (property) => propertyAttributes[attribute]!(property, text, attribute));
  }

  private acceptV5({ deviceId, base, path }: Place, text: string): Error | undefined | null {
    const attribute = path.length === 1 ? path[0] : undefined;
    // "A zero length payload published on the $state topic indicates a device removal."
    const removal = attribute === '$state' && text === '';
    if (attribute !== '$description' && !removal) return null;
    const invalid = checkIds(deviceId, [], text.length, MAX_DESCRIPTION_BYTES);
    if (invalid) return invalid;
    const device = text === '' ? undefined : fromDescription(base, text);
    if (device === undefined) {
      this.devices.delete(base);
      return undefined;
    }
    if (device instanceof Error) return device;
    this.devices.set(base, device);
    return undefined;
  }
}

function checkIds(deviceId: string, ids: string[], bytes: number, limit: number): Error | undefined {
  if (bytes > limit) return new Error(`homie attribute of ${bytes} bytes is over the ${limit} limit`);
  const bad = [deviceId, ...ids].find((id) => !HOMIE_ID.test(id));
  return bad === undefined ? undefined : new Error(`homie topic level ${JSON.stringify(bad)} is not a Homie id (a-z, 0-9, -)`);
}

/** Applies an attribute to a node's or property's record; a refused one leaves it as it was. */
function applyTo<T extends object>(records: Map<string, T>, key: string, apply: (record: T) => Error | void): Error | undefined {
  const record = { ...(records.get(key) ?? {}) } as T;
  const error = apply(record);
  if (error) return error;
  records.set(key, record);
  return undefined;
}
