import { AnnouncedEntities, refused } from '../announced.js';
import type { Announcement, DiscoveryConvention } from '../entity.js';
import { parseConfig, parseSensors, type TasmotaConfig, type TasmotaSensors } from './config.js';
import { tasmotaEntities } from './entities.js';

const TOPIC = /^tasmota\/discovery\/([0-9A-Fa-f]{12})\/(config|sensors)$/;
const MAX_BYTES = 64 * 1024;

/**
 * Tasmota's own discovery. A device's relays come in its config message and its sensors in
 * a second one; either may arrive first, so both are kept per MAC and the device's entities
 * are rebuilt from the pair.
 */
export class TasmotaConvention implements DiscoveryConvention {
  readonly name = 'tasmota' as const;
  private readonly configs = new Map<string, TasmotaConfig>();
  private readonly sensors = new Map<string, TasmotaSensors>();
  private readonly announced = new AnnouncedEntities();

  accept(topic: string, text: string): Announcement | null {
    const m = TOPIC.exec(topic);
    if (!m) return null;
    const mac = m[1]!.toUpperCase();
    const part = m[2] as 'config' | 'sensors';
    if (text === '') {
      // Withdrawing the config withdraws the device; withdrawing sensors, just those.
      if (part === 'config') this.configs.delete(mac);
      else this.sensors.delete(mac);
      return { ...this.rebuild(mac), keep: false };
    }
    if (text.length > MAX_BYTES) return refused(`tasmota ${part} of ${text.length} bytes is over the ${MAX_BYTES} limit`);
    const parsed = part === 'config' ? parseConfig(text) : parseSensors(text);
    if (parsed instanceof Error) return refused(parsed.message);
    if (part === 'config') this.configs.set(mac, parsed as TasmotaConfig);
    else this.sensors.set(mac, parsed as TasmotaSensors);
    return { ...this.rebuild(mac), keep: true };
  }

  private rebuild(mac: string): Omit<Announcement, 'keep'> {
    const config = this.configs.get(mac);
    const put = config ? tasmotaEntities(config, this.sensors.get(mac)) : [];
    return this.announced.replace(mac, put);
  }
}
