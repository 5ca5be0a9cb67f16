/**
 * A simulated device on the wire: a real MQTT.js client around a pure model, behaving as
 * Zigbee2MQTT-bridged firmware does, so the hub cannot tell it from a real device.
 */
import { EventEmitter } from 'node:events';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import {
  AVAILABLE,
  BIRTH_ONLINE,
  BIRTH_TOPIC,
  NOT_AVAILABLE,
  deviceTopics,
} from '../hub/protocol/topics.js';
import { modelOf, type DeviceModel, type JsonObject, type KindName } from './models/index.js';
import type { Random } from './random.js';

/** How often a device steps its model and reports, unless told otherwise. */
export const DEFAULT_TICK_MS = 5_000;

export interface SimulatedDeviceOptions {
  /** Broker URL, e.g. `mqtt://127.0.0.1:1883`. */
  url: string;
  id: string;
  name: string;
  kind: KindName;
  /** Milliseconds between automatic ticks; 0 ticks only when `tick()` is called. */
  tickMs?: number;
  /** Epoch milliseconds; injected so tests control time. */
  clock?: () => number;
  random?: Random;
  /** Passed to MQTT.js (e.g. `reconnectPeriod: 0` in tests); the last will is always ours. */
  mqttOptions?: IClientOptions;
}

export interface SimulatedDeviceEvents {
  /** A command was accepted and applied; its parsed payload. */
  command: [payload: JsonObject];
  /** The state payload just published. */
  state: [payload: JsonObject];
  /** A command was refused (not JSON, wrong types); the device carries on. */
  rejected: [reason: string];
  /** The connection failed or dropped; MQTT.js reconnects unless told not to. */
  connectionError: [error: Error];
}

const RETAINED = { qos: 1, retain: true } as const;

/**
 * A broker that gives each credential its own client ids (the hub's: the user name, or the
 * user name and a dash) takes these: a device's own credential is named as the device, and
 * devices sharing one credential add their id to its name.
 */
export const clientIdFor = (id: string, username: string | undefined): string =>
  username === undefined ? `hearth-sim-${id}` : username === id ? id : `${username}-${id}`;

export class SimulatedDevice extends EventEmitter<SimulatedDeviceEvents> {
  readonly id: string;
  readonly name: string;
  readonly kind: KindName;
  private readonly topics: ReturnType<typeof deviceTopics>;
  private readonly model: DeviceModel<unknown>;
  private readonly clock: () => number;
  private readonly random: Random;
  private state: unknown;
  private client: MqttClient | null = null;
  private timer: NodeJS.Timeout | null = null;
  private rejected = 0;

  constructor(private readonly options: SimulatedDeviceOptions) {
    super();
    this.id = options.id;
    this.name = options.name;
    this.kind = options.kind;
    this.topics = deviceTopics(options.id);
    this.model = modelOf(options.kind);
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
    this.state = this.model.initialState(this.random, this.clock());
  }

  /** Commands refused so far. */
  get rejectedCommands(): number {
    return this.rejected;
  }

