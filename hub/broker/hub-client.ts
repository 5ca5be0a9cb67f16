import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { MqttBus, MqttMessage } from '../plugins/broker.js';

export interface HubClientOptions {
  /** mqtt://, mqtts://, ws:// or wss://, without credentials (they are logged and shown). */
  url: string;
  clientId: string;
  username?: string;
  password?: string;
}

/** What a broker plugin built on this client decorates the hub with, but for its own parts. */
export type ClientBus = Pick<MqttBus, 'publish' | 'onMessage' | 'onReconnected'>;

export interface HubClient {
  /** The MQTT.js client, for a broker plugin that also speaks to the broker (dynamic security). */
  client: MqttClient;
  bus: ClientBus;
  /** Connected and subscribed to every topic. */
  ready(): boolean;
  /** Connects; resolves true once subscribed, false if that took longer than `waitMs` (it goes on trying). */
  start(waitMs: number): Promise<boolean>;
  end(): Promise<void>;
}

/**
 * The session is kept this long while the hub is away (a restart, an upgrade), so the broker
 * queues what devices send at QoS 1 meanwhile instead of dropping it.
 */
const SESSION_EXPIRY_SECONDS = 24 * 3600;

/**
 * The hub as an MQTT 5 client of a broker: every application message comes in on one
 * subscription, commands go out on the same connection. MQTT 5 for one reason: "no local",
 * so the hub never hears its own commands back as if a device had sent them. Used for a
 * broker the hub does not run (external-broker.ts) and for the Mosquitto it runs (mosquitto.ts).
 */
export function hubClient(log: FastifyBaseLogger, options: HubClientOptions): HubClient {
  const { url, username, password } = options;
  const clientOptions: IClientOptions = {
    protocolVersion: 5,
    clientId: options.clientId,
    clean: false,
    // The broker may have this many QoS 1 messages on their way to the hub unacknowledged.
    // Its default (Mosquitto: 20) is sized for a device, not for the one client that hears
    // every device: a hub busy for a moment would hold back everyone's messages, and past
    // the broker's queue limit (Mosquitto: 1,000) they would be dropped.
    properties: { sessionExpiryInterval: SESSION_EXPIRY_SECONDS, receiveMaximum: 65_535 },
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
  };
  const client = mqtt.connect(url, { ...clientOptions, manualConnect: true });
  const listeners = new Set<(message: MqttMessage) => void>();
  const reconnectListeners = new Set<() => void>();
  let subscribed = false;
  let onSubscribed = () => {};

  client.on('message', (topic, payload) => {
    if (topic.startsWith('$')) return;
    const message: MqttMessage = { topic, payload, fromDevice: true };
    for (const listener of listeners) listener(message);
  });
  /** When the broker was lost, so an outage is logged once, with its length, not per retry. */
  let lostAt: number | null = null;
  client.on('connect', () => {
    // No Nagle on the hub's side either: commands go out at once (MQTT.js leaves it on).
    (client.stream as Partial<Socket>).setNoDelay?.(true);
    if (lostAt === null) log.info({ url }, 'connected to the MQTT broker');
    else log.warn({ url, downSeconds: Math.round((Date.now() - lostAt) / 100) / 10 }, 'MQTT broker back');
    lostAt = null;
    // If the broker lost the session (a restart), MQTT.js's own 'connect' listener, added
    // before this one, subscribes again: at once, so ahead of what the listeners publish, or,
    // when requests waited while offline (dynamic security's), right after those. Either way
    // the SUBSCRIBE is among the first packets on the connection, before devices can answer.
    if (subscribed) for (const listener of reconnectListeners) listener();
    // Once per start, also on a kept session: subscribing makes the broker send every retained
    // message (announcements, last states), changed while the hub was away or not. Later,
    // MQTT.js subscribes again by itself whenever the broker has lost the session.
    if (!subscribed) {
      client.subscribe({ '#': { qos: 1, nl: true } }, (err, granted) => {
        if (err) return log.error({ err, url }, 'subscribing to the MQTT broker failed');
        // A refusal comes as a SUBACK reason code (0x80 and up), not as an error.
        const code = granted?.[0]?.qos ?? 0;
        if (code >= 0x80) return log.error({ url, reasonCode: code }, "the MQTT broker refused the hub's subscription to # (may the hub's user read every topic?)");
        subscribed = true;
        onSubscribed();
      });
    }
  });
  client.on('offline', () => {
    if (lostAt !== null) return;
    lostAt = Date.now();
    log.warn({ url }, 'MQTT broker unreachable; retrying every second');
  });
  client.on('error', (err) => (lostAt === null ? log.warn : log.debug).call(log, { err: err.message, url }, 'MQTT broker connection failed'));

  return {
    client,
    bus: {
      publish: async (topic, payload, { qos = 0, retain = false } = {}) => {
        // MQTT.js would queue it for the reconnect: a light switching minutes after the tap is
        // worse than a command that fails now and says so.
        if (!client.connected) throw new Error(`the MQTT broker at ${url} is unreachable`);
        await client.publishAsync(topic, payload, { qos, retain });
      },
      onMessage: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      onReconnected: (listener) => {
        reconnectListeners.add(listener);
        return () => reconnectListeners.delete(listener);
      },
    },
    ready: () => client.connected && subscribed,
    start: (waitMs) => {
      const ready = new Promise<boolean>((resolve) => {
        onSubscribed = () => resolve(true);
        setTimeout(() => resolve(false), waitMs).unref();
      });
      client.connect();
      return ready;
    },
    end: async () => {
      await client.endAsync();
    },
  };
}

/** The URL without its credentials, and the credentials. */
export function splitCredentials(raw: string): { url: string; username?: string; password?: string } {
  const url = new URL(raw);
  const username = url.username === '' ? undefined : decodeURIComponent(url.username);
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return { url: url.toString(), ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}) };
}
