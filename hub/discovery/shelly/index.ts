import { AnnouncedEntities, refused } from '../announced.js';
import { isObject, type Announcement, type DiscoveryConvention, type OutgoingMessage } from '../entity.js';
import { COMPONENTS, UNSUPPORTED, splitKey } from './components.js';
import { NOTIFY_STATUS, shellyEntities, type ShellyDevice } from './entities.js';
import { readFrame, REPLY_TOPIC, request, RequestIds, type Frame } from './rpc.js';

const EVENTS = /^(.+)\/events\/rpc$/;
const STATUS = /^(.+)\/status\/([a-z0-9_]+(?::\d{1,3})?)$/;
const ONLINE = /^(.+)\/online$/;
const MAX_BYTES = 64 * 1024;
/** Requests awaiting a reply; a device that never answers must not grow this forever. */
const MAX_PENDING = 1000;
const PROBES = ['Shelly.GetDeviceInfo', 'Shelly.GetStatus'] as const;

/**
 * Shelly Gen2 and Gen3 (Plus, Pro, Mini) over MQTT. They announce nothing: the hub learns a
 * device from what it publishes (`<prefix>/online`, NotifyStatus and NotifyFullStatus on
 * `<prefix>/events/rpc`, `<prefix>/status/<component>`) and asks it the rest with
 * `Shelly.GetDeviceInfo` and `Shelly.GetStatus`. Its entities are rebuilt whenever the set of
 * components (or of their reported fields) changes; other messages are state.
 */
export class ShellyConvention implements DiscoveryConvention {
  readonly name = 'shelly' as const;
  private readonly devices = new Map<string, ShellyDevice>();
  /** What each device's entities were last built from, so unchanged messages stay plain state. */
  private readonly shapes = new Map<string, string>();
  private readonly pending = new Map<number | string, { prefix: string; method: string }>();
  private readonly announced = new AnnouncedEntities();
  private readonly ids = new RequestIds();

  accept(topic: string, text: string): Announcement | null {
    if (topic === REPLY_TOPIC) return this.guard(text, 'reply', () => this.acceptReply(text));
    const events = EVENTS.exec(topic);
    if (events) return this.guard(text, 'events/rpc', () => this.acceptEvents(events[1]!, text));
    const status = STATUS.exec(topic);
    const type = status && splitKey(status[2]!)?.[0];
    if (status && type && (COMPONENTS[type] || UNSUPPORTED.has(type))) return this.guard(text, `status/${status[2]}`, () => this.acceptStatus(status[1]!, status[2]!, text));
    const online = ONLINE.exec(topic);
    // `true` is Shelly's own word (other firmwares say `online`): worth asking who it is.
    if (online && text === 'true' && !this.devices.has(online[1]!)) return this.probe(this.deviceOf(online[1]!));
    return null;
  }

  private guard(text: string, what: string, accept: () => Announcement | null): Announcement | null {
    if (text.length > MAX_BYTES) return refused(`shelly ${what} of ${text.length} bytes is over the ${MAX_BYTES} limit`);
    return accept();
  }

  private acceptEvents(prefix: string, text: string): Announcement | null {
    const frame = parseFrame(text, 'events/rpc');
    if (frame instanceof Error) return refused(frame.message);
    if (!NOTIFY_STATUS.has(frame.method ?? '')) return null; // NotifyEvent: button pushes, not state
    const isNew = !this.devices.has(prefix);
    const device = this.deviceOf(prefix);
    device.src ??= frame.src;
    if (frame.method === 'NotifyFullStatus') device.status.clear();
    overlayStatus(device, frame.params ?? {});
    return this.rebuild(device, isNew);
  }

  private acceptStatus(prefix: string, key: string, text: string): Announcement | null {
    const json = parseJson(text);
    if (!isObject(json)) return refused(`shelly status/${key} is not a JSON object`);
    const isNew = !this.devices.has(prefix);
    const device = this.deviceOf(prefix);
    device.status.set(key, json);
    return this.rebuild(device, isNew);
  }

  private acceptReply(text: string): Announcement | null {
    const frame = parseFrame(text, 'reply');
    if (frame instanceof Error) return refused(frame.message);
    const asked = frame.id === undefined ? undefined : this.pending.get(frame.id);
    if (asked) this.pending.delete(frame.id!);
    if (frame.error) return refused(`shelly ${frame.src} answered ${asked?.method ?? `request ${String(frame.id)}`} with error ${frame.error.code ?? ''}: ${frame.error.message ?? ''}`.trim());
    const device = asked && this.devices.get(asked.prefix);
    if (!device || !frame.result) return null; // a command's reply: `{"was_on": false}`
    device.src = frame.src;
    if (asked.method === 'Shelly.GetStatus') {
      device.status.clear();
      overlayStatus(device, frame.result);
    } else {
      const r = frame.result;
      const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
      device.info = { name: text(r.name), model: text(r.model), app: text(r.app) };
    }
    return this.rebuild(device, false);
  }

  private deviceOf(prefix: string): ShellyDevice {
    let device = this.devices.get(prefix);
    if (!device) this.devices.set(prefix, (device = { prefix, status: new Map() }));
    return device;
  }

  /** Asks a device first heard of for its name, model and full status. */
  private probe(device: ShellyDevice): Announcement {
    const send: OutgoingMessage[] = PROBES.map((method) => {
      const id = this.ids.take();
      this.pending.set(id, { prefix: device.prefix, method });
      if (this.pending.size > MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
      return request(device.prefix, id, method);
    });
    return { put: [], remove: [], errors: [], keep: false, alsoState: true, send };
  }

  /** null (plain state) unless the device's entities change. */
  private rebuild(device: ShellyDevice, isNew: boolean): Announcement | null {
    const shape = shapeOf(device);
    const probe = isNew ? this.probe(device) : undefined;
    if (this.shapes.get(device.prefix) === shape) return probe ?? null;
    this.shapes.set(device.prefix, shape);
    // Not kept: a Shelly has no retained announcement; its retained `online` brings it back after a restart.
    return { ...this.announced.replace(device.prefix, shellyEntities(device, this.ids)), keep: false, alsoState: true, ...(probe ? { send: probe.send } : {}) };
  }
}

/** Which components, with which of their fields, and the device's names: what its entities are made of. */
function shapeOf(device: ShellyDevice): string {
  const components = [...device.status].map(([key, status]) => {
    const spec = COMPONENTS[splitKey(key)?.[0] ?? ''];
    return [key, spec ? spec.fields.filter((f) => f.read(status) !== undefined).map((f) => f.property) : []];
  });
  return JSON.stringify([device.src, device.info, components.sort()]);
}

/** NotifyStatus carries only what changed: overlay it on the last status (General/Notifications). */
function overlayStatus(device: ShellyDevice, params: Record<string, unknown>): void {
  for (const [key, part] of Object.entries(params)) {
    if (!isObject(part) || !splitKey(key)) continue; // `ts`: the notification's time
    device.status.set(key, overlay(device.status.get(key) ?? {}, part));
  }
}

function overlay(base: Record<string, unknown>, delta: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(delta)) out[k] = isObject(v) && isObject(base[k]) ? overlay(base[k], v) : v;
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseFrame(text: string, what: string): Frame | Error {
  const json = parseJson(text);
  return json === undefined ? new Error(`shelly ${what} is not JSON`) : readFrame(json);
}
