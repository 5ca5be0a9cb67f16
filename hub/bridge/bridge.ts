import { commandValidator, describeErrors } from '../capabilities/index.js';
import { Payload, type Announcement, type DiscoveryConvention, type Entity } from '../discovery/entity.js';
import { KIND_PRIORITY, type Capability, type Device, type DeviceCommand, type DeviceEntity, type DeviceState } from '../protocol/device.js';
import type { DeviceRegistry } from '../registry/registry.js';
import type { DeviceStore } from '../store/device-store.js';
import type { MqttBus, MqttMessage } from '../plugins/broker.js';
import { AnnouncementBinding, type TopicsOf } from './binding.js';
import { EntityIndex } from './entity-index.js';
import { entityRefOf } from './entity-views.js';
import { ReadingExpiry } from './expiry.js';
import { TrafficLog } from './traffic-log.js';
import { UnclaimedMessages } from './unclaimed.js';

/** Largest state or availability payload read; Tasmota's biggest SENSOR reports are a few KiB. */
const MAX_STATE_BYTES = 64 * 1024;

export interface BridgeLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface BindingOptions {
  /** What each MQTT user may publish and subscribe to (see binding.ts). */
  topicsOf: TopicsOf;
  /** Where refused announcements are logged. */
  audit: Pick<BridgeLogger, 'warn'>;
}

export interface BridgeStats {
  messages: number;
  rejectedPayloads: number;
  rejectedDiscovery: number;
  commands: number;
}

export type CommandOutcome =
  /**
   * `delivered` resolves false if the broker refused one of the messages; `assumed` is the
   * state to record for parts of the device that never report (optimistic entities).
   */
  | { ok: true; device: Device; command: DeviceCommand; delivered: Promise<boolean>; assumed: DeviceState | null }
  | { ok: false; code: 'DEVICE_NOT_FOUND' | 'INVALID_COMMAND'; message: string }
  | { ok: false; code: 'DEVICE_OFFLINE'; message: string; command: DeviceCommand };

/**
 * Turns MQTT traffic into registry changes and hub commands into MQTT messages.
 * Bad device payloads are logged and counted, never thrown: one broken device must not
 * disturb the others.
 */
export class Bridge {
  readonly stats: BridgeStats = { messages: 0, rejectedPayloads: 0, rejectedDiscovery: 0, commands: 0 };
  private readonly index = new EntityIndex();
  readonly traffic = new TrafficLog();
  private readonly unclaimed = new UnclaimedMessages();
  private readonly expiry = new ReadingExpiry();
  /**
   * Last message on each state topic entities read, for an entity that joins a topic later:
   * as text, the same string the traffic log keeps, so holding it costs nothing more.
   */
  private readonly lastOnTopic = new Map<string, string>();
  /** Last word of each availability source, per entity, for the `all` and `any` modes. */
  private readonly availabilitySeen = new Map<string, Map<string, boolean>>();
  private readonly binding: AnnouncementBinding;
  private readonly audit: BindingOptions['audit'];

  constructor(
    private readonly mqtt: MqttBus,
    private readonly registry: DeviceRegistry,
    private readonly store: DeviceStore,
    private readonly conventions: readonly DiscoveryConvention[],
    private readonly log: BridgeLogger,
    binding: BindingOptions = { topicsOf: () => null, audit: log },
  ) {
    this.binding = new AnnouncementBinding(binding.topicsOf, (deviceId) => this.index.entitiesOf(deviceId).map((e) => e.key));
    this.audit = binding.audit;
  }

  /** Rebuilds entities from stored announcements, so known devices work before they re-announce. */
  restore(): void {
    // What this rewrites (a description changed by a hub upgrade) goes through the write
    // batch: one commit for all of it, and a full disk at start-up delays it instead of failing the start.
    for (const record of this.store.loadDiscovery()) {
      const found = this.accept(record.topic, record.payload);
      if (found?.announcement.put.length || found?.announcement.keep) this.bindAndApply(found.announcement, record.publisher, record.topic, true);
      else this.store.removeDiscovery(record.topic);
    }
  }

