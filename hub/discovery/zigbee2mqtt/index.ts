import { AnnouncedEntities, refused } from '../announced.js';
import type { Announcement, DiscoveryConvention } from '../entity.js';
import type { Zigbee2mqttClaims } from './claims.js';
import { parseDeviceList } from './devices.js';
import { zigbeeDeviceId, zigbeeEntities } from './entities.js';

/** A network of a few hundred devices with their exposes runs to a few MiB. */
const MAX_BYTES = 8 * 1024 * 1024;

/**
 * Zigbee2MQTT's own device list, `<base>/bridge/devices` (retained, republished whenever a
 * device joins, leaves, is renamed or is interviewed). Each message is the whole list, so
 * it replaces every entity announced before it; devices missing from it are withdrawn.
 */
export class Zigbee2mqttConvention implements DiscoveryConvention {
  readonly name = 'zigbee2mqtt' as const;
  private readonly announced = new AnnouncedEntities();

  private readonly base: string;
  /** Asked of every message the hub receives: built once. */
  private readonly devicesTopic: string;

  constructor(private readonly claims: Zigbee2mqttClaims) {
    this.base = claims.base;
    this.devicesTopic = `${claims.base}/bridge/devices`;
  }

  accept(topic: string, text: string): Announcement | null {
    if (topic !== this.devicesTopic) return null;
    if (text === '') {
      this.claims.list([]);
      return { ...this.announced.replace(this.base, []), keep: false };
    }
    if (text.length > MAX_BYTES) return refused(`zigbee2mqtt bridge/devices of ${text.length} bytes is over the ${MAX_BYTES} limit`);
    const list = parseDeviceList(text);
    if (list instanceof Error) return refused(list.message);
    // The coordinator is the bridge itself; a device without a definition is unsupported or
    // still being interviewed, and has nothing the hub could show yet.
    const usable = list.devices.filter((d) => d.type !== 'Coordinator' && d.definition && d.disabled !== true);
    const put = usable.flatMap((d) => zigbeeEntities(this.base, d));
    const sameDevicesViaHomeAssistant = this.claims.list(usable.map((d) => zigbeeDeviceId(d.ieee_address)));
    const announcement = this.announced.replace(this.base, put);
    return { ...announcement, remove: [...sameDevicesViaHomeAssistant, ...announcement.remove], errors: list.errors, keep: true };
  }
}