  /** The payload the device would publish now. */
  get statePayload(): JsonObject {
    return this.model.toStatePayload(this.state);
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Connects and announces; rejects if the broker cannot be reached the first time. */
  async start(): Promise<void> {
    if (this.client) throw new Error(`device ${this.id} is already started`);
    const client = mqtt.connect(this.options.url, this.clientOptions());
    this.client = client;
    // Listened to from the start: an unheard 'error' event would throw and kill the process.
    client.on('error', (error) => this.emit('connectionError', error));
    client.on('message', (topic, payload, packet) => this.onMessage(topic, payload.toString(), packet.retain));
    try {
      await firstConnect(client);
      await this.listenAndAnnounce(client);
    } catch (error) {
      this.detach();
      client.end(true);
      throw error;
    }
    // Firmware announces on every reconnection: the broker may have published our will meanwhile.
    client.on('connect', () => void this.listenAndAnnounce(client).catch(() => {}));
    this.startTicking();
  }

  /** Leaves cleanly: retained `offline`, then DISCONNECT, so no last will is sent. */
  async stop(): Promise<void> {
    const client = this.detach();
    if (!client) return;
    try {
      if (client.connected) await client.publishAsync(this.topics.availability, NOT_AVAILABLE, RETAINED);
    } finally {
      // A client that lost its broker would wait forever for acks; cut it off instead.
      await client.endAsync(!client.connected);
    }
  }

  /** Power cut: the socket dies without DISCONNECT, so the broker publishes the last will. */
  crash(): void {
    this.detach()?.end(true);
  }

  /** One step of the model; publishes when the kind reports periodically or the state moved. */
  async tick(): Promise<void> {
    const next = this.model.tick(this.state, { now: this.clock(), random: this.random });
    const moved = next !== this.state;
    this.state = next;
    if (this.model.periodic || moved) await this.publishState();
  }

  private clientOptions(): IClientOptions {
    return {
      clientId: clientIdFor(this.id, this.options.mqttOptions?.username),
      reconnectPeriod: 1_000,
      ...this.options.mqttOptions,
      will: { topic: this.topics.availability, payload: Buffer.from(NOT_AVAILABLE), ...RETAINED },
    };
  }

  private startTicking(): void {
    const tickMs = this.options.tickMs ?? DEFAULT_TICK_MS;
    if (tickMs <= 0) return;
    // A failed publish only means the connection is down; the next tick or reconnect catches up.
    this.timer = setInterval(() => void this.tick().catch(() => {}), tickMs);
    // Devices never keep a process alive on their own; the process decides when to exit.
    this.timer.unref();
  }

  /** Stops the timer and forgets the client; returns it if the device was running. */
  private detach(): MqttClient | null {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    client?.removeAllListeners('connect');
    return client;
  }

  /**
   * Subscribed before saying it is online, as firmware does, on every connection: a command
   * sent the moment the hub sees the device online must find it listening (aedes may still be
   * registering a SUBSCRIBE when it delivers a PUBLISH the same client sent after it, and
   * MQTT.js resubscribes after a reconnection without waiting for the broker's answer).
   */
  private async listenAndAnnounce(client: MqttClient): Promise<void> {
    await client.subscribeAsync([this.topics.set, BIRTH_TOPIC], { qos: 1 });
    await this.announce();
  }

  /**
   * Discovery, then online, then state: a hub needs every entity before the state that
   * feeds them. Each stage waits for its PUBACKs because a broker may handle packets that
   * arrive together concurrently (aedes does), and a quick state would overtake a
   * retained config that is still being stored.
   */
  private async announce(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const discovery = this.model.discoveryConfigs(this.id, this.name);
    await Promise.all(discovery.map(({ topic, config }) => client.publishAsync(topic, JSON.stringify(config), RETAINED)));
    await client.publishAsync(this.topics.availability, AVAILABLE, RETAINED);
    await this.publishState();
  }

  private async publishState(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const payload = this.model.toStatePayload(this.state);
    await client.publishAsync(this.topics.state, JSON.stringify(payload), { qos: 0 });
    this.emit('state', payload);
  }

  private onMessage(topic: string, text: string, retained: boolean): void {
    if (topic === this.topics.set) return this.onCommand(text);
    // A retained birth is old news: the device announced when it connected. A live one
    // means Home Assistant (or the hub) restarted and lost what it knew, so say it again.
    if (topic === BIRTH_TOPIC && text === BIRTH_ONLINE && !retained) void this.announce().catch(() => {});
  }

  private onCommand(text: string): void {
    const payload = parseJson(text);
    const next = payload instanceof Error ? payload : this.model.applyCommand(this.state, payload);
    if (next instanceof Error) {
      this.rejected++;
      this.emit('rejected', next.message);
      return;
    }
    this.state = next;
    this.emit('command', payload as JsonObject);
    // Always, even when nothing changed: the hub takes the report as confirmation.
    void this.publishState().catch(() => {});
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return new Error('command is not JSON');
  }
}

/** Resolves on the first CONNACK; rejects on the first error or close before it. */
function firstConnect(client: MqttClient): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      client.off('connect', onConnect).off('error', onError).off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onConnect = () => settle();
    const onError = (error: Error) => settle(error);
    const onClose = () => settle(new Error('connection closed before CONNACK'));
    client.on('connect', onConnect).on('error', onError).on('close', onClose);
  });
}
