import { commandValidator, describeErrors } from '../capabilities/index.js';
import { Payload, type Entity, type Normalised } from '../discovery/entity.js';
import { KIND_PRIORITY, type Capability, type Device, type DeviceCommand, type DeviceState } from '../protocol/device.js';
import type { DeviceRegistry } from '../registry/registry.js';
import type { DeviceStore } from '../store/device-store.js';
import type { MqttBus, MqttMessage } from '../plugins/broker.js';
import { EntityIndex } from './entity-index.js';
import { UnclaimedMessages } from './unclaimed.js';

export interface BridgeLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** A discovery convention: which topics it announces on and how to read an announcement. */
export interface DiscoveryConvention {
  name: string;
  matches(topic: string): boolean;
  normalise(topic: string, text: string): Normalised;
}

export interface BridgeStats {
  messages: number;
  rejectedPayloads: number;
  rejectedDiscovery: number;
  commands: number;
}

export type CommandOutcome =
  /** `delivered` resolves false if the broker refused one of the messages. */
  | { ok: true; device: Device; command: DeviceCommand; delivered: Promise<boolean> }
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
  private readonly unclaimed = new UnclaimedMessages();

  constructor(
    private readonly mqtt: MqttBus,
    private readonly registry: DeviceRegistry,
    private readonly store: DeviceStore,
    private readonly conventions: readonly DiscoveryConvention[],
    private readonly log: BridgeLogger,
  ) {}

  /** Rebuilds entities from stored announcements, so known devices work before they re-announce. */
  restore(): void {
    for (const record of this.store.loadDiscovery()) {
      const convention = this.conventions.find((c) => c.matches(record.topic));
      const result = convention?.normalise(record.topic, record.payload);
      if (result?.ok) this.index.put(result.entity);
      else this.store.removeDiscovery(record.topic);
    }
  }

  handle = (message: MqttMessage): void => {
    const { topic } = message;
    const convention = this.conventions.find((c) => c.matches(topic));
    if (convention) return this.announce(convention, topic, message.payload.toString());
    const readers = this.index.readersOf(topic);
    const watchers = this.index.availabilityOf(topic);
    if (!readers && !watchers) {
      // The hub's own messages (commands, birth) are never state a device announced.
      if (message.clientId !== null) this.unclaimed.keep(topic, message.payload);
      return;
    }
    this.stats.messages++;
    const payload = new Payload(message.payload.toString());
    if (watchers) this.applyAvailability(watchers, payload.text);
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
    const messages = this.index.entitiesOf(id).flatMap((entity) => entity.encode(command));
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
    return { ok: true, device, command, delivered: Promise.all(deliveries).then((results) => results.every(Boolean)) };
  }

  private announce(convention: DiscoveryConvention, topic: string, text: string): void {
    // An empty retained payload is how a device withdraws an announcement.
    if (text === '') return this.withdraw(topic);
    const result = convention.normalise(topic, text);
    if (!result.ok) {
      this.stats.rejectedDiscovery++;
      this.log.warn({ topic, error: result.error }, 'discovery message rejected');
      return;
    }
    const { entity } = result;
    const previous = this.index.put(entity);
    if (previous && previous.deviceId !== entity.deviceId) this.describe(previous.deviceId);
    this.store.saveDiscovery({ topic, deviceId: entity.deviceId, payload: text });
    const device = this.describe(entity.deviceId);
    if (device && entity.availability.length === 0) this.registry.setOnline(device.id, true);
    for (const t of [...entity.availability.map((a) => a.topic), ...entity.stateTopics]) {
      const payload = this.unclaimed.claim(t);
      if (payload) this.handle({ topic: t, payload, clientId: null });
    }
  }

  private withdraw(topic: string): void {
    const removed = this.index.remove(topic);
    this.store.removeDiscovery(topic);
    if (removed) this.describe(removed.deviceId);
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
      source: {
        protocol: 'homeassistant',
        topics: {
          discovery: entities.map((e) => e.key),
          state: unique(entities.flatMap((e) => e.stateTopics)),
          command: unique(entities.flatMap((e) => e.commandTopics)),
          availability: unique(entities.flatMap((e) => e.availability.map((a) => a.topic))),
        },
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
      else Object.assign(update, slice);
    }
    this.report(deviceId, update, topic);
  }

  private report(deviceId: string, update: DeviceState, topic: string): void {
    if (Object.keys(update).length === 0) return;
    const result = this.registry.report(deviceId, update);
    if (!result.ok) return this.reject(topic, JSON.stringify(update), result.error);
    if (this.index.entitiesOf(deviceId).every((e) => e.availability.length === 0)) this.registry.setOnline(deviceId, true);
  }

  private applyAvailability(watchers: readonly Entity[], text: string): void {
    for (const entity of watchers) {
      const source = entity.availability.find((a) => a.online === text || a.offline === text);
      if (source) this.registry.setOnline(entity.deviceId, text === source.online);
    }
  }

  private reject(topic: string, payload: string, error: string): void {
    this.stats.rejectedPayloads++;
    this.log.warn({ topic, payload: payload.slice(0, 200), error }, 'device payload rejected');
  }
}

/** Properties must be unique per device; the first entity to claim one keeps it. */
function mergeCapabilities(entities: readonly Entity[]): Capability[] {
  const byProperty = new Map<string, Capability>();
  for (const entity of entities) {
    for (const c of entity.capabilities) if (!byProperty.has(c.property)) byProperty.set(c.property, c);
  }
  const order: Capability['type'][] = ['switch', 'brightness', 'colorTemp', 'color', 'sensor', 'binarySensor'];
  return [...byProperty.values()].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
}