  handle = (message: MqttMessage): void => {
    const { topic } = message;
    // Conventions that announce on topic prefixes of their own are asked first.
    const text = message.payload.toString();
    const found = this.accept(topic, text);
    if (found) {
      this.announce(found.convention, topic, found.announcement, text, message.publisher ?? null);
      // Some announcements carry state too (Shelly's full status): read it as such below.
      if (!found.announcement.alsoState) return;
    }
    const readers = this.index.readersOf(topic);
    const watchers = this.index.availabilityOf(topic);
    if (!readers && !watchers) {
      // The hub's own messages (commands, birth) are never state a device announced; nor
      // is an oversized one, and a thousand of them kept would be hundreds of MiB.
      if (message.fromDevice && message.payload.length <= MAX_STATE_BYTES) this.unclaimed.keep(topic, message.payload);
      return;
    }
    this.stats.messages++;
    // A state report is a few hundred bytes; a large one is a mistake or an attack, and is
    // not worth parsing, keeping as the topic's last message or logging in full.
    if (message.payload.length > MAX_STATE_BYTES) return this.reject(topic, text, `payload of ${message.payload.length} bytes is over the ${MAX_STATE_BYTES} byte limit for state`);
    if (readers) this.lastOnTopic.set(topic, text);
    const payload = new Payload(text);
    this.logTraffic(readers, watchers, topic, text);
    if (watchers) this.applyAvailability(watchers, topic, payload);
    if (readers) this.applyState(readers, topic, payload);
  };

  /** Validates `command` against the device's capabilities, then publishes it. */
  command(id: string, input: unknown): CommandOutcome {
    const device = this.registry.get(id);
    if (!device) return { ok: false, code: 'DEVICE_NOT_FOUND', message: `device '${id}' not found` };
    const validator = commandValidator(device.capabilities);
    if (!validator.Check(input)) {
      return { ok: false, code: 'INVALID_COMMAND', message: describeErrors(validator, input) };
    }
    const command = input as DeviceCommand;
    if (!device.online) return { ok: false, code: 'DEVICE_OFFLINE', message: `device '${id}' is offline`, command };
    const entities = this.index.entitiesOf(id);
    const messages = entities.flatMap((entity) => entity.encode(command, device.state));
    for (const m of messages) this.traffic.record(id, 'out', m.topic, m.payload);
    const deliveries = messages.map((m) =>
      // Never retained: a retained command would switch the light again on every reconnect.
      this.mqtt.publish(m.topic, m.payload, { qos: m.qos, retain: false }).then(
        () => true,
        (err: Error) => {
          this.log.warn({ device: id, topic: m.topic, err: err.message }, 'command publish failed');
          return false;
        },
      ),
    );
    this.stats.commands++;
    return { ok: true, device, command, assumed: optimisticState(entities, command), delivered: Promise.all(deliveries).then((results) => results.every(Boolean)) };
  }

  private accept(topic: string, text: string): { convention: DiscoveryConvention; announcement: Announcement } | null {
    for (const convention of this.conventions) {
      const announcement = convention.accept(topic, text);
      if (announcement) return { convention, announcement };
    }
    return null;
  }

  private announce(convention: DiscoveryConvention, topic: string, given: Announcement, text: string, publisher: string | null): void {
    for (const error of given.errors) {
      this.stats.rejectedDiscovery++;
      this.log.warn({ topic, convention: convention.name, error }, 'discovery message rejected');
    }
    const announcement = this.bindAndApply(given, publisher, topic);
    const owner = announcement.put[0]?.deviceId ?? '';
    if (owner) this.traffic.record(owner, 'in', topic, text);
    // Kept only when something of it was taken: a refused claim must not come back at the next start.
    if (announcement.keep && (announcement.put.length > 0 || given.put.length === 0)) this.store.saveDiscovery({ topic, deviceId: owner, payload: text, publisher });
    else this.store.removeDiscovery(topic);
    for (const m of announcement.send ?? []) {
      this.mqtt.publish(m.topic, m.payload, { qos: m.qos, retain: false }).catch((err: Error) => this.log.warn({ topic: m.topic, err: err.message }, 'discovery request failed'));
    }
  }

  /** Applies what `publisher` may announce (see binding.ts); refusals are audit-logged and shown on the device they named. */
  private bindAndApply(given: Announcement, publisher: string | null, topic: string, restoring = false): Announcement {
    const { announcement, refused } = this.binding.bind(given, publisher);
    for (const r of refused) {
      this.stats.rejectedDiscovery++;
      this.audit.warn({ topic, publisher, device: r.deviceId, entity: r.key, reason: r.reason }, `announcement refused: ${r.reason}`);
    }
    this.binding.record(announcement, publisher);
    const touched = this.apply(announcement, restoring);
    this.binding.note(refused);
    // Another user's device that a refused claim named shows it among its problems.
    for (const { deviceId } of refused) if (!touched.has(deviceId) && this.registry.get(deviceId)) this.describe(deviceId);
    return announcement;
  }

