import { AnnouncedEntities, refused } from '../announced.js';
import type { Announcement, DiscoveryConvention } from '../entity.js';
import { slug } from '../home-assistant/normalise.js';
import { homieEntities } from './entities.js';
import { fromDescription, newDevice, type HomieDevice, type HomieProperty } from './model.js';

/** `homie/5/<device>/…` or `homie/<device>/…`; the rest of the topic is what the attribute is about. */
const V5 = /^homie\/5\/([a-z0-9][a-z0-9-]*)\/(.+)$/;
const V4 = /^homie\/([a-z0-9][a-z0-9-]*)\/(.+)$/;
const MAX_BYTES = 64 * 1024;

/**
 * The Homie convention (4 and 5). A Homie 4 device spreads itself over retained attribute
 * topics that arrive in any order; they are gathered per device and its entities rebuilt
 * whenever one changes. Values and `$state` are not announcements: they reach entities as
 * state and availability.
 */
export class HomieConvention implements DiscoveryConvention {
  readonly name = 'homie' as const;
  private readonly devices = new Map<string, HomieDevice>();
  private readonly announced = new AnnouncedEntities();

  accept(topic: string, text: string): Announcement | null {
    const v5 = V5.exec(topic);
    const match = v5 ?? V4.exec(topic);
    if (!match || (!v5 && match[1] === '5')) return null;
    const [, homieId, rest] = match as unknown as [string, string, string];
    const segments = rest.split('/');
    const attribute = segments.at(-1)!;
    // Values, commands and $state are not announcements.
    if (!attribute.startsWith('$') || attribute === '$state' || segments.includes('set')) return null;
    if (text.length > MAX_BYTES) return refused(`homie ${attribute} of ${text.length} bytes is over the ${MAX_BYTES} limit`);
    const base = v5 ? `homie/5/${homieId}` : `homie/${homieId}`;
    const error = v5 ? this.describeV5(homieId, base, attribute, text) : this.attributeV4(homieId, base, segments, text);
    if (error) return refused(error.message);
    return { ...this.rebuild(homieId), keep: text !== '' };
  }

  private describeV5(homieId: string, base: string, attribute: string, text: string): Error | undefined {
    if (attribute !== '$description') return undefined;
    if (text === '') {
      this.devices.delete(homieId);
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return new Error('homie $description is not JSON');
    }
    const device = fromDescription(base, json);
    if (device instanceof Error) return device;
    this.devices.set(homieId, device);
    return undefined;
  }

  private attributeV4(homieId: string, base: string, segments: string[], text: string): Error | undefined {
    let device = this.devices.get(homieId);
    if (!device) this.devices.set(homieId, (device = newDevice(base)));
    const attribute = segments.at(-1)!;
    const list = () => (text === '' ? [] : text.split(',').map((s) => s.trim()).filter(Boolean));
    if (segments.length === 1) {
      if (attribute === '$name') device.name = text;
      else if (attribute === '$nodes') device.nodes = list();
      return undefined;
    }
    if (segments.length === 2) {
      const node = device.nodeAttributes.get(segments[0]!) ?? {};
      if (attribute === '$name') node.name = text;
      else if (attribute === '$type') node.type = text;
      else if (attribute === '$properties') node.properties = list();
      device.nodeAttributes.set(segments[0]!, node);
      return undefined;
    }
    if (segments.length === 3) {
      const key = `${segments[0]}/${segments[1]}`;
      const property: HomieProperty = device.propertyAttributes.get(key) ?? {};
      if (attribute === '$settable' && text !== 'true' && text !== 'false') return new Error(`homie $settable ${JSON.stringify(text)} is neither true nor false`);
      if (attribute === '$name') property.name = text;
      else if (attribute === '$datatype') property.datatype = text;
      else if (attribute === '$format') property.format = text;
      else if (attribute === '$unit') property.unit = text;
      else if (attribute === '$settable') property.settable = text === 'true';
      device.propertyAttributes.set(key, property);
    }
    return undefined;
  }

  private rebuild(homieId: string): Omit<Announcement, 'keep'> {
    const device = this.devices.get(homieId);
    const put = device?.nodes ? homieEntities(slug(homieId), device) : [];
    // Properties the hub cannot use show on the device (source.problems), not as refusals.
    return this.announced.replace(homieId, put);
  }
}
