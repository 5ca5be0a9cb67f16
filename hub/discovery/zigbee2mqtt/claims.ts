import type { Entity } from '../entity.js';

/**
 * Zigbee2MQTT announces each device twice: in its own `bridge/devices` list and, with its
 * Home Assistant integration on, as discovery configs with the identifier `zigbee2mqtt_<ieee>`.
 * Both give the device the same id in the hub. Once the list names a device, the list is its
 * one source (it is the richer one): Home Assistant configs of that id whose topics are under
 * the same base topic are withdrawn and ignored. A device the list does not name (another
 * Zigbee2MQTT instance, an older one) stays with Home Assistant discovery.
 */
export class Zigbee2mqttClaims {
  private listed = new Set<string>();
  /** Home Assistant entities announced for a Zigbee2MQTT device, by device id. */
  private readonly viaHomeAssistant = new Map<string, Set<string>>();

  constructor(readonly base: string) {}

  /** For Home Assistant discovery: true when this entity's device is left to the list. */
  leftToList(entity: Entity): boolean {
    if (!this.isFromThisBridge(entity)) return false;
    if (this.listed.has(entity.deviceId)) return true;
    let keys = this.viaHomeAssistant.get(entity.deviceId);
    if (!keys) this.viaHomeAssistant.set(entity.deviceId, (keys = new Set()));
    keys.add(entity.key);
    return false;
  }

  /** For the list: it now names these devices; returns the Home Assistant entities to withdraw. */
  list(deviceIds: readonly string[]): string[] {
    this.listed = new Set(deviceIds);
    return deviceIds.flatMap((id) => {
      const keys = [...(this.viaHomeAssistant.get(id) ?? [])];
      this.viaHomeAssistant.delete(id);
      return keys;
    });
  }

  private isFromThisBridge(entity: Entity): boolean {
    if (!/^zigbee2mqtt_0x[0-9a-f]{16}$/.test(entity.deviceId)) return false;
    return [...entity.stateTopics, ...entity.commandTopics, ...entity.availability.map((a) => a.topic)].some((t) => t.startsWith(`${this.base}/`));
  }
}