  /**
   * `restoring`: replaying stored announcements at start-up, before any device has spoken.
   * Returns the devices it changed.
   */
  private apply({ put, remove, alsoState }: Announcement, restoring = false): Set<string> {
    const touched = new Set<string>();
    const added: Entity[] = [];
    for (const key of remove) {
      const removed = this.index.remove(key);
      this.expiry.forget(key);
      if (!removed) continue;
      touched.add(removed.deviceId);
      for (const topic of removed.stateTopics) if (!this.index.readersOf(topic)) this.lastOnTopic.delete(topic);
    }
    for (const entity of put) {
      const previous = this.index.put(entity);
      if (previous) touched.add(previous.deviceId);
      else added.push(entity);
      touched.add(entity.deviceId);
    }
    for (const deviceId of touched) {
      const device = this.describe(deviceId);
      // Without an availability topic, a device is online when it speaks: announcing counts.
      if (device && !restoring && this.index.entitiesOf(deviceId).every((e) => e.availability.length === 0)) this.registry.setOnline(deviceId, true);
    }
    // State that arrived before this entity was announced (MQTT orders messages per topic
    // only, and a broker may handle one client's packets in parallel) is read now.
    for (const entity of added) {
      for (const topic of new Set([...entity.availability.map((a) => a.topic), ...entity.stateTopics])) {
        // A convention whose announcements are state (Shelly) has just given the latest; an older one would undo it.
        const last = alsoState ? undefined : this.lastOnTopic.get(topic);
        const payload = this.unclaimed.claim(topic) ?? (last === undefined ? undefined : Buffer.from(last));
        // On the entity's own topics, which its publisher may use: handed on in that publisher's name.
        if (payload) this.handle({ topic, payload, fromDevice: false, publisher: this.binding.publisherOfKey(entity.key) });
      }
    }
    return touched;
  }

  /** A device is the sum of its entities; with none left it is gone. */
  private describe(deviceId: string): Device | undefined {
    const entities = this.index.entitiesOf(deviceId);
    if (entities.length === 0) {
      this.registry.remove(deviceId);
      return undefined;
    }
    const first = entities[0]!;
    const unique = (list: string[]) => [...new Set(list)];
    return this.registry.describe({
      id: deviceId,
      ...first.device,
      kind: KIND_PRIORITY.find((k) => entities.some((e) => e.kind === k)) ?? 'sensor',
      capabilities: mergeCapabilities(entities),
      entities: entityList(entities),
      source: {
        protocol: first.protocol,
        topics: {
          discovery: entities.map((e) => e.key),
          state: unique(entities.flatMap((e) => e.stateTopics)),
          command: unique(entities.flatMap((e) => e.commandTopics)),
          availability: unique(entities.flatMap((e) => e.availability.map((a) => a.topic))),
        },
        problems: [...entities.flatMap((e) => (e.problem ? [`${e.key}: ${e.problem}`] : [])), ...this.binding.problemsOf(deviceId)],
      },
    });
  }

  /** Entities of one device that share a topic (a plug's switch, power and energy) make one report. */
  private applyState(readers: readonly Entity[], topic: string, payload: Payload): void {
    let deviceId = readers[0]!.deviceId;
    let update: Record<string, DeviceState[string]> = {};
    for (const entity of readers) {
      if (entity.deviceId !== deviceId) {
        this.report(deviceId, update, topic);
        deviceId = entity.deviceId;
        update = {};
      }
      const slice = entity.decode(topic, payload);
      if (slice instanceof Error) this.reject(topic, payload.text, slice.message);
      else {
        Object.assign(update, slice);
        this.expiry.touch(entity, Date.now());
      }
    }
    this.report(deviceId, update, topic);
  }

  private report(deviceId: string, update: DeviceState, topic: string): void {
    if (Object.keys(update).length === 0) return;
    const result = this.registry.report(deviceId, update);
    if (!result.ok) return this.reject(topic, JSON.stringify(update), result.error);
    // A device already online (the usual case for a reading) needs no look at its entities.
    if (!result.device.online && this.index.entitiesOf(deviceId).every((e) => e.availability.length === 0)) this.registry.setOnline(deviceId, true);
  }

  private applyAvailability(watchers: readonly Entity[], topic: string, payload: Payload): void {
    for (const entity of watchers) {
      const said = entity.availability.find((a) => a.topic === topic)?.decode(payload);
      if (said === undefined) continue;
      let seen = this.availabilitySeen.get(entity.key);
      if (!seen) this.availabilitySeen.set(entity.key, (seen = new Map()));
      seen.set(topic, said);
      const words = [...seen.values()];
      const online =
        entity.availabilityMode === 'all'
          ? words.length === entity.availability.length && words.every(Boolean)
          : entity.availabilityMode === 'any'
            ? words.some(Boolean)
            : said;
      this.registry.setOnline(entity.deviceId, online);
    }
  }

