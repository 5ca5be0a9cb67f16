import fp from 'fastify-plugin';
import mqtt, { type IClientOptions } from 'mqtt';
import type { Socket } from 'node:net';
import type { MqttBus, MqttMessage } from './broker.js';

export interface ExternalBrokerOptions {
  /** mqtt://, mqtts://, ws:// or wss://, with the hub's user name and password in it. */
  url: string;
  clientId: string;
}

/**
 * The session is kept this long while the hub is away (a restart, an upgrade), so the broker
 * queues what devices send at QoS 1 meanwhile instead of dropping it.
 */
const SESSION_EXPIRY_SECONDS = 24 * 3600;
/** At start, how long the hub waits for the broker before serving without it (and retrying). */
const FIRST_CONNECT_WAIT_MS = 10_000;

/**
 * The hub as a client of a broker it does not run (Mosquitto, EMQX, a cluster): every
 * application message comes in on one subscription, commands go out on the same connection.
 * The broker's own users and ACLs decide who may connect and publish. MQTT 5 for one reason:
 * "no local", so the hub never hears its own commands back as if a device had sent them.
 */
export const externalBrokerPlugin = fp<ExternalBrokerOptions>(
  async (app, options) => {
    const log = app.log.child({ plugin: 'broker' });
    // Kept apart, so that logs and health can show the URL.
    const { url, username, password } = splitCredentials(options.url);
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

    app.decorate('mqtt', {
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
      address: () => null,
      tlsAddress: () => null,
      connectedClients: () => 0,
      auditCounts: () => ({ rejectedConnections: 0, rejectedPublishes: 0, rejectedSubscriptions: 0, oversizedPackets: 0 }),
      externalBroker: () => ({ url, connected: client.connected && subscribed }),
    } satisfies MqttBus);

    app.addHook('onReady', async () => {
      const ready = new Promise<boolean>((resolve) => {
        onSubscribed = () => resolve(true);
        setTimeout(() => resolve(false), FIRST_CONNECT_WAIT_MS).unref();
      });
      client.connect();
      if (!(await ready)) log.error({ url }, `no MQTT broker after ${FIRST_CONNECT_WAIT_MS / 1000} s; serving without it and retrying`);
    });
    app.addHook('onClose', async () => {
      // The session stays on the broker, which keeps queueing for the hub's return.
      await client.endAsync();
    });
  },
  { name: 'broker' },
);

function splitCredentials(raw: string): { url: string; username?: string; password?: string } {
  const url = new URL(raw);
  const username = url.username === '' ? undefined : decodeURIComponent(url.username);
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return { url: url.toString(), ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}) };
}