  /** Shows readings that went stale as no value; called about once a second. */
  expireReadings(now = Date.now()): void {
    for (const { deviceId, properties } of this.expiry.due(now)) {
      if (!this.registry.get(deviceId)) continue;
      // Straight to the registry: a reading going stale is not the device speaking.
      const result = this.registry.report(deviceId, Object.fromEntries(properties.map((p) => [p, null])), this.registry.get(deviceId)!.lastSeen ?? now);
      if (!result.ok) this.log.warn({ device: deviceId, error: result.error }, 'could not expire a stale reading');
    }
  }

  /** Records the state a device that reports nothing back is taken to be in after a command. */
  assume(deviceId: string, state: DeviceState): void {
    this.report(deviceId, state, deviceId);
  }

  /** Removes a device and clears its retained announcements from the broker, so it is not rediscovered from stale data. */
  async forget(deviceId: string): Promise<boolean> {
    const topics = this.store.discoveryTopicsOf(deviceId);
    const known = this.registry.get(deviceId) !== undefined;
    this.binding.forgetDevice(deviceId, this.index.entitiesOf(deviceId).map((e) => e.key));
    for (const entity of this.index.entitiesOf(deviceId)) {
      this.index.remove(entity.key);
      this.expiry.forget(entity.key);
      for (const topic of entity.stateTopics) this.lastOnTopic.delete(topic);
    }
    this.registry.remove(deviceId);
    this.store.removeDevice(deviceId);
    this.traffic.forget(deviceId);
    await Promise.all(topics.map((topic) => this.mqtt.publish(topic, '', { qos: 1, retain: true })));
    return known;
  }

  private logTraffic(readers: readonly Entity[] | undefined, watchers: readonly Entity[] | undefined, topic: string, text: string): void {
    // Entities of one device sit next to each other in these lists: log once per device.
    const last = readers ? this.logTrafficOf(readers, '', topic, text) : '';
    if (watchers) this.logTrafficOf(watchers, last, topic, text);
  }

  /** Logs the message for each device of `entities` but `last`; returns the last device logged. */
  private logTrafficOf(entities: readonly Entity[], last: string, topic: string, text: string): string {
    for (let i = 0; i < entities.length; i++) {
      const { deviceId } = entities[i]!;
      if (deviceId === last) continue;
      last = deviceId;
      this.traffic.record(deviceId, 'in', topic, text);
    }
    return last;
  }

  private reject(topic: string, payload: string, error: string): void {
    this.stats.rejectedPayloads++;
    this.log.warn({ topic, payload: payload.slice(0, 200), error }, 'device payload rejected');
  }
}

/** What an entity that reports nothing back is taken to be after a command: what was asked. */
function optimisticState(entities: readonly Entity[], command: DeviceCommand): DeviceState | null {
  const state: Record<string, DeviceState[string]> = {};
  for (const entity of entities) {
    if (!entity.optimistic) continue;
    for (const c of entity.capabilities) {
      const value = command[c.property as keyof DeviceCommand];
      if (c.writable && value !== undefined) state[c.property] = value;
    }
  }
  return Object.keys(state).length > 0 ? state : null;
}

/**
 * The grouping clients list entities by. Only entities that give the device something are
 * listed, each with the properties it claimed (mergeCapabilities' first-claim rule).
 */
function entityList(entities: readonly Entity[]): DeviceEntity[] {
  const claimed = new Set<string>();
  const list: DeviceEntity[] = [];
  for (const entity of entities) {
    const properties = entity.capabilities.map((c) => c.property).filter((p) => !claimed.has(p));
    properties.forEach((p) => claimed.add(p));
    if (properties.length > 0) list.push({ ...entityRefOf(entity), properties });
  }
  return list;
}

/** Properties must be unique per device; the first entity to claim one keeps it. */
function mergeCapabilities(entities: readonly Entity[]): Capability[] {
  const byProperty = new Map<string, Capability>();
  for (const entity of entities) {
    for (const c of entity.capabilities) if (!byProperty.has(c.property)) byProperty.set(c.property, c);
  }
  const order: Capability['type'][] = ['switch', 'brightness', 'colorTemp', 'color', 'effect', 'sensor', 'binarySensor'];
  return [...byProperty.values()].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
}
